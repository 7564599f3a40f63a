"""Helpers shared by rules: requirement lists, noarch, names of specs and jinja calls."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.tree import Unit, YScalar, scalars, text
from smithy.recipe.model import RecipeFormat

V0_SECTIONS = ("build", "host", "run", "run_constrained")
V1_SECTIONS = ("build", "host", "run", "run_constraints")
_NAME = re.compile(r"^\s*(?:[\w.-]+::)?([A-Za-z0-9_.\-]+)")
JINJA_CALL = re.compile(r"\b(compiler|stdlib|pin_subpackage|pin_compatible|cdt)\s*\(")


def sections_of(fmt: RecipeFormat) -> tuple[str, ...]:
    """The requirement section names of a recipe format."""
    return V1_SECTIONS if fmt is RecipeFormat.V1 else V0_SECTIONS


def requirement_items(unit: Unit, section: str) -> list[YScalar]:
    """The text items of one requirement section of ``unit`` (both ``if`` branches)."""
    return list(scalars(unit.section("requirements", section)))


def unit_requirements(ctx: LintContext, unit: Unit) -> Iterator[tuple[str, YScalar]]:
    """``(section, item)`` for every requirement of ``unit``."""
    for section in sections_of(ctx.format):
        for item in requirement_items(unit, section):
            yield section, item


def all_requirements(ctx: LintContext) -> Iterator[tuple[Unit, str, YScalar]]:
    """``(unit, section, item)`` for every requirement in the recipe."""
    for unit in ctx.units():
        for section, item in unit_requirements(ctx, unit):
            yield unit, section, item


def spec_name(spec: str) -> str:
    """The package name a requirement names (``""`` when it starts with jinja)."""
    match = _NAME.match(spec)
    return match.group(1).lower() if match else ""


def item_text(item: YScalar) -> str:
    """The text of a requirement item."""
    return str(item.value) if item.value is not None else ""


def noarch_of(ctx: LintContext, unit: Unit) -> str | None:
    """``build.noarch`` of ``unit``; a v1 output inherits the top level's ``build``."""
    value = text(unit.section("build", "noarch"))
    if value is None and not unit.top and ctx.format is RecipeFormat.V1 and ctx.top is not None:
        value = text(ctx.top.section("build", "noarch"))
    return value


def jinja_calls(value: str) -> set[str]:
    """Names of the jinja functions (compiler, stdlib, pins, cdt) a value calls."""
    return set(JINJA_CALL.findall(value))


def first_arg(value: str, function: str) -> str | None:
    """The first string argument of ``function(...)`` in ``value``, lower case."""
    match = re.search(function + r"""\s*\(\s*['"]([^'"]+)['"]""", value)
    return match.group(1).lower() if match else None


def key_line(unit: Unit, *keys: str) -> int:
    """The line of the last key in ``keys`` below ``unit`` (the unit's line when missing)."""
    node = unit.node
    line = unit.line
    for key in keys:
        if key not in node.key_lines:
            return line
        line = node.key_lines[key]
        child = node.get(key)
        if child is None or not hasattr(child, "key_lines"):
            return line
        node = child  # type: ignore[assignment]
    return line


def requirement_lines(text: str, fmt: RecipeFormat) -> frozenset[int]:
    """Lines of ``text`` holding requirement items (for fixers, which see only text)."""
    from smithy.errors import SmithyError
    from smithy.lint.tree import YMap, output_units, parse_lint_tree, top_unit

    try:
        tree = parse_lint_tree(text, fmt, "recipe")
    except SmithyError:
        return frozenset()
    if not isinstance(tree, YMap):
        return frozenset()
    units = [top_unit(tree, fmt), *output_units(tree, fmt)]
    return frozenset(
        item.line
        for unit in units
        for section in sections_of(fmt)
        for item in requirement_items(unit, section)
    )
