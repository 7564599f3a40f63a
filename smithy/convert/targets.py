"""conda-build's output ``target``: dropped where the output is only built for that platform.

An output with ``target: X`` is packaged for platform X. rattler-build has no such key; it is
only a no-op when the output is skipped unless ``target_platform`` already is X, which is how
cross-compiler feedstocks write it (``skip: true  # [target_platform != X or ...]``).
"""

from __future__ import annotations

import ast
from typing import Any

_TEMPLATE_PREFIX = "${{"


def built_only_for(output: Any, target: Any) -> bool:
    """Whether the converted ``output`` is skipped whenever ``target_platform != target``."""
    build = output.get("build") if isinstance(output, dict) else None
    skip = build.get("skip") if isinstance(build, dict) else None
    terms = skip if isinstance(skip, list) else [skip]
    wanted = _target_expression(target)
    return wanted is not None and any(_skips_other_platforms(t, wanted) for t in terms)


def _target_expression(target: Any) -> str | None:
    """The target as the dump of a python expression (a name, or a quoted platform)."""
    if not isinstance(target, str):
        return None
    text = target.strip()
    if text.startswith(_TEMPLATE_PREFIX) and text.endswith("}}"):
        text = text[len(_TEMPLATE_PREFIX) : -2].strip()
    else:
        text = repr(text)
    try:
        return ast.dump(ast.parse(text, mode="eval").body)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _skips_other_platforms(term: Any, wanted: str) -> bool:
    """``target_platform != X or ...``: one of the ``or``-ed parts skips other platforms."""
    if not isinstance(term, str):
        return False
    try:
        node = ast.parse(term, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    parts = node.values if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) else [node]
    return any(_differs_from(part, wanted) for part in parts)


def _differs_from(node: ast.expr, wanted: str) -> bool:
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return False
    if not isinstance(node.ops[0], ast.NotEq):
        return False
    sides = [node.left, node.comparators[0]]
    names = [isinstance(side, ast.Name) and side.id == "target_platform" for side in sides]
    return (names[0] and ast.dump(sides[1]) == wanted) or (
        names[1] and ast.dump(sides[0]) == wanted
    )
