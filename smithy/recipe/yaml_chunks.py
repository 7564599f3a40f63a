"""Parse meta.yaml text piece by piece (top-level sections, output items), caching each piece.

Variants of one recipe usually differ in a few lines; re-parsing only the pieces that changed
keeps pure-Python YAML parsing off the hot path. Anything unusual falls back to one parse of
the whole text, which is also what reports errors.
"""

from __future__ import annotations

import re
import threading

from smithy.errors import RecipeParseError
from smithy.recipe.yaml_tree import MAX_NODES, YamlBudgetError, YMap, YNode, YSeq, parse_tree

_CACHE_SIZE = 4096
# A line that starts a top-level key: not indented, not a comment, item or YAML indicator.
_TOP_KEY = re.compile(r"[^\s#\-?:\[\]{},&*!|>'\"%@`]")
_OUTPUTS_HEADER = re.compile(r"outputs:\s*(#.*)?$")
_ITEM = re.compile(r"( *)-(?: |$)")
# Text these can change the meaning of a piece seen alone: parse the whole text instead.
# A tab opening a line may be a YAML error only the whole text reveals (before a comment, say).
_WHOLE_ONLY = re.compile(r"<<|^(?:---|\.\.\.|%|\t)|[\r\x85\u2028\u2029]", re.MULTILINE)

_pieces: dict[tuple[int, str], YNode | None] = {}
_lock = threading.Lock()


def _piece(lines: list[str], start: int, end: int, path: str) -> YNode | None:
    # Keep the line break that ends the piece in the whole text: a block scalar's value
    # ends with it.
    text = "\n".join(lines[start:end]) + ("\n" if end < len(lines) else "")
    key = (start, text)
    if key in _pieces:
        return _pieces[key]
    tree = parse_tree(text, path, start)
    with _lock:
        if len(_pieces) >= _CACHE_SIZE:
            _pieces.clear()
        _pieces[key] = tree
    return tree


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _outputs(lines: list[str], start: int, end: int, path: str) -> YSeq | None:
    """Parse an ``outputs:`` section item by item; None when it is not a plain item list."""
    body = [i for i in range(start + 1, end) if _is_content(lines[i])]
    if not body:
        return None
    first = _ITEM.match(lines[body[0]])
    if first is None:
        return None
    indent = first.group(1)
    starts = [i for i in body if (item := _ITEM.match(lines[i])) and item.group(1) == indent]
    items: list[YNode] = []
    for index, begin in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else end
        piece = _piece(lines, begin, stop, path)
        if not isinstance(piece, YSeq):
            return None
        items.extend(piece.items)
    return YSeq(tuple(items), starts[0] + 1, 1 + sum(item.size for item in items))


def _sections(lines: list[str], path: str) -> YMap | None:
    starts = [i for i, line in enumerate(lines) if line and _TOP_KEY.match(line)]
    if not starts:
        return None
    bounds = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    if any(_is_content(line) for line in lines[: starts[0]]):
        return None
    entries: dict[str, YNode] = {}
    key_lines: dict[str, int] = {}
    for start, end in bounds:
        if _OUTPUTS_HEADER.match(lines[start]):
            items = _outputs(lines, start, end, path)
            if items is not None:
                entries["outputs"] = items
                key_lines["outputs"] = start + 1
                continue
        piece = _piece(lines, start, end, path)
        if not isinstance(piece, YMap):
            return None
        entries.update(piece.entries)
        key_lines.update(piece.key_lines)
    size = 1 + sum(value.size for value in entries.values())
    if size > MAX_NODES:
        return None
    return YMap(entries, starts[0] + 1, size, key_lines)


def parse_document(text: str, path: str) -> YNode | None:
    """Parse a whole meta.yaml document, reusing cached parses of unchanged pieces.

    The result equals ``parse_tree(text, path)``; errors come from that whole parse.

    Raises:
        RecipeParseError: the text is not valid YAML (see ``parse_tree``).
    """
    if not _WHOLE_ONLY.search(text):
        try:
            tree = _sections(text.split("\n"), path)
        except YamlBudgetError:
            raise  # the whole text is larger still
        except RecipeParseError:
            tree = None
        if tree is not None:
            return tree
    return parse_tree(text, path)
