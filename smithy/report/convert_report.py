"""Text and JSON views of a ``smithy convert`` result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smithy.convert.model import ConvertIssue, Difference
from smithy.safe_text import visible

_COLUMNS = ("platform", "output", "field", "before", "after")
_CUT = frozenset({"before", "after"})  # values are cut in the table, never the names
_MAX_CELL = 60  # long values are cut in the table; --format json has them whole


def _cell(text: str, column: str) -> str:
    text = visible(text)
    if column not in _CUT or len(text) <= _MAX_CELL:
        return text
    return text[: _MAX_CELL - 3] + "..."


def differences_table(differences: Sequence[Difference]) -> str:
    """The differences as an aligned text table (empty string when there are none)."""
    if not differences:
        return ""
    rows = [_COLUMNS] + [
        tuple(_cell(getattr(d, column), column) for column in _COLUMNS) for d in differences
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def issue_lines(path: str, issues: Sequence[ConvertIssue]) -> str:
    """One ``path:line: error: message (suggestion)`` line per issue."""
    shown = visible(path)
    return "".join(
        f"{shown}:{i.line}: error: {visible(i.message)} ({visible(i.suggestion)})\n" for i in issues
    )


def convert_data(
    issues: Sequence[ConvertIssue], differences: Sequence[Difference], *, written: bool
) -> dict[str, Any]:
    """The result as JSON-ready data."""
    return {
        "clean": not issues and not differences,
        "written": written,
        "issues": [
            {"line": i.line, "message": i.message, "suggestion": i.suggestion} for i in issues
        ],
        "differences": [{c: getattr(d, c) for c in _COLUMNS} for d in differences],
    }
