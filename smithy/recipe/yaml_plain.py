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

from smithy.recipe.jinja_functions import PLACEHOLDER
from smithy.recipe.yaml_tree import YMap, YNode, YScalar, YSeq

# Every pin placeholder starts with this character; text without it is never rewritten.
MARK = PLACEHOLDER.pattern[0]
_CACHE_SIZE = 20_000
# Key: id(node); _nodes holds each node, so its id cannot be reused while the entry lives.
# Value: the subtree's plain form as a blob, or None when a string in it holds a placeholder.
# (Two dicts rather than pairs: a dict of ints and bytes is no work for the garbage collector.)
_blobs: dict[int, bytes | None] = {}
_nodes: dict[int, YNode] = {}
_lock = threading.Lock()


def _fixed(node: YNode) -> bool:
    """Whether ``node``'s plain form holds no placeholder (known once it was converted)."""
    if isinstance(node, YScalar):
        return not (isinstance(node.value, str) and MARK in node.value)
    return _nodes.get(id(node)) is node and _blobs.get(id(node)) is not None


def _remember(node: YMap | YSeq, value: Any, children: Iterable[YNode]) -> None:
    blob = marshal.dumps(value) if all(_fixed(child) for child in children) else None
    with _lock:
        if len(_blobs) >= _CACHE_SIZE:
            _blobs.clear()
            _nodes.clear()
        _blobs[id(node)] = blob
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
    seen = _nodes.get(id(node)) is node
    blob = _blobs.get(id(node)) if seen else None
    if blob is not None:
        return marshal.loads(blob)
    plain: Any
    if isinstance(node, YSeq):
        plain = [plain_resolved(item, resolve) for item in node.items]
        children: Iterable[YNode] = node.items
    else:
        plain = {key: plain_resolved(value, resolve) for key, value in node.entries.items()}
        children = node.entries.values()
    if not seen:
        _remember(node, plain, children)
    return plain
