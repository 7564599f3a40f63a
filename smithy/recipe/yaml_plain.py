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
# Key: id(node). The entry holds the node itself, so that id cannot be reused while it lives.
# Value: the subtree's plain form as a blob, or None when a string in it holds a placeholder.
_blobs: dict[int, tuple[YNode, bytes | None]] = {}
_lock = threading.Lock()


def _fixed(node: YNode) -> bool:
    """Whether ``node``'s plain form holds no placeholder (known once it was converted)."""
    if isinstance(node, YScalar):
        return not (isinstance(node.value, str) and MARK in node.value)
    found = _blobs.get(id(node))
    return found is not None and found[0] is node and found[1] is not None


def _remember(node: YMap | YSeq, value: Any, children: Iterable[YNode]) -> None:
    blob = marshal.dumps(value) if all(_fixed(child) for child in children) else None
    with _lock:
        if len(_blobs) >= _CACHE_SIZE:
            _blobs.clear()
        _blobs[id(node)] = (node, blob)


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
    found = _blobs.get(id(node))
    seen = found is not None and found[0] is node
    if found is not None and seen and found[1] is not None:
        return marshal.loads(found[1])
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
