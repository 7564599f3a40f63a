"""Read a migration file as raw data with line numbers, selectors left as comments."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smithy.errors import PinningError, Span
from smithy.records import record
from smithy.textfile import read_user_text
from smithy.variants.yaml_tree import Map, Node, Scalar, Seq, parse_yaml

MIGRATOR = "__migrator"
TIMESTAMP = "migrator_ts"
# Top-level keys that are not variant keys.
NON_VARIANT_KEYS = frozenset({MIGRATOR, TIMESTAMP, "zip_keys", "pin_run_as_build"})
_TS_LINE = re.compile(r"^migrator_ts:\s*['\"]?([0-9][0-9.]*)", re.MULTILINE)


@record
class RawMigration:
    """A migration file as written (no selectors applied).

    Attributes:
        path: the file.
        name: file name without ``.yaml``.
        text: the file's text.
        data: the document as str / list / dict (last duplicate key wins).
        lines: top-level key -> line; ``__migrator.<key>`` -> line for control keys.
    """

    path: Path
    name: str
    text: str
    data: Mapping[str, Any]
    lines: Mapping[str, int]

    @property
    def migrator(self) -> Mapping[str, Any]:
        """The ``__migrator`` block ({} when absent or not a mapping)."""
        block = self.data.get(MIGRATOR)
        return block if isinstance(block, Mapping) else {}

    @property
    def variant_keys(self) -> tuple[str, ...]:
        """Variant keys the file sets, in file order."""
        return tuple(key for key in self.data if key not in NON_VARIANT_KEYS)

    def span(self, key: str = "") -> Span:
        """Where ``key`` (``name`` or ``__migrator.name``) is written; the file otherwise."""
        return Span(str(self.path), self.lines.get(key, 0))


def to_python(node: Node) -> Any:
    """Nodes as plain data, every scalar kept as its source text."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [to_python(item) for item in node.items]
    return {key.value: to_python(value) for key, value in node.entries}


def read_migration(path: Path) -> RawMigration:
    """Read ``path`` without applying selectors.

    Raises:
        PinningError: the file cannot be read, is not YAML or not a mapping.
    """
    shown = str(path)
    text = read_user_text(path, shown, PinningError)
    root = parse_yaml(text, shown)
    if root is None:
        return RawMigration(path, path.stem, text, {}, {})
    if not isinstance(root, Map):
        raise PinningError("a migration file must be a mapping", Span(shown, root.line))
    lines: dict[str, int] = {}
    for key, value in root.entries:
        lines[key.value] = key.line
        if key.value == MIGRATOR and isinstance(value, Map):
            for inner, _ in value.entries:
                lines[f"{MIGRATOR}.{inner.value}"] = inner.line
    return RawMigration(path, path.stem, text, to_python(root), lines)


def timestamp_text(text: str) -> str | None:
    """The ``migrator_ts`` written in ``text`` (a cheap scan, no YAML parse); None if absent."""
    match = _TS_LINE.search(text)
    return match.group(1) if match else None
