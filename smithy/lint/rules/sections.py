"""Rules about the recipe's layout: known sections, their order, trailing lines, floats."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.fixers import fix_trailing_newlines, reorder_sections
from smithy.lint.rule import LINT, V0, Input, rule
from smithy.lint.rules.section_data import (
    REQUIREMENTS_ORDER,
    V0_ORDER,
    V0_SUBSECTIONS,
    V1_MULTI_ORDER,
    V1_SECTIONS,
    V1_SINGLE_ORDER,
)
from smithy.lint.stub_render import stub_rendered
from smithy.lint.tree import YMap, items
from smithy.recipe.model import RecipeFormat
from smithy.recipe.selectors import did_you_mean
from smithy.yaml import YamlError, compose
from smithy.yaml.floats import float_scalars


def _order(ctx: LintContext) -> tuple[str, ...]:
    if ctx.format is RecipeFormat.V0:
        return V0_ORDER
    tree = ctx.tree
    return V1_MULTI_ORDER if tree is not None and "outputs" in tree.entries else V1_SINGLE_ORDER


@rule(
    "SMY101",
    "unexpected-section",
    LINT,
    compat="R-000",
    reads=[Input.TREE],
    fix="Remove the section or fix its spelling.",
)
def unexpected_section(ctx: LintContext) -> Iterator[Problem]:
    """A top-level key is not a section of the recipe format.

    meta.yaml knows package, source, build, requirements, test, app, outputs, about and
    extra; recipe.yaml adds schema_version, context, recipe and tests (instead of test).
    Unknown sections are ignored by the build tool, so a misspelt section silently drops
    its content.
    """
    assert ctx.tree is not None
    known = frozenset(V0_ORDER) if ctx.format is RecipeFormat.V0 else V1_SECTIONS
    for key, line in ctx.tree.key_lines.items():
        if key not in known:
            hint = did_you_mean(key, known)
            yield Problem(f"unexpected top-level section '{key}'{hint}", line, 1)


def _fix_order(text: str, fmt: RecipeFormat) -> str:
    if fmt is RecipeFormat.V0:
        return reorder_sections(text, V0_ORDER)
    multi = re.search(r"^outputs\s*:", text, re.MULTILINE) is not None
    return reorder_sections(text, V1_MULTI_ORDER if multi else V1_SINGLE_ORDER)


@rule(
    "SMY102",
    "section-order",
    LINT,
    compat="R-001",
    reads=[Input.TREE],
    fix="Put the sections in the canonical order (smithy lint --fix does it).",
    fixer=_fix_order,
)
def section_order(ctx: LintContext) -> Iterator[Problem]:
    """Top-level sections are not in the canonical order.

    meta.yaml: package, source, build, requirements, test, app, outputs, about, extra.
    recipe.yaml: schema_version, context, package, source, build, requirements, tests,
    about, extra (with recipe and outputs in place of package/requirements/tests for
    multi-output recipes). A fixed order makes recipes easy to review.
    """
    assert ctx.tree is not None
    order = _order(ctx)
    present = [(key, line) for key, line in ctx.tree.key_lines.items() if key in order]
    ranks = [order.index(key) for key, _ in present]
    for index in range(1, len(present)):
        if ranks[index] < max(ranks[:index]):
            key, line = present[index]
            expected = ", ".join(key for key in order if key in ctx.tree.entries)
            yield Problem(f"section '{key}' is out of order; expected order: {expected}", line, 1)
            return


def _unknown_keys(node: YMap, known: frozenset[str]) -> Iterator[tuple[str, int]]:
    for key, line in node.key_lines.items():
        if key not in known:
            yield key, line


@rule(
    "SMY103",
    "unexpected-subsection",
    LINT,
    compat="R-018",
    reads=[Input.TREE],
    formats=V0,
    fix="Remove the key or fix its spelling (see conda-build's list of meta.yaml keys).",
)
def unexpected_subsection(ctx: LintContext) -> Iterator[Problem]:
    """A key inside a meta.yaml section is not one conda-build knows.

    conda-build ignores unknown keys, so ``build: {numbr: 1}`` or ``about: {homepage:}``
    silently does nothing. The top-level ``extra`` section may hold only
    ``recipe-maintainers`` and ``feedstock-name``, as conda-smithy checks it; an output's
    ``extra`` is free-form.
    """
    assert ctx.tree is not None
    for section, known in V0_SUBSECTIONS.items():
        node = ctx.tree.get(section)
        if section in ("source", "outputs"):
            maps = [item for item in items(node) if isinstance(item, YMap)]
        else:
            maps = [node] if isinstance(node, YMap) else []
        for mapping in maps:
            for key, line in _unknown_keys(mapping, known):
                hint = did_you_mean(key, known)
                yield Problem(f"unexpected key '{key}' in the {section} section{hint}", line, 1)


@rule(
    "SMY104",
    "requirements-order",
    LINT,
    compat="R-009",
    reads=[Input.TREE],
    fix="Order the requirement sections build, host, run.",
)
def requirements_order(ctx: LintContext) -> Iterator[Problem]:
    """Requirement sections are not in the order build, host, run.

    The order follows the build: tools for the build machine, libraries to link
    against, then what the package needs when installed.
    """
    for unit in ctx.units():
        node = unit.section("requirements")
        if not isinstance(node, YMap):
            continue
        present = [(k, line) for k, line in node.key_lines.items() if k in REQUIREMENTS_ORDER]
        ranks = [REQUIREMENTS_ORDER.index(key) for key, _ in present]
        for index in range(1, len(present)):
            if ranks[index] < max(ranks[:index]):
                order = ", ".join(key for key, _ in present)
                message = f"requirements are ordered {order}; use build, host, run"
                yield Problem(message, present[index][1], 1)
                break


@rule(
    "SMY105",
    "too-many-trailing-lines",
    LINT,
    compat="R-011",
    reads=[Input.TEXT],
    fix="End the file with a single line break (smithy lint --fix does it).",
    fixer=fix_trailing_newlines,
)
def too_many_trailing_lines(ctx: LintContext) -> Iterator[Problem]:
    """The recipe ends with blank lines."""
    text = ctx.raw.text
    stripped = text.rstrip("\n")
    if stripped and len(text) - len(stripped) > 1:
        line = stripped.count("\n") + 2
        yield Problem("the recipe ends with blank lines; keep one line break", line, 1)


@rule(
    "SMY106",
    "missing-trailing-newline",
    LINT,
    compat="R-012",
    reads=[Input.TEXT],
    fix="End the file with a line break (smithy lint --fix does it).",
    fixer=fix_trailing_newlines,
)
def missing_trailing_newline(ctx: LintContext) -> Iterator[Problem]:
    """The recipe's last line has no line break."""
    text = ctx.raw.text
    if text and not text.endswith("\n"):
        line = text.count("\n") + 1
        last = text.rsplit("\n", 1)[-1]
        yield Problem("the last line has no line break", line, len(last) + 1)


@rule(
    "SMY107",
    "value-parsed-as-float",
    LINT,
    compat="R-040",
    reads=[Input.TEXT],
    fix='Quote the value, e.g. version: "1.10" (meta.yaml: version: "{{ version }}").',
)
def value_parsed_as_float(ctx: LintContext) -> Iterator[Problem]:
    """An unquoted value reads as a floating-point number in YAML 1.2.

    YAML reads ``1.10`` as the number 1.1, so a version or pin written that way loses
    its trailing zero in every tool that reads the recipe as YAML 1.2 (conda-forge's bot,
    rattler-build). In meta.yaml the check reads the text after jinja, as conda-smithy
    does: ``{% set version = "1.10" %}`` then ``version: {{ version }}`` is a float
    there, and so is ``1.1_0`` (YAML 1.2 allows ``_`` between digits). conda-build itself
    keeps numbers as text.
    """
    text, lines = ctx.raw.text, None
    if ctx.format is RecipeFormat.V0:
        rendered = stub_rendered(text, ctx.path)
        if rendered is None:
            return
        text, lines = rendered.text, rendered
    try:
        root = compose(text, ctx.path)
    except YamlError:
        return  # SMY001 reports YAML the recipe itself gets wrong
    for key, node in float_scalars(root):
        line = node.line if lines is None else lines.source_line(node.line)
        yield Problem(f"{key} = {node.value} is read as a number; quote it", line, node.column)


RULES = (
    unexpected_section,
    section_order,
    unexpected_subsection,
    requirements_order,
    too_many_trailing_lines,
    missing_trailing_newline,
    value_parsed_as_float,
)
