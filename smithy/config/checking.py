"""Shared helpers for checking conda-forge.yml values: issue collection, spans, messages."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any, Final

from smithy.config.schema import ConfigIssue, IssueKind
from smithy.errors import Span


class Missing:
    """Marks a value that was rejected, so the default stays."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing()


class Checker:
    """Collects issues and the span of every checked key while walking a document."""

    __slots__ = ("display", "issues", "spans")

    def __init__(self, display: str) -> None:
        self.display = display
        self.issues: list[ConfigIssue] = []
        self.spans: dict[str, Span] = {}

    def report(self, kind: IssueKind, key_path: str, message: str, span: Span) -> None:
        """Record one issue."""
        self.issues.append(ConfigIssue(message, key_path, span, kind))

    def span_of(self, node: object, key: object, fallback: Span) -> Span:
        """Return where key (or list index) ``key`` of ``node`` is written, else ``fallback``."""
        marks: Any = getattr(node, "marks", None)
        try:
            line, column = marks[key]
        except (KeyError, IndexError, TypeError):
            return fallback
        return Span(self.display, line + 1, column + 1)


def join(path: str, key: object) -> str:
    """Return the dotted key path of ``key`` below ``path`` (an empty key shows as ``""``)."""
    name = str(key) if key != "" else '""'
    return f"{path}.{name}" if path else name


def suggestion(word: object, options: Sequence[str]) -> str:
    """Return a ``(did you mean 'x'?)`` suffix for a misspelt ``word``, or ``""``."""
    if not isinstance(word, str):
        return ""
    underscored = word.replace("-", "_")
    if underscored != word and underscored in options:
        return f" (did you mean '{underscored}'?)"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def plain(value: object) -> object:
    """Turn a parsed YAML value into plain dicts, lists and builtin scalars."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def describe(value: object) -> str:
    """Name the type of a parsed YAML value for messages."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ('{shown}')"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if value is None:
        return "null"
    if isinstance(value, Mapping | list):
        return "a mapping" if isinstance(value, Mapping) else "a list"
    return f"a {type(value).__name__}"
