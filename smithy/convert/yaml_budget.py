"""Limits on what convert's round-trip loader hands the tree walk: long numbers, alias bombs."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap


def long_number_line(texts: list[str], limit: int) -> int:
    """The first line holding a number longer than ``limit`` digits (0 when none is found)."""
    too_long = re.compile(rf"\d{{{limit + 1},}}")
    return next((number for number, text in enumerate(texts, 1) if too_long.search(text)), 0)


def oversized_key_line(tree: Any, limit: int) -> int | None:
    """The line of the top-level key at which the document, aliases expanded, passes ``limit``.

    Shared (aliased) nodes are sized once, so a bomb costs its written size, not its expansion.
    None when the document stays within ``limit`` (or is too deep to size: the loader refuses
    that itself).
    """
    if not isinstance(tree, CommentedMap):
        return None
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # an alias inside its own anchor counts once, not forever
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        total = 1 + sum(size(child) for child in children)
        sizes[id(node)] = total
        return total

    total = 0
    try:
        for key, value in tree.items():
            total += size(value)
            if total > limit:
                return int(tree.lc.key(key)[0]) + 1
    except RecursionError:
        return None
    return None
