"""Parse YAML text into plain values that remember where each key and list item is written.

ruamel's pure-Python composer (without the round-trip comment handling, which costs a third of
the time) builds the node tree; this module turns nodes into dicts, lists and scalars itself so
that every key keeps its position. Scalars follow YAML 1.1, as PyYAML (and so conda-smithy)
reads conda-forge.yml: ``yes``/``no``/``on``/``off`` are booleans.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLFutureWarning, YAMLWarning
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from smithy.config.checking import Checker
from smithy.errors import ConfigError, Span

_CORE = "tag:yaml.org,2002:"
# Aliases can make a small file expand into a huge tree; refuse beyond this many values.
_MAX_NODES = 20_000
# Lone UTF-16 surrogates, which a "\\ud800" escape in a double-quoted string produces.
_SURROGATE = re.compile("[\\ud800-\\udfff]")


class LineMap(dict[Any, Any]):
    """A dict whose ``marks`` give each key's 0-based (line, column)."""

    __slots__ = ("marks",)

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[Any, tuple[int, int]] = {}


class LineList(list[Any]):
    """A list whose ``marks`` give each item's 0-based (line, column)."""

    __slots__ = ("marks",)

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[int, int]] = []


class _Builder:
    """Turns composed nodes into LineMap/LineList/scalars, reporting duplicate keys."""

    __slots__ = ("budget", "chk", "constructor")

    def __init__(self, constructor: Any, chk: Checker) -> None:
        self.constructor = constructor
        self.chk = chk
        self.budget = _MAX_NODES

    def error(self, message: str, node: Node) -> ConfigError:
        mark = node.start_mark
        return ConfigError(message, Span(self.chk.display, mark.line + 1, mark.column + 1))

    def value(self, node: Node) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.error("too many values (aliases expand beyond the limit)", node)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode) and node.tag == _CORE + "seq":
            items = LineList()
            for child in node.value:
                items.append(self.value(child))
                items.marks.append((child.start_mark.line, child.start_mark.column))
            return items
        if isinstance(node, MappingNode) and node.tag == _CORE + "map":
            return self.mapping(node)
        raise self.error(f"unsupported YAML tag '{node.tag}'", node)

    def mapping(self, node: MappingNode) -> LineMap:
        self.constructor.flatten_mapping(node)  # resolves `<<:` merge keys in place
        out = LineMap()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.error("mapping keys must be plain values", key_node)
            key = self.scalar(key_node)
            mark = key_node.start_mark
            if key in out:
                # PyYAML, and so conda-smithy, keep the last value of a repeated key.
                message = f"duplicate key '{key}'; the last one is used"
                span = Span(self.chk.display, mark.line + 1, mark.column + 1)
                self.chk.report("invalid-value", str(key), message, span)
            out[key] = self.value(value_node)
            out.marks[key] = (mark.line, mark.column)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _CORE + "str" or tag == _CORE + "timestamp":
            if _SURROGATE.search(node.value):
                # Such text cannot be written as UTF-8: rerender would fail on every file.
                raise self.error(
                    "a \\ud800-\\udfff escape is half a UTF-16 pair, not a character; "
                    "write the character itself",
                    node,
                )
            return node.value
        if tag == _CORE + "null":
            return None
        if tag == _CORE + "bool":
            return self.constructor.construct_yaml_bool(node)
        if tag == _CORE + "int":
            return self.constructor.construct_yaml_int(node)
        if tag == _CORE + "float":
            return self.constructor.construct_yaml_float(node)
        raise self.error(f"unsupported YAML tag '{tag}'", node)


def parse_yaml(text: str, chk: Checker) -> tuple[Any, int]:
    """Parse the first YAML document of ``text``.

    Returns:
        The document (None when empty) and the 1-based line where it starts.

    Raises:
        ConfigError: malformed YAML, unsupported tags, or a tree too large to load.
    """
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    try:
        with warnings.catch_warnings():
            # ruamel warns about reused anchors and odd floats; smithy never prints from core.
            warnings.simplefilter("ignore", YAMLWarning)
            warnings.simplefilter("ignore", YAMLFutureWarning)
            documents = list(yaml.compose_all(text))
            if not documents or documents[0] is None:
                return None, 1
            root = documents[0]
            return _Builder(yaml.constructor, chk).value(root), root.start_mark.line + 1
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(chk.display, mark.line + 1, mark.column + 1) if mark else Span(chk.display)
        problem = exc.problem or exc.context or "malformed YAML"
        raise ConfigError(f"invalid YAML: {problem}", span) from None
    except ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise ConfigError(f"invalid YAML: {exc.reason}", Span(chk.display, line)) from None
    except (YAMLError, ValueError, TypeError) as exc:
        raise ConfigError(f"invalid YAML: {exc}", Span(chk.display)) from None
    except RecursionError:
        raise ConfigError("invalid YAML: nested too deeply", Span(chk.display)) from None
