"""The ``context`` section of a recipe.yaml: each value evaluated in order, then bound."""

from __future__ import annotations

from typing import Any

from smithy.errors import RecipeParseError, Span
from smithy.recipe.v1_expressions import Scope, evaluate_value
from smithy.recipe.v1_tree import Mapping, Sequence, Tree


def evaluate_context(node: Tree | None, scope: Scope, path: str) -> dict[str, Any]:
    """Evaluate the ``context`` mapping ``node`` and define each value in ``scope``, in order.

    Raises:
        RecipeParseError: not a mapping, a bad name, a mapping as a value.
        JinjaError: a value's ``${{ }}`` does not evaluate.
    """
    if node is None:
        return {}
    if not isinstance(node, Mapping):
        raise RecipeParseError("'context' must be a mapping", Span(path, node.line))
    result: dict[str, Any] = {}
    for (key, value), line in zip(node.items, node.key_lines, strict=True):
        if "-" in key or not key.isidentifier():
            raise RecipeParseError(f"context name '{key}' is not a valid name", Span(path, line))
        result[key] = _value(value, scope, path)
        scope.define(key, result[key])
    return result


def _value(node: Tree, scope: Scope, path: str) -> Any:
    if isinstance(node, Sequence):
        return [_value(item, scope, path) for item in node.items]
    if isinstance(node, Mapping):
        raise RecipeParseError("context values must be scalars or lists", Span(path, node.line))
    value = node.value
    if not isinstance(value, str):
        return "" if value is None else value
    if "${{" not in value:
        return value
    result = evaluate_value(value, scope, Span(path, node.line))
    if node.plain or isinstance(result, str) or result is None:
        return result
    # a quoted template stays a string, as in rattler-build (which prints `true`)
    return str(result).lower() if isinstance(result, bool) else str(result)
