"""Read rendered meta.yaml text into an immutable node tree with lines, as conda-build reads it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import field
from typing import Any

from smithy.errors import RecipeParseError, Span
from smithy.records import record
from smithy.yaml import MAX_NODES, MERGE_TAG, Mapping, Node, Scalar, Sequence, YamlError, compose

__all__ = [
    "MAX_NODES",
    "YMap",
    "YNode",
    "YScalar",
    "YSeq",
    "YamlBudgetError",
    "parse_tree",
    "to_plain",
]

# conda-build loads meta.yaml with PyYAML's YAML 1.1 rules minus int and float: numbers stay
# text (so version 1.10 is "1.10"), while these plain words become booleans and nulls.
_BOOLEANS = {
    word: value
    for value, words in ((True, ("yes", "true", "on")), (False, ("no", "false", "off")))
    for base in words
    for word in (base, base.capitalize(), base.upper())
}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

ScalarValue = str | bool | None


@record
class YScalar:
    """A scalar: text, a boolean or None; ``line`` and ``column`` are 1-based (0: unknown)."""

    value: ScalarValue
    line: int
    size: int = 1
    column: int = field(default=0, compare=False)


@record
class YSeq:
    """A sequence of nodes."""

    items: tuple[YNode, ...]
    line: int
    size: int


@record
class YMap:
    """A mapping from text keys to nodes (later duplicate keys win, as in conda-build)."""

    entries: dict[str, YNode]
    line: int
    size: int
    key_lines: dict[str, int]
    key_columns: dict[str, int] = field(default_factory=dict, compare=False)

    def get(self, key: str) -> YNode | None:
        """Return the node under ``key`` or None."""
        return self.entries.get(key)

    def items(self) -> Iterator[tuple[str, YNode]]:
        """Iterate over ``(key, node)`` pairs in document order."""
        return iter(self.entries.items())


YNode = YScalar | YSeq | YMap


class YamlBudgetError(RecipeParseError):
    """The YAML crossed smithy.yaml's node or depth budget (no piece of it is worth retrying)."""


def _scalar(node: Scalar) -> ScalarValue:
    if not node.plain:  # quoted, block or tagged scalars are always text
        return node.value
    if node.value in _NULLS:
        return None
    return _BOOLEANS.get(node.value, node.value)


class _Builder:
    """Turns composed nodes into YNodes, sharing aliased nodes (budgets: smithy.yaml)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.done: dict[int, YNode] = {}

    def error(self, message: str, node: Node) -> RecipeParseError:
        return RecipeParseError(message, Span(self.path, node.line))

    def build(self, node: Node) -> YNode:
        key = id(node)
        found = self.done.get(key)
        if found is None:
            found = self.done[key] = self._build(node)
        return found

    def _build(self, node: Node) -> YNode:
        if isinstance(node, Scalar):
            return YScalar(_scalar(node), node.line, column=node.column)
        if isinstance(node, Sequence):
            items = tuple(self.build(item) for item in node.items)
            return YSeq(items, node.line, 1 + sum(item.size for item in items))
        return self._mapping(node)

    def _mapping(self, node: Mapping) -> YMap:
        entries: dict[str, YNode] = {}
        key_lines: dict[str, int] = {}
        key_columns: dict[str, int] = {}
        merged: dict[str, YNode] = {}
        for key_node, value_node in node.pairs:
            if isinstance(key_node, Scalar) and key_node.tag == MERGE_TAG:
                merged = {**self._merge_sources(value_node), **merged}
                continue
            if not isinstance(key_node, Scalar):
                raise self.error("mapping keys must be plain text", key_node)
            name = key_node.value
            if isinstance(value_node, Scalar) and not value_node.value and value_node.plain:
                # An empty value has no position of its own (the parser gives the next token's).
                entries[name] = YScalar(None, key_node.line, column=key_node.column)
            else:
                entries[name] = self.build(value_node)
            key_lines[name] = key_node.line
            key_columns[name] = key_node.column
        for name, value in merged.items():
            if name not in entries:
                entries[name] = value
                key_lines[name] = node.line
        size = 1 + sum(value.size for value in entries.values())
        return YMap(entries, node.line, size, key_lines, key_columns)

    def _merge_sources(self, node: Node) -> dict[str, YNode]:
        sources = node.items if isinstance(node, Sequence) else (node,)
        merged: dict[str, YNode] = {}
        for source in reversed(sources):  # earlier sources win
            built = self.build(source)
            if not isinstance(built, YMap):
                raise self.error("a YAML merge key (<<) needs a mapping", source)
            merged.update(built.entries)
        return merged


def parse_tree(text: str, path: str, line_offset: int = 0) -> YNode | None:
    """Parse one YAML document into a node tree; None for an empty document.

    Args:
        text: YAML text (jinja already rendered, selectors applied).
        path: how to name the file in errors.
        line_offset: lines of the file before ``text`` (when parsing a piece of it).

    Raises:
        RecipeParseError: the text is not YAML, or is hostile (recursive or huge aliases,
            absurd nesting); the span names the line.
    """
    try:
        node = compose(text, path, line_offset)
    except YamlError as exc:
        error = YamlBudgetError if exc.over_budget else RecipeParseError
        raise error(exc.message, exc.span) from None
    return None if node is None else _Builder(path).build(node)


def to_plain(node: YNode | None, text: Callable[[str], str] | None = None) -> Any:
    """Return ``node`` as fresh plain dicts, lists and scalars; ``text`` maps every string."""
    if node is None:
        return None
    if isinstance(node, YScalar):
        value = node.value
        return text(value) if text is not None and isinstance(value, str) else value
    if isinstance(node, YSeq):
        return [to_plain(item, text) for item in node.items]
    return {key: to_plain(value, text) for key, value in node.entries.items()}
