"""Parse variant-file YAML into line-numbered nodes whose scalars are all source text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from smithy import yaml
from smithy.errors import PinningError, Span


class Scalar(NamedTuple):
    """A scalar as YAML's base loader sees it: the (unquoted) text, never a number or bool."""

    value: str
    line: int
    column: int


class Seq(NamedTuple):
    """A sequence (block or flow)."""

    items: tuple[Node, ...]
    line: int
    column: int


class Map(NamedTuple):
    """A mapping; ``entries`` keeps duplicate keys, in file order, for the caller to judge."""

    entries: tuple[tuple[Scalar, Node], ...]
    line: int
    column: int


Node = Scalar | Seq | Map

# The block-style subset variant files are written in is parsed here, twice as fast as
# smithy.yaml's libyaml path on the 1,200-line conda-forge pinning (2 ms against 4 ms, read once
# per platform); anything outside it (anchors, tags, block scalars, multi-line scalars, escapes,
# odd characters) goes to smithy.yaml, which also produces the error messages for broken YAML.

# Characters YAML forbids or treats as line breaks (NEL, LS, PS), and the byte-order mark.
_ODD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.+/-]*) *:(?: +(.*))?$")
# Plain values that need no further thought: the bulk of every pinning ("- 1.2.*", "- gcc").
_SIMPLE_VALUE = re.compile(r"'([^'\n]*)'|\"([^\"\\\\]*)\"|([A-Za-z0-9_.(/$=<~][^:#'\"]*)")
_BLOCK_START = frozenset("[]{},#&*!|>'\"%@`")
_FLOW_STOP = re.compile(r"[,\[\]{}]| #|:(?= |$|[,\[\]{}])")
_MAX_DEPTH = 32


class _Unsupported(Exception):
    """The text leaves the subset the fast parser handles; smithy.yaml decides."""


def _is_dash(text: str) -> bool:
    return text == "-" or text.startswith("- ")


def _plain_start_ok(text: str) -> bool:
    first = text[0]
    if first in _BLOCK_START:
        return False
    if first in "-?:":
        return len(text) > 1 and text[1] not in " ,[]{}"
    return True


def _end_of_line(rest: str) -> None:
    """Accept what may follow a complete value: nothing, or a comment after a space."""
    if rest and not (rest[0] == " " and rest.lstrip(" ")[:1] in ("", "#")):
        raise _Unsupported


def _quoted(text: str) -> tuple[str, str]:
    """Split a quoted scalar at the start of ``text`` into (value, the rest of the line)."""
    quote = text[0]
    if quote == '"':
        end = text.find('"', 1)
        if end < 0 or "\\" in text[1:end]:
            raise _Unsupported
        return text[1:end], text[end + 1 :]
    parts: list[str] = []
    start = 1
    while True:
        end = text.find("'", start)
        if end < 0:
            raise _Unsupported
        parts.append(text[start:end])
        if text[end + 1 : end + 2] != "'":
            return "'".join(parts), text[end + 1 :]
        start = end + 2


def _block_scalar(text: str, line: int, column: int) -> Node:
    """Parse a one-line value in block context: quoted, flow collection or plain."""
    first = text[0]
    if first in "'\"":
        value, rest = _quoted(text)
        _end_of_line(rest)
        return Scalar(value, line, column)
    if first in "[{":
        node, rest = _FlowParser(text, line, column).parse()
        _end_of_line(rest)
        return node
    if not _plain_start_ok(text):
        raise _Unsupported
    comment = text.find(" #")
    if comment >= 0:
        text = text[:comment]
    text = text.rstrip(" ")
    if ": " in text or text.endswith(":"):
        raise _Unsupported
    return Scalar(text, line, column)


class _FlowParser:
    """One-line flow collections of scalars: ``[a, 'b', [c, d]]`` and ``{k: v}``."""

    def __init__(self, text: str, line: int, column: int) -> None:
        self.text = text
        self.pos = 0
        self.line = line
        self.column = column

    def parse(self) -> tuple[Node, str]:
        node = self._node(0)
        return node, self.text[self.pos :]

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def _node(self, depth: int) -> Node:
        if depth > _MAX_DEPTH or self.pos >= len(self.text):
            raise _Unsupported
        char = self.text[self.pos]
        column = self.column + self.pos
        if char == "[":
            items: list[Node] = []
            self.pos += 1
            while self._next_item("]", not items):
                items.append(self._node(depth + 1))
            return Seq(tuple(items), self.line, column)
        if char == "{":
            entries: list[tuple[Scalar, Node]] = []
            self.pos += 1
            while self._next_item("}", not entries):
                key = self._scalar()
                if not self.text.startswith(": ", self.pos):
                    raise _Unsupported
                self.pos += 2
                self._skip()
                entries.append((key, self._node(depth + 1)))
            return Map(tuple(entries), self.line, column)
        return self._scalar()

    def _next_item(self, close: str, first: bool) -> bool:
        """Step over the comma before an item; False (past it) at the closing bracket."""
        if not first:
            self._skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith(close, self.pos):
                raise _Unsupported
        self._skip()
        if self.text.startswith(close, self.pos):
            self.pos += 1
            return False
        return True

    def _scalar(self) -> Scalar:
        column = self.column + self.pos
        rest = self.text[self.pos :]
        if not rest:
            raise _Unsupported
        if rest[0] in "'\"":
            value, after = _quoted(rest)
            self.pos = len(self.text) - len(after)
            return Scalar(value, self.line, column)
        if not _plain_start_ok(rest):
            raise _Unsupported
        stop = _FLOW_STOP.search(rest)
        end = stop.start() if stop else len(rest)
        value = rest[:end].rstrip(" ")
        if not value or ":" in value or "#" in value:
            raise _Unsupported
        self.pos += end
        return Scalar(value, self.line, column)


class _BlockParser:
    """Indentation-driven parser over (line, indent, text) tokens of one document."""

    def __init__(self, tokens: list[tuple[int, int, str]]) -> None:
        # A sentinel shallower than any line ends every block without bounds checks.
        self.tokens = [*tokens, (0, -1, "")]

    def parse(self) -> Node | None:
        if len(self.tokens) == 1:
            return None
        node, index = self._block(0, self.tokens[0][1], 0)
        if index != len(self.tokens) - 1:
            raise _Unsupported
        return node

    def _block(self, index: int, indent: int, depth: int) -> tuple[Node, int]:
        if depth > _MAX_DEPTH:
            raise _Unsupported
        line, _, text = self.tokens[index]
        if _is_dash(text):
            return self._seq(index, indent, depth)
        if _KEY.match(text):
            return self._map(index, indent, depth)
        return _block_scalar(text, line, indent + 1), self._after_scalar(index + 1, indent)

    def _after_scalar(self, index: int, indent: int) -> int:
        # A deeper line after a one-line value is a multi-line scalar or an error.
        if self.tokens[index][1] > indent:
            raise _Unsupported
        return index

    def _nested(self, index: int, indent: int, depth: int) -> tuple[Node, int]:
        """The value on the lines after ``key:`` or ``-`` (or an empty scalar)."""
        following = self.tokens[index + 1]
        if following[1] > indent:
            return self._block(index + 1, following[1], depth + 1)
        return Scalar("", self.tokens[index][0], indent + 1), index + 1

    def _seq(self, index: int, indent: int, depth: int) -> tuple[Node, int]:
        tokens = self.tokens
        items: list[Node] = []
        start_line = tokens[index][0]
        simple_value = _SIMPLE_VALUE.fullmatch
        while True:
            line, token_indent, text = tokens[index]
            if token_indent != indent or not _is_dash(text):
                break
            rest = text[1:].lstrip(" ")
            simple = simple_value(rest)
            if simple:
                column = indent + len(text) - len(rest) + 1
                items.append(Scalar(simple[simple.lastindex or 0], line, column))
                index += 1
                if tokens[index][1] > indent:
                    raise _Unsupported
                continue
            if not rest or rest[0] == "#":
                node, index = self._nested(index, indent, depth)
            else:
                column = indent + len(text) - len(rest)
                tokens[index] = (line, column, rest)
                node, index = self._block(index, column, depth + 1)
            items.append(node)
        return Seq(tuple(items), start_line, indent + 1), self._after_scalar(index, indent)

    def _map(self, index: int, indent: int, depth: int) -> tuple[Node, int]:
        tokens = self.tokens
        entries: list[tuple[Scalar, Node]] = []
        start_line = tokens[index][0]
        while tokens[index][1] == indent:
            line, _, text = tokens[index]
            match = _KEY.match(text)
            if match is None:
                raise _Unsupported
            key = Scalar(match[1], line, indent + 1)
            rest = match[2] or ""
            node: Node
            if rest and rest[0] != "#":
                node = _block_scalar(rest, line, indent + len(text) - len(rest) + 1)
                index = self._after_scalar(index + 1, indent)
            elif tokens[index + 1][1] == indent and _is_dash(tokens[index + 1][2]):
                node, index = self._seq(index + 1, indent, depth + 1)
            else:
                node, index = self._nested(index, indent, depth)
            entries.append((key, node))
        return Map(tuple(entries), start_line, indent + 1), self._after_scalar(index, indent)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _ODD_CHARACTER.search(text) or "\t" in text or "\r" in text:
        raise _Unsupported
    tokens: list[tuple[int, int, str]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        content = raw.lstrip(" ")
        if not content or content[0] == "#":
            continue
        content = content.rstrip(" ")
        if not content:
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if indent == 0 and content.startswith(("---", "...", "%")):
            raise _Unsupported
        tokens.append((number, indent, content))
    return tokens


def _parse_fast(text: str) -> Node | None:
    return _BlockParser(_tokens(text)).parse()


def _from_yaml(node: yaml.Node, path: str) -> Node:
    if isinstance(node, yaml.Scalar):
        return Scalar(node.value, node.line, node.column)
    if isinstance(node, yaml.Sequence):
        return Seq(tuple(_from_yaml(item, path) for item in node.items), node.line, node.column)
    entries: list[tuple[Scalar, Node]] = []
    for key_node, value_node in node.pairs:
        key = _from_yaml(key_node, path)
        if not isinstance(key, Scalar):
            raise PinningError(
                "mapping keys must be plain strings", Span(path, node.line, node.column)
            )
        entries.append((key, _from_yaml(value_node, path)))
    return Map(tuple(entries), node.line, node.column)


def _parse_general(text: str, path: str) -> Node | None:
    try:
        root = yaml.compose(text, path)
    except yaml.YamlError as exc:
        raise PinningError(exc.message, exc.span) from None
    return None if root is None else _from_yaml(root, path)


@lru_cache(maxsize=64)
def parse_yaml(text: str, path: str) -> Node | None:
    """Parse one YAML document into nodes; None when it holds nothing.

    Scalars keep their source text ("15", "2.10", "false", "None") as conda-build's
    ``BaseLoader`` does. Results are cached by text, so platforms whose selected text is the
    same share one parse.

    Raises:
        PinningError: the text is not valid YAML (with the line of the problem).
    """
    try:
        return _parse_fast(text)
    except _Unsupported:
        return _parse_general(text, path)
