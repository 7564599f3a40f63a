"""The value of a ``{% set %}`` that follows earlier sets of the same name, as one expression.

conda-build runs each ``{% set %}`` in turn; recipe.yaml's context holds one expression per
name. An update under a condition keeps the earlier value when the condition fails. An update
that only appends a literal (``x + " or y"``, ``x ~ "y"``, ``x + ["y"]``) appends it under its
condition, so a long series of updates grows the expression by one term each instead of
doubling it.
"""

from __future__ import annotations

import ast
import re

from smithy.convert.expressions import STRING_LITERAL
from smithy.convert.jinja_names import reads_name, replace_name

# `{% set x = x + "more" %}` / `x ~ "more"`: an update that only appends to the earlier value
_APPEND = re.compile(r"^(?P<name>\w+)\s*(?P<op>[+~])\s*(?P<rest>.+)$", re.DOTALL)


def updated_value(name: str, value: str, test: str, earlier: str | None) -> tuple[str, bool]:
    """The expression ``name`` holds after ``{% set name = value %}`` runs when ``test`` holds.

    Args:
        name: the name set.
        value: the jinja expression assigned.
        test: the condition under which conda-build runs the set (``true``: always).
        earlier: the expression ``name`` held before (None: not set before).

    Returns:
        The expression, and whether it grew by one term only (an append).
    """
    appended = _APPEND.match(value.strip())
    if earlier is not None and appended is not None and appended.group("name") == name:
        op, rest = appended.group("op"), appended.group("rest").strip()
        identity = _identity(op, rest) if _is_literal_sum(rest, op) else None
        if identity is not None:
            return _appended(earlier, op, rest, test, identity), True
    return _conditional_value(name, value, test, earlier), False


def _as_python(expression: str) -> str:
    """Jinja's ``~`` read as python's ``+`` (outside string literals), to parse the shape."""
    return "".join(
        piece if index % 2 else piece.replace("~", "+")
        for index, piece in enumerate(STRING_LITERAL.split(expression))
    )


def _needs_parentheses(expression: str) -> bool:
    """Whether ``expression`` must be parenthesised as the left operand of ``+`` or ``~``."""
    try:
        node = ast.parse(_as_python(expression).strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    atoms = (ast.Name, ast.Constant, ast.List, ast.Call, ast.Subscript, ast.Attribute)
    return not (
        isinstance(node, atoms) or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add))
    )


def _identity(op: str, appended: str) -> str | None:
    """The value that appends nothing, for an update appending the literal ``appended``."""
    if op == "~":
        return '""'
    python = appended.strip()
    try:
        node = ast.parse(python, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    if isinstance(node, ast.List):
        return "[]"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return '""'
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return "0"
    return None


def _is_literal_sum(text: str, op: str) -> bool:
    """``"a" + "b"`` / ``["x"]`` / ``"a" ~ "b"``: only literals (no ``if`` that would regroup)."""
    pieces = STRING_LITERAL.split(text)
    if op == "+" and any("~" in piece for piece in pieces[::2]):
        return False  # `x + "a" ~ "b"` groups as `(x + "a") ~ "b"`
    python = _as_python(text)
    try:
        node = ast.parse(python.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        if not _is_literal(node.right):
            return False
        node = node.left
    return _is_literal(node)


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _appended(earlier: str, op: str, rest: str, test: str, identity: str) -> str:
    """``x + rest`` under ``test``: the earlier value, then ``rest`` only when ``test`` holds."""
    left = f"({earlier})" if _needs_parentheses(earlier) else earlier
    if test == "true":
        return f"{left} {op} {rest}"
    return f"{left} {op} ({rest} if {test} else {identity})"


def _conditional_value(name: str, value: str, test: str, earlier: str | None) -> str:
    """The value of ``{% set name = value %}`` under ``test``, given the earlier value."""
    if earlier is not None:
        # `{% set build = build * 2 %}`: a context entry cannot read itself
        value = replace_name(value, name, f"({earlier})")
    if test == "true":
        return value
    if earlier is not None:
        return f"({value}) if {test} else ({earlier})"
    if re.fullmatch(rf"{name}\s+is\s+not\s+defined", test):
        # `{% if x is not defined %}{% set x = v %}`: a default for a variant key
        return f"{name} if {name} is defined else ({value})"
    if reads_name(test, name):
        # `{% set suffix = "" %}  # [suffix == None]`: the selector reads a variant key, which
        # keeps its value when the set does not run
        return f"({value}) if {test} else {name}"
    return f'({value}) if {test} else ""'  # conda-build leaves the name undefined: ""
