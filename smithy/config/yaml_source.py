"""Parse YAML text into plain values that remember where each key and list item is written.

smithy.yaml composes the node tree; this module turns nodes into dicts, lists and scalars so
that every key keeps its position. Scalars follow YAML 1.1, as PyYAML (and so conda-smithy)
reads conda-forge.yml: ``yes``/``no``/``on``/``off`` are booleans.
"""

from __future__ import annotations

from typing import Any

from smithy import yaml
from smithy.config.checking import Checker
from smithy.errors import ConfigError, Span
from smithy.yaml.scalars import CORE, yaml11_tag, yaml11_value


class LineMap(dict[Any, Any]):
    """A dict whose ``marks`` give each key's 0-based (line, column)."""

    __slots__ = ("marks", "merged")

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[Any, tuple[int, int]] = {}
        self.merged: set[Any] = set()  # keys from ``<<`` while building: overriding is fine


class LineList(list[Any]):
    """A list whose ``marks`` give each item's 0-based (line, column)."""

    __slots__ = ("marks",)

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[int, int]] = []


class _Builder:
    """Turns composed nodes into LineMap/LineList/scalars, reporting duplicate keys."""

    __slots__ = ("chk",)

    def __init__(self, chk: Checker) -> None:
        self.chk = chk

    def error(self, message: str, node: yaml.Node) -> ConfigError:
        return ConfigError(message, Span(self.chk.display, node.line, node.column))

    def value(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.Scalar):
            return self.scalar(node)
        if node.tag not in ("", CORE + ("seq" if isinstance(node, yaml.Sequence) else "map")):
            raise self.error(f"unsupported YAML tag '{node.tag}'", node)
        if isinstance(node, yaml.Sequence):
            items = LineList()
            for child in node.items:
                items.append(self.value(child))
                items.marks.append((child.line - 1, child.column - 1))
            return items
        return self.mapping(node)

    def mapping(self, node: yaml.Mapping) -> LineMap:
        out = LineMap()
        merged = [pair for pair in node.pairs if pair[0].tag == yaml.MERGE_TAG]
        for _, source in merged:
            self._merge(out, source)
        for key_node, value_node in node.pairs:
            if key_node.tag == yaml.MERGE_TAG:
                continue
            if not isinstance(key_node, yaml.Scalar):
                raise self.error("mapping keys must be plain values", key_node)
            key = self.scalar(key_node)
            if key in out and key not in out.merged:
                # PyYAML, and so conda-smithy, keep the last value of a repeated key.
                message = f"duplicate key '{key}'; the last one is used"
                span = Span(self.chk.display, key_node.line, key_node.column)
                self.chk.report("invalid-value", str(key), message, span)
            out.merged.discard(key)
            out[key] = self.value(value_node)
            out.marks[key] = (key_node.line - 1, key_node.column - 1)
        out.merged.clear()
        return out

    def _merge(self, out: LineMap, source: yaml.Node) -> None:
        """``<<: *base`` (or a list of them): keys not yet present, earlier sources first."""
        sources = source.items if isinstance(source, yaml.Sequence) else (source,)
        for item in sources:
            if not isinstance(item, yaml.Mapping):
                raise self.error("a YAML merge key (<<) needs a mapping", item)
            value = self.mapping(item)
            for key, inner in value.items():
                if key not in out:
                    out[key] = inner
                    out.marks[key] = value.marks[key]
                    out.merged.add(key)

    def scalar(self, node: yaml.Scalar) -> Any:
        tag = yaml11_tag(node)
        if tag in (CORE + "str", CORE + "timestamp"):
            return node.value
        if tag in (CORE + "null", CORE + "bool", CORE + "int", CORE + "float"):
            try:
                return yaml11_value(node, tag)
            except ValueError as exc:
                raise self.error(str(exc), node) from None
        raise self.error(f"unsupported YAML tag '{tag}'", node)


def parse_yaml(text: str, chk: Checker) -> tuple[Any, int]:
    """Parse the first YAML document of ``text``.

    Returns:
        The document (None when empty) and the 1-based line where it starts.

    Raises:
        ConfigError: malformed YAML, unsupported tags, or a tree too large to load.
    """
    try:
        root = yaml.compose(text, chk.display, first_document=True)
    except yaml.YamlError as exc:
        raise ConfigError(exc.message, exc.span) from None
    if root is None:
        return None, 1
    return _Builder(chk).value(root), root.line
