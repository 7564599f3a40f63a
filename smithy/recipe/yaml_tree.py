"""Read rendered meta.yaml text into an immutable node tree with lines, as conda-build reads it."""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from smithy.errors import RecipeParseError, Span

# After alias expansion; far above any real recipe, low enough to stop "billion laughs".
MAX_NODES = 200_000
_MAX_DEPTH = 200
_SURROGATE = re.compile("[\\ud800-\\udfff]")
_MERGE_TAG = "tag:yaml.org,2002:merge"
# conda-build loads meta.yaml with PyYAML's YAML 1.1 rules minus int and float: numbers stay
# text (so version 1.10 is "1.10"), while these plain words become booleans and nulls.
_BOOLEANS = {
    word: value
    for value, words in ((True, ("yes", "true", "on")), (False, ("no", "false", "off")))
    for base in words
    for word in (base, base.capitalize(), base.upper())
}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Scalar = str | bool | None

# YAML allows redefining an anchor; ruamel warns on stderr, which core code must not cause.
warnings.filterwarnings("ignore", category=ReusedAnchorWarning)


@dataclass(frozen=True, slots=True)
class YScalar:
    """A scalar: text, a boolean or None; ``line`` is 1-based."""

    value: Scalar
    line: int
    size: int = 1


@dataclass(frozen=True, slots=True)
class YSeq:
    """A sequence of nodes."""

    items: tuple[YNode, ...]
    line: int
    size: int


@dataclass(frozen=True, slots=True)
class YMap:
    """A mapping from text keys to nodes (later duplicate keys win, as in conda-build)."""

    entries: dict[str, YNode]
    line: int
    size: int
    key_lines: dict[str, int]

    def get(self, key: str) -> YNode | None:
        """Return the node under ``key`` or None."""
        return self.entries.get(key)

    def items(self) -> Iterator[tuple[str, YNode]]:
        """Iterate over ``(key, node)`` pairs in document order."""
        return iter(self.entries.items())


YNode = YScalar | YSeq | YMap

_local = threading.local()


def _composer() -> YAML:
    yaml: YAML | None = getattr(_local, "yaml", None)
    if yaml is None:
        yaml = YAML(typ="safe", pure=True)
        _local.yaml = yaml
    return yaml


_BRACKETS = re.compile(r"[][{}]")


def _flow_too_deep(text: str) -> bool:
    """Whether ``[``/``{`` nest beyond ``_MAX_DEPTH``.

    Brackets inside strings count too: harmless, no real recipe comes near the limit.
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return True
        elif depth:
            depth -= 1
    return False


def _compose(text: str) -> Node | None:
    try:
        node: Node | None = _composer().compose(text)
    except BaseException:
        _local.yaml = None  # a failed parse can leave ruamel's reader and scanner half-reset
        raise
    return node


def _scalar(node: ScalarNode) -> Scalar:
    text: str = node.value
    if node.style:  # quoted or block scalars are always text
        return text
    if text in _NULLS:
        return None
    return _BOOLEANS.get(text, text)


class _Builder:
    """Turns composed ruamel nodes into YNodes, sharing aliased nodes and bounding size."""

    def __init__(self, path: str, line_offset: int) -> None:
        self.path = path
        self.offset = line_offset + 1  # ruamel counts from 0
        self.done: dict[int, YNode] = {}
        self.active: set[int] = set()

    def error(self, message: str, node: Node) -> RecipeParseError:
        return RecipeParseError(message, Span(self.path, node.start_mark.line + self.offset))

    def build(self, node: Node) -> YNode:
        key = id(node)
        found = self.done.get(key)
        if found is not None:
            return found
        if key in self.active:
            raise self.error("recursive YAML alias", node)
        if len(self.active) > _MAX_DEPTH:
            raise self.error(f"YAML nested deeper than {_MAX_DEPTH} levels", node)
        self.active.add(key)
        result = self._build(node)
        self.active.discard(key)
        if result.size > MAX_NODES:
            raise self.error(f"YAML expands to more than {MAX_NODES} values", node)
        self.done[key] = result
        return result

    def _build(self, node: Node) -> YNode:
        line = node.start_mark.line + self.offset
        if isinstance(node, ScalarNode):
            if _SURROGATE.search(node.value):
                # "\ud800" escapes make text no file can hold; rerender and printing would crash.
                raise self.error(
                    "a \\ud800-\\udfff escape is half a UTF-16 pair, not a character", node
                )
            return YScalar(_scalar(node), line)
        if isinstance(node, SequenceNode):
            items = tuple(self.build(item) for item in node.value)
            return YSeq(items, line, 1 + sum(item.size for item in items))
        if isinstance(node, MappingNode):
            return self._mapping(node, line)
        raise self.error("unsupported YAML node", node)  # pragma: no cover - ruamel has 3

    def _mapping(self, node: MappingNode, line: int) -> YMap:
        entries: dict[str, YNode] = {}
        key_lines: dict[str, int] = {}
        merged: dict[str, YNode] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE_TAG:
                merged = {**self._merge_sources(value_node), **merged}
                continue
            if not isinstance(key_node, ScalarNode):
                raise self.error("mapping keys must be plain text", key_node)
            name = str(key_node.value)
            key_line = key_node.start_mark.line + self.offset
            if isinstance(value_node, ScalarNode) and not value_node.value and not value_node.style:
                # An empty value has no position of its own (ruamel gives the next token's).
                entries[name] = YScalar(None, key_line)
            else:
                entries[name] = self.build(value_node)
            key_lines[name] = key_line
        for name, value in merged.items():
            if name not in entries:
                entries[name] = value
                key_lines[name] = line
        size = 1 + sum(value.size for value in entries.values())
        return YMap(entries, line, size, key_lines)

    def _merge_sources(self, node: Node) -> dict[str, YNode]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, YNode] = {}
        for source in reversed(sources):  # earlier sources win
            built = self.build(source)
            if not isinstance(built, YMap):
                raise self.error("a YAML merge key (<<) needs a mapping", source)
            merged.update(built.entries)
        return merged


def _yaml_error(exc: YAMLError, path: str, line_offset: int) -> RecipeParseError:
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "stream end" in problem or "end of stream" in problem:
            # Past the last line the reader knows nothing useful; point where the open
            # construct (flow list, quoted text) began instead.
            mark = exc.context_mark or mark
        line = mark.line + 1 + line_offset if mark is not None else 0
        column = mark.column + 1 if mark is not None else 0
        where = f" ({exc.context})" if exc.context and exc.problem else ""
        return RecipeParseError(f"invalid YAML: {problem}{where}", Span(path, line, column))
    return RecipeParseError(f"invalid YAML: {' '.join(str(exc).split())}", Span(path))


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
    if _flow_too_deep(text):
        # ruamel would recurse until Python's limit first: seconds per parse, and lint parses
        # a file several times.
        raise RecipeParseError(f"YAML nested deeper than {_MAX_DEPTH} levels", Span(path))
    try:
        node = _compose(text)
    except YAMLError as exc:
        raise _yaml_error(exc, path, line_offset) from None
    except RecursionError:
        raise RecipeParseError("YAML nested too deeply", Span(path)) from None
    except Exception as exc:  # ruamel's own failures on malformed input are bad input too
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise RecipeParseError(f"invalid YAML: {message}", Span(path)) from None
    if node is None:
        return None
    try:
        return _Builder(path, line_offset).build(node)
    except RecursionError:
        raise RecipeParseError("YAML nested too deeply", Span(path)) from None


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
