"""When two converted conditions are each other's negation (a selected line and its ``else``)."""

from __future__ import annotations

import ast

from smithy.convert.expressions import negate


def complementary(first: str, second: str) -> bool:
    """Whether ``second`` holds exactly when ``first`` does not (``a == b`` / ``a != b``)."""
    if negate(first) == second or negate(second) == first:
        return True
    one, other = _polarity(first), _polarity(second)
    return one is not None and other is not None and one[0] == other[0] and one[1] != other[1]


_OPPOSITES = {ast.NotEq: ast.Eq, ast.NotIn: ast.In, ast.IsNot: ast.Is}


def _polarity(condition: str) -> tuple[str, bool] | None:
    """A condition as (its positive form, whether it is negated): ``a != b`` is ``a == b``."""
    try:
        node = ast.parse(condition, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    negated = False
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        node, negated = node.operand, not negated
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _OPPOSITES:
        positive = _OPPOSITES[type(node.ops[0])]()
        node = ast.Compare(left=node.left, ops=[positive], comparators=node.comparators)
        negated = not negated
    return ast.dump(node), negated
