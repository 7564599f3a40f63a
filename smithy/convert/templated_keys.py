"""Mapping keys written as ``{{ name }}`` (a templated source kind), written out per condition.

``- "{{ kind }}": "{{ where }}"`` with ``kind`` set to ``url`` or ``path`` by ``{% if %}``
blocks is one source whose keys depend on conditions known before rendering; recipe.yaml keys
cannot be templated, so the item becomes an ``if``/``then``/``else`` over those conditions,
each branch with literal keys. A key that comes out empty is left out (conda-build ignores a
source key it does not know). Keys whose values are only known when rendering stay as they
are (and are reported by the layout).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from smithy.convert.expressions import convert_jinja_expression

Lookup = Callable[[str], str | None]
_TEMPLATED_KEY = re.compile(r"^\$\{\{\s*(?P<name>\w+)\s*\}\}$")
_MAX_CONDITIONS = 3
_MAX_DEPTH = 32


class _Unknown(Exception):
    """A value only known when rendering."""


def expand_templated_keys(document: Any, lookup: Lookup) -> Any:
    """``document`` with templated-key mappings in lists (and ``source``) written out."""
    if isinstance(document, CommentedMap):
        for key, value in list(document.items()):
            if key == "source" and isinstance(value, CommentedMap) and _templated(value):
                value = CommentedSeq([value])
            document[key] = expand_templated_keys(value, lookup)
    elif isinstance(document, CommentedSeq):
        for index, item in enumerate(document):
            expanded = _expand(item, lookup) if isinstance(item, CommentedMap) else None
            document[index] = (
                expanded if expanded is not None else expand_templated_keys(item, lookup)
            )
    return document


def _templated(mapping: CommentedMap) -> list[str]:
    return [found.group("name") for key in mapping if (found := _TEMPLATED_KEY.match(str(key)))]


def _expand(mapping: CommentedMap, lookup: Lookup) -> Any:
    names = _templated(mapping)
    if not names:
        return None
    try:
        trees = {name: _parse(_resolved(name, lookup)) for name in names}
        atoms = sorted({atom for tree in trees.values() for atom in _atoms(tree, lookup, 0)})
        if len(atoms) > _MAX_CONDITIONS:
            return None
        return _decide(mapping, trees, atoms, {}, lookup)
    except _Unknown:
        return None


def _decide(
    mapping: CommentedMap,
    trees: dict[str, ast.expr],
    atoms: list[str],
    assigned: dict[str, bool],
    lookup: Lookup,
) -> Any:
    """The mapping under the conditions in ``assigned``; an if item over the next condition."""
    if len(assigned) == len(atoms):
        values = {name: _evaluate(tree, assigned, lookup, 0) for name, tree in trees.items()}
        return _written(mapping, values)
    atom = atoms[len(assigned)]
    then = _decide(mapping, trees, atoms, {**assigned, atom: True}, lookup)
    otherwise = _decide(mapping, trees, atoms, {**assigned, atom: False}, lookup)
    if then == otherwise:
        return then
    item = CommentedMap()
    item["if"] = convert_jinja_expression(ast.unparse(_parse(atom)))
    item["then"] = then
    item["else"] = otherwise
    return item


def _written(mapping: CommentedMap, values: dict[str, object]) -> CommentedMap:
    written = CommentedMap()
    for key, value in mapping.items():
        found = _TEMPLATED_KEY.match(str(key))
        name = str(values[found.group("name")]) if found else str(key)
        if name:
            written[name] = value
    return written


def _resolved(name: str, lookup: Lookup) -> str:
    text = lookup(name)
    if text is None:
        raise _Unknown
    return text


def _parse(text: str) -> ast.expr:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise _Unknown from None


def _peeled(test: ast.expr) -> tuple[str, bool]:
    """A condition without its ``not``s: (its text, whether it was negated)."""
    negated = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, not negated
    return ast.unparse(test), negated


def _atoms(node: ast.expr, lookup: Lookup, depth: int) -> set[str]:
    if depth > _MAX_DEPTH:
        raise _Unknown
    if isinstance(node, ast.Constant):
        return set()
    if isinstance(node, ast.Name):
        return _atoms(_parse(_resolved(node.id, lookup)), lookup, depth + 1)
    if isinstance(node, ast.IfExp):
        found = {_peeled(node.test)[0]}
        return found | _atoms(node.body, lookup, depth + 1) | _atoms(node.orelse, lookup, depth + 1)
    raise _Unknown


def _evaluate(node: ast.expr, assigned: dict[str, bool], lookup: Lookup, depth: int) -> object:
    if depth > _MAX_DEPTH:
        raise _Unknown
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return _evaluate(_parse(_resolved(node.id, lookup)), assigned, lookup, depth + 1)
    if isinstance(node, ast.IfExp):
        atom, negated = _peeled(node.test)
        branch = node.body if assigned[atom] != negated else node.orelse
        return _evaluate(branch, assigned, lookup, depth + 1)
    raise _Unknown
