"""What a jinja list expression holds, item by item, each with the condition that keeps it.

A ``{% for %}`` loop has no recipe.yaml equivalent; it can be written out when its list is
known up to conditions: literal lists, context names holding them, ``+`` of lists, a
``cond * [..]`` and a ``[..] if cond else [..]`` (which is what a ``{% set %}`` under a selector
or an ``{% if %}`` block becomes). Each item then keeps the condition under which conda-build
would have iterated over it. Anything else (a variant value, a filter, a call) is not known
before rendering and is reported instead.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from smithy.convert.expressions import conjoin, convert_jinja_expression, negate

# (conditions and-ed, item expression as python AST)
Item = tuple[tuple[str, ...], ast.expr]
Lookup = Callable[[str], str | None]
_MAX_DEPTH = 32


class _Unknown(Exception):
    """The expression's items depend on something only known when rendering."""


def list_items(expression: str, lookup: Lookup) -> list[Item] | None:
    """The items of ``expression`` with their conditions; None when not known before rendering.

    Args:
        expression: the jinja (python-syntax) text of the list.
        lookup: the expression a context name holds, or None for a name not in the context.
    """
    try:
        return _items(_parse(expression), lookup, 0)
    except _Unknown:
        return None


def membership(expression: str, lookup: Lookup) -> str | None:
    """``"a" in some_list`` as the condition under which the list holds ``"a"``.

    None unless the left side is a literal and every item of the list is one.
    """
    try:
        node = _parse(expression)
    except _Unknown:
        return None
    if not (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.In | ast.NotIn)
    ):
        return None
    try:
        items = _items(node.comparators[0], lookup, 0)
    except _Unknown:
        return None
    if not all(isinstance(item, ast.Constant) for _, item in items):
        return None
    held = _holding(node.left, items)
    if held is None:
        return None
    found = "true" if "true" in held else " or ".join(f"({h})" for h in held) or "false"
    if len(held) == 1:
        found = held[0]
    return negate(found) if isinstance(node.ops[0], ast.NotIn) else found


def _holding(wanted: ast.expr, items: list[Item]) -> list[str] | None:
    """The conditions of the literal items equal to ``wanted`` (None: cannot tell).

    A ``wanted`` only known when rendering is told apart by its literal prefix
    (``"python%s" % py`` never equals ``"atomic"``).
    """
    if isinstance(wanted, ast.Constant):
        equal = [c for c, item in items if _value(item) == wanted.value]
    else:
        prefix = _literal_prefix(wanted)
        if not prefix or any(str(_value(item)).startswith(prefix) for _, item in items):
            return None
        equal = []
    return [conjoin(list(c)) if c else "true" for c in equal]


def _literal_prefix(node: ast.expr) -> str:
    """The text a string expression surely starts with (``"a%s" % x`` -> ``a``)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        left = node.left
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            return left.value.split("%")[0] if isinstance(node.op, ast.Mod) else left.value
        return _literal_prefix(left) if isinstance(node.op, ast.Add) else ""
    return ""


def _value(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _parse(expression: str) -> ast.expr:
    try:
        return ast.parse(expression.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise _Unknown from None


def _condition(node: ast.expr) -> str:
    return convert_jinja_expression(ast.unparse(node))


def _items(node: ast.expr, lookup: Lookup, depth: int) -> list[Item]:
    if depth > _MAX_DEPTH:
        raise _Unknown
    if isinstance(node, ast.List | ast.Tuple):
        if any(isinstance(element, ast.Starred) for element in node.elts):
            raise _Unknown
        return [((), element) for element in node.elts]
    if isinstance(node, ast.Constant) and node.value == "":
        return []  # a name conda-build left undefined renders as "", an empty loop
    if isinstance(node, ast.Name):
        return _items(_parse(_resolved(node.id, lookup)), lookup, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _items(node.left, lookup, depth + 1) + _items(node.right, lookup, depth + 1)
    return _composed(node, lookup, depth)


def _composed(node: ast.expr, lookup: Lookup, depth: int) -> list[Item]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _repeated(node, lookup, depth)
    if isinstance(node, ast.IfExp):
        return _alternatives(node, lookup, depth)
    if isinstance(node, ast.Subscript):
        return _looked_up(node, lookup, depth)
    raise _Unknown


def _resolved(name: str, lookup: Lookup) -> str:
    text = lookup(name)
    if text is None:
        raise _Unknown
    return text


def _looked_up(node: ast.Subscript, lookup: Lookup, depth: int) -> list[Item]:
    """``{"a": [..], "b": [..]}[key]``: each value's items when ``key`` names it."""
    mapping = node.value
    while isinstance(mapping, ast.Name) and depth <= _MAX_DEPTH:
        mapping, depth = _parse(_resolved(mapping.id, lookup)), depth + 1
    if not isinstance(mapping, ast.Dict):
        raise _Unknown
    pairs = [
        (key, value)
        for key, value in zip(mapping.keys, mapping.values, strict=True)
        if isinstance(key, ast.Constant)
    ]
    if len(pairs) != len(mapping.keys):
        raise _Unknown  # a `**other` or a computed key
    wanted = node.slice
    if isinstance(wanted, ast.Constant):
        for key, value in pairs:
            if key.value == wanted.value:
                return _items(value, lookup, depth + 1)
        raise _Unknown  # conda-build fails on a missing key
    found: list[Item] = []
    for key, value in pairs:
        condition = _condition(ast.Compare(left=wanted, ops=[ast.Eq()], comparators=[key]))
        found += [((condition, *c), item) for c, item in _items(value, lookup, depth + 1)]
    return found


def _repeated(node: ast.BinOp, lookup: Lookup, depth: int) -> list[Item]:
    """``(cond) * [..]``: the items when ``cond`` holds (True * list is the list)."""
    for flag, listed in ((node.left, node.right), (node.right, node.left)):
        if _is_boolean(flag):
            condition = _condition(flag)
            items = _items(listed, lookup, depth + 1)
            return [((condition, *c), item) for c, item in items]
    raise _Unknown


def _is_boolean(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not)
    if isinstance(node, ast.Constant):
        return isinstance(node.value, bool)
    return isinstance(node, ast.Compare | ast.BoolOp)


def _alternatives(node: ast.IfExp, lookup: Lookup, depth: int) -> list[Item]:
    """``a if c else b``: items common to the start of both are unconditional."""
    test = _condition(node.test)
    chosen = _items(node.body, lookup, depth + 1)
    other = _items(node.orelse, lookup, depth + 1)
    shared = 0
    while (
        shared < min(len(chosen), len(other))
        and chosen[shared][0] == other[shared][0]
        and ast.dump(chosen[shared][1]) == ast.dump(other[shared][1])
    ):
        shared += 1
    return (
        chosen[:shared]
        + [((test, *c), item) for c, item in chosen[shared:]]
        + [((negate(test), *c), item) for c, item in other[shared:]]
    )
