"""Parse meta.yaml text piece by piece (top-level sections, output items), caching each piece.

Variants of one recipe usually differ in a few lines; re-parsing only the pieces that changed
keeps pure-Python YAML parsing off the hot path. An output item is parsed key by key (its
name, build, requirements, test...): variants of a multi-output recipe mostly differ in one
or two of them. Anything unusual falls back to one parse of
the whole text, which is also what reports errors.
"""

from __future__ import annotations

import re
import threading

from smithy.errors import RecipeParseError
from smithy.recipe.jinja_pins import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN
from smithy.recipe.yaml_tree import (
    MAX_NODES,
    YamlBudgetError,
    YMap,
    YNode,
    YScalar,
    YSeq,
    parse_tree,
)

_CACHE_SIZE = 4096
# Scanned over the whole text, never line by line in Python; the patterns that scan all of it
# open with a line break, which re finds quickly (a "^" would be tried at every character).
# A line that starts a top-level key: not indented, not a comment, item or YAML indicator.
_TOP_CHARACTER = r"[^\s#\-?:\[\]{},&*!|>'\"%@`]"
_TOP_KEY = re.compile(_TOP_CHARACTER)
_TOP_KEY_AFTER = re.compile("\n" + _TOP_CHARACTER)
_OUTPUTS_HEADER = re.compile(r"outputs:(?:[ ]*|[ ]+#.*)$", re.MULTILINE)
# A line with something besides blanks and a comment. Blanks are YAML's (spaces; tabs make the
# text whole-only): a line of other white space (U+00A0, U+3000, \f...) is content to YAML.
_CONTENT = re.compile(r"^ *[^ \n#]", re.MULTILINE)
_ITEM = re.compile(r"( *)-(?: |$)", re.MULTILINE)
# An output item opening with its first key on the dash's line: "  - name: ...".
_ITEM_KEY = re.compile(f" *- +{_TOP_CHARACTER}")
# Text these can change the meaning of a piece seen alone: parse the whole text instead.
# A tab may be a YAML error only the whole text reveals: in a line's indentation (before a
# comment, in a blank line before the next key), after an item's "name:"... (no recipe of the
# corpora has one).
_WHOLE_ONLY_ANYWHERE = ("<<", "\t", "\r", "\x85", "\u2028", "\u2029")
_WHOLE_ONLY_LINE_STARTS = ("---", "...", "%")
_WHOLE_ONLY_AFTER_BREAK = re.compile(r"\n(?:---|\.\.\.|%)")
# The parser drops a byte order mark that opens its text: one opening a later piece is a key's
# first character in the whole text.
_BOM = "\ufeff"
# Characters the parser refuses anywhere (its reader's check), comments and blank lines too:
# those between pieces (before the first key, after "outputs:") are in no piece.
_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The same test for text of one byte per character (nearly every recipe): the bytes left once
# these are deleted are the refused ones, a C loop ~8x faster than the pattern's search
# (ctng-compilers: 30 ms).
_ALLOWED_LATIN_1 = b"\t\n\r" + bytes(range(0x20, 0x7F)) + b"\x85" + bytes(range(0xA0, 0x100))

_pieces: dict[tuple[int, str], YNode | None] = {}
# Each piece text's first parse and its line: the same text at another line is moved, not
# parsed (variants shift later outputs by a line or two).
_texts: dict[str, tuple[int, YNode | None]] = {}
_lock = threading.Lock()


class _Lines:
    """Line numbers (0-based) of positions met in increasing order, counted as it goes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 0

    def of(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _piece(text: str, start: int, end: int, line: int, path: str) -> YNode | None:
    # The piece keeps the line break that ends it in the whole text: a block scalar's value
    # ends with it.
    piece = text[start:end]
    key = (line, piece)
    if key in _pieces:
        return _pieces[key]
    elsewhere = _texts.get(piece)
    if elsewhere is not None:  # parsed at another line: the same tree, its lines moved
        first_line, first = elsewhere
        tree = None if first is None else _moved(first, line - first_line, {})
    else:
        tree = parse_tree(piece, path, line)
        with _lock:
            _texts[piece] = (line, tree)
    _store(key, tree)
    return tree


def _moved(node: YNode, delta: int, done: dict[int, YNode]) -> YNode:
    """``node`` with every line number moved by ``delta`` (aliased nodes stay shared).

    A text's parse at another line offset differs only in its line numbers (``parse_tree``
    adds the offset to each and uses it nowhere else; the path only names errors, and failed
    parses are not kept).
    """
    found = done.get(id(node))
    if found is not None:
        return found
    moved: YNode
    if isinstance(node, YScalar):
        moved = YScalar(node.value, node.line + delta, node.size, node.column)
    elif isinstance(node, YSeq):
        items = tuple(_moved(item, delta, done) for item in node.items)
        moved = YSeq(items, node.line + delta, node.size)
    else:
        entries = {key: _moved(value, delta, done) for key, value in node.entries.items()}
        key_lines = {key: line + delta for key, line in node.key_lines.items()}
        moved = YMap(entries, node.line + delta, node.size, key_lines, dict(node.key_columns))
    done[id(node)] = moved
    return moved


def _store(key: tuple[int, str], tree: YNode | None) -> None:
    with _lock:
        if len(_pieces) >= _CACHE_SIZE:
            _pieces.clear()
            _texts.clear()
        _pieces[key] = tree


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _item_keys(text: str, start: int, end: int) -> list[int]:
    """Where the keys of a ``- key: ...`` item's mapping start (its first line first).

    A line indented exactly as the first key and opening like a key can only be another key
    of that mapping (or bad YAML): deeper text belongs to a value, shallower ends the item.
    """
    first = text.find("\n", start, end)
    column = _ITEM_KEY.match(text, start, end if first < 0 else first)
    if column is None or first < 0:
        return [start]
    key = re.compile(f"\\n{' ' * (column.end() - 1 - start)}{_TOP_CHARACTER}")
    return [start, *(match.start() + 1 for match in key.finditer(text, first, end))]


def _item(text: str, start: int, end: int, lines: _Lines, path: str) -> YNode | None:
    """One output item, parsed key by key so variants share its unchanged keys' parses.

    Falls back to the whole item when its keys do not each read as a mapping of their own.
    """
    key = (lines.of(start), text[start:end])
    if key in _pieces:
        return _pieces[key]
    tree = _item_by_keys(text, start, end, lines, path)
    if tree is None:
        return _piece(text, start, end, key[0], path)
    _store(key, tree)
    return tree


def _item_by_keys(text: str, start: int, end: int, lines: _Lines, path: str) -> YSeq | None:
    """The item joined from a parse per top-level key; None when a key block is no mapping."""
    starts = _item_keys(text, start, end)
    if len(starts) == 1:
        return None
    head = _piece(text, start, starts[1], lines.of(start), path)
    if not isinstance(head, YSeq) or len(head.items) != 1 or not isinstance(head.items[0], YMap):
        return None
    first = head.items[0]
    entries, key_lines = dict(first.entries), dict(first.key_lines)
    key_columns = dict(first.key_columns)
    for begin, stop in zip(starts[1:], [*starts[2:], end], strict=True):
        block = _piece(text, begin, stop, lines.of(begin), path)
        if not isinstance(block, YMap):
            return None
        entries.update(block.entries)
        key_lines.update(block.key_lines)
        key_columns.update(block.key_columns)
    size = 1 + sum(value.size for value in entries.values())
    mapping = YMap(entries, first.line, size, key_lines, key_columns)
    return YSeq((mapping,), head.line, 1 + size)


def _outputs(text: str, body: int, end: int, lines: _Lines, path: str) -> YSeq | None:
    """Parse an ``outputs:`` section item by item; None when it is not a plain item list."""
    content = _CONTENT.search(text, body, end)
    if content is None:
        return None
    first = _ITEM.match(text, _line_start(text, content.start()), end)
    if first is None:
        return None
    item = re.compile(f"\\n{first.group(1)}-(?: |$)", re.MULTILINE)
    later = item.finditer(text, first.start(), end)
    starts = [first.start(), *(match.start() + 1 for match in later)]
    items: list[YNode] = []
    first_line = lines.of(starts[0])
    for index, begin in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else end
        piece = _item(text, begin, stop, lines, path)
        if not isinstance(piece, YSeq):
            return None
        items.extend(piece.items)
    return YSeq(tuple(items), first_line + 1, 1 + sum(item.size for item in items))


def _sections(text: str, path: str) -> YMap | None:
    later = (match.start() + 1 for match in _TOP_KEY_AFTER.finditer(text))
    starts = [0, *later] if _TOP_KEY.match(text) else list(later)
    if not starts or _CONTENT.search(text, 0, starts[0]) is not None:
        return None
    lines = _Lines(text)
    first_line = lines.of(starts[0])
    entries: dict[str, YNode] = {}
    key_lines: dict[str, int] = {}
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        line = lines.of(start)
        header = _OUTPUTS_HEADER.match(text, start, end)
        if header is not None:
            body = min(header.end() + 1, end)
            items = _outputs(text, body, end, lines, path)
            if items is not None:
                entries["outputs"] = items
                key_lines["outputs"] = line + 1
                continue
        piece = _piece(text, start, end, line, path)
        if not isinstance(piece, YMap):
            return None
        entries.update(piece.entries)
        key_lines.update(piece.key_lines)
    size = 1 + sum(value.size for value in entries.values())
    if size > MAX_NODES:
        return None
    return YMap(entries, first_line + 1, size, key_lines)


def _whole_only(text: str) -> bool:
    return (
        any(part in text for part in _WHOLE_ONLY_ANYWHERE)
        or text.startswith(_WHOLE_ONLY_LINE_STARTS)
        or _WHOLE_ONLY_AFTER_BREAK.search(text) is not None
        or text.find(_BOM, 1) != -1
        or _has_non_printable(text)
    )


def _has_non_printable(text: str) -> bool:
    """Whether ``text`` holds a character the YAML reader refuses."""
    # The pin placeholders a render leaves (U+E000, U+E001: allowed) are often a text's only
    # wide characters: without them the byte test below holds (ctng-compilers: 227 texts of 20k
    # characters, which the pattern's search scanned). Replacing what is absent is a fast scan.
    narrow = text.replace(PLACEHOLDER_OPEN, "").replace(PLACEHOLDER_CLOSE, "")
    try:
        data = narrow.encode("latin-1")
    except UnicodeEncodeError:
        return _NON_PRINTABLE.search(text) is not None  # wider characters
    return bool(data.translate(None, _ALLOWED_LATIN_1))


def parse_document(text: str, path: str) -> YNode | None:
    """Parse a whole meta.yaml document, reusing cached parses of unchanged pieces.

    The result equals ``parse_tree(text, path)``; errors come from that whole parse.

    Raises:
        RecipeParseError: the text is not valid YAML (see ``parse_tree``).
    """
    if not _whole_only(text):
        try:
            tree = _sections(text, path)
        except YamlBudgetError:
            raise  # the whole text is larger still
        except RecipeParseError:
            tree = None
        if tree is not None:
            return tree
    return parse_tree(text, path)
