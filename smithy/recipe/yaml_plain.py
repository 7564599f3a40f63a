"""Plain data from shared meta.yaml trees, converting each subtree without pins once.

Variants of a recipe share most of their parsed nodes (``yaml_chunks`` caches each piece), and
most subtrees hold no pin placeholder, so their plain form is the same in every render. That
form is kept as a marshal blob and loaded into fresh dicts and lists per render: callers still
get data of their own, for a fraction of the cost of walking the nodes again in Python.
"""

from __future__ import annotations

import marshal
import threading
from collections.abc import Callable, Iterable
from typing import Any

from smithy.recipe.jinja_pins import PLACEHOLDER
from smithy.recipe.yaml_tree import YMap, YNode, YScalar, YSeq

# Every pin placeholder starts with this character; text without it is never rewritten.
MARK = PLACEHOLDER.pattern[0]
_CACHE_SIZE = 20_000
# A subtree without placeholders whose blob is not made yet: only a subtree converted again
# gets one (the first conversion of a text would otherwise dump every level of it).
_FIXED = b""
# Key: id(node); _nodes holds each node, so its id cannot be reused while the entry lives.
# Value: the subtree's plain form as a blob, _FIXED, or None when a string in it holds a
# placeholder. (Two dicts rather than pairs: a dict of ints and bytes costs the garbage
# collector nothing.)
_blobs: dict[int, bytes | None] = {}
_nodes: dict[int, YNode] = {}
_lock = threading.Lock()


def _state(node: YMap | YSeq) -> bytes | bool | None:
    """The node's entry; False when it has none."""
    if _nodes.get(id(node)) is not node:
        return False
    return _blobs.get(id(node), False)


def _fixed(node: YNode) -> bool:
    """Whether ``node``'s plain form holds no placeholder (known once it was converted)."""
    if isinstance(node, YScalar):
        return not (isinstance(node.value, str) and MARK in node.value)
    return isinstance(_state(node), bytes)


def _remember(node: YMap | YSeq, state: bytes | None) -> None:
    with _lock:
        if len(_blobs) >= _CACHE_SIZE:
            _blobs.clear()
            _nodes.clear()
        _blobs[id(node)] = state
        _nodes[id(node)] = node


def plain_resolved(node: YNode | None, resolve: Callable[[str], str] | None) -> Any:
    """``to_plain(node, resolve)`` for a ``resolve`` that leaves text without a placeholder be.

    Subtrees without placeholders come from their cached blob; the rest is walked, and
    ``resolve`` is called on the strings holding one (None: every string stays as it is).
    """
    if node is None:
        return None
    if isinstance(node, YScalar):
        value = node.value
        if resolve is not None and isinstance(value, str) and MARK in value:
            return resolve(value)
        return value
    state = _state(node)
    if state:  # a blob
        return marshal.loads(state)  # type: ignore[arg-type]
    plain: Any
    if isinstance(node, YSeq):
        plain = [plain_resolved(item, resolve) for item in node.items]
        children: Iterable[YNode] = node.items
    else:
        plain = {key: plain_resolved(value, resolve) for key, value in node.entries.items()}
        children = node.entries.values()
    if state is False:  # first conversion
        _remember(node, _FIXED if all(_fixed(child) for child in children) else None)
    elif state == _FIXED:  # converted again: worth a blob
        _remember(node, marshal.dumps(plain))
    return plain
