"""Rules about noarch recipes: valid values, selectors, python bounds, suggesting noarch."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, V0, V1, Input, rule
from smithy.lint.rules.common import item_text, noarch_of, requirement_items, spec_name
from smithy.lint.tree import Unit, YMap, YSeq, text
from smithy.recipe.model import RecipeFormat

_SELECTOR = re.compile(r"#\s*\[([^\[\]]+)\]\s*$")
_WORD = re.compile(r"[A-Za-z_]\w*")
# Selectors a noarch recipe may use when it is built on several noarch_platforms.
_PLATFORM_WORDS = frozenset({"osx", "win", "linux", "unix", "not", "and", "or"})
_COMPILER = re.compile(r"\b(compiler|stdlib)\s*\(")


@rule(
    "SMY601",
    "invalid-noarch",
    LINT,
    compat="R-020",
    reads=[Input.TREE],
    fix="Use 'noarch: python' or 'noarch: generic', or remove the key.",
)
def invalid_noarch(ctx: LintContext) -> Iterator[Problem]:
    """``build.noarch`` is neither ``python`` nor ``generic``."""
    for unit in ctx.units():
        build = unit.section("build")
        if isinstance(build, YMap) and "noarch" in build.entries:
            value = text(build.get("noarch"))
            if value not in ("python", "generic"):
                line = build.key_lines["noarch"]
                yield Problem(f"noarch must be 'python' or 'generic', not {value!r}", line, 1)


def _cbc_keys(ctx: LintContext) -> frozenset[str]:
    cbc = ctx.read(ctx.recipe_dir / "conda_build_config.yaml") or ""
    return frozenset(re.findall(r"^([A-Za-z_]\w*)\s*:", cbc, re.MULTILINE))


def _allowed_selector(expr: str, platforms_ok: bool, keys: frozenset[str]) -> bool:
    words = set(_WORD.findall(expr))
    if words and words <= keys | {"not", "and", "or"}:
        return True
    return platforms_ok and words <= _PLATFORM_WORDS


def _v0_noarch_selector_lines(ctx: LintContext) -> Iterator[tuple[int, str]]:
    platforms_ok = len(ctx.config.noarch_platforms) > 1
    keys = _cbc_keys(ctx)
    indent: str | None = None
    for number, line in enumerate(ctx.lines, start=1):
        stripped = line.strip()
        selector = _SELECTOR.search(line)
        if stripped in ("host:", "run:"):
            indent = line[: len(line) - len(line.lstrip())]
            continue
        if stripped.startswith("skip:") and selector:
            yield number, "skips with a selector"
            return
        if indent is not None and stripped and not stripped.startswith("#"):
            if line[: len(line) - len(line.lstrip())] == indent:
                indent = None
            elif selector and not _allowed_selector(selector.group(1), platforms_ok, keys):
                yield number, "has a selector in host/run requirements"
                return


@rule(
    "SMY602",
    "noarch-selectors",
    LINT,
    compat="R0-004",
    reads=[Input.TEXT, Input.TREE, Input.CONFIG],
    formats=V0,
    skip_names=("lint_noarch_selectors",),
    fix="Remove the selector, or drop noarch and build per platform.",
)
def noarch_selectors_v0(ctx: LintContext) -> Iterator[Problem]:
    """A noarch meta.yaml uses selectors in host/run requirements or in ``skip``.

    A noarch package is built once, on one platform; a selector there decides what
    every platform gets. Platform selectors are allowed when conda-forge.yml lists
    several ``noarch_platforms``, and variant keys of the recipe's
    conda_build_config.yaml are allowed too.
    """
    top = ctx.top
    if top is None or noarch_of(ctx, top) is None:
        return
    for line, what in _v0_noarch_selector_lines(ctx):
        yield Problem(f"the noarch recipe {what}", line, 1)


def _conditions(unit: Unit, section: str) -> Iterator[YMap]:
    node = unit.section("requirements", section)
    if isinstance(node, YSeq):
        for item in node.items:
            if isinstance(item, YMap) and "if" in item.entries:
                yield item


@rule(
    "SMY603",
    "noarch-conditionals",
    LINT,
    compat="R1-002",
    reads=[Input.TREE, Input.CONFIG],
    formats=V1,
    skip_names=("lint_noarch_selectors",),
    fix="Remove the if: item or build.skip, or drop noarch and build per platform.",
)
def noarch_selectors_v1(ctx: LintContext) -> Iterator[Problem]:
    """A noarch recipe.yaml uses ``if:`` in host/run requirements or ``build.skip``.

    Only single-output recipes are checked. Platform conditions are allowed when
    conda-forge.yml lists several ``noarch_platforms``.
    """
    platforms_ok = len(ctx.config.noarch_platforms) > 1
    # Outputs may skip to build a noarch output once among compiled ones; only a
    # single-output recipe is checked, as conda-smithy does.
    for unit in [] if ctx.outputs or ctx.top is None else [ctx.top]:
        if noarch_of(ctx, unit) is None:
            continue
        skip = unit.section("build")
        if isinstance(skip, YMap) and "skip" in skip.entries:
            yield Problem("the noarch recipe uses build.skip", skip.key_lines["skip"], 1)
        for section in ("host", "run"):
            for item in _conditions(unit, section):
                condition = text(item.get("if")) or ""
                if not _allowed_selector(condition, platforms_ok, frozenset()):
                    yield Problem(f"the noarch recipe has an if: in {section}", item.line, 1)


@rule(
    "SMY604",
    "python-lower-bound",
    LINT,
    compat="R-026",
    reads=[Input.TREE],
    fix="Give python a lower bound in run: python >={{ python_min }}.",
)
def python_lower_bound(ctx: LintContext) -> Iterator[Problem]:
    """A ``noarch: python`` recipe's run requirement on python has no lower bound.

    A noarch package is installed into any Python; without a bound it would be
    installed into ones it does not support.
    """
    top = ctx.top
    if top is None or ctx.outputs or noarch_of(ctx, top) != "python":
        return
    run = requirement_items(top, "run")
    pythons = [item_text(i) for i in run if spec_name(item_text(i)) == "python"]
    if not any(spec.strip() != "python" for spec in pythons):
        line = run[0].line if run else top.line
        yield Problem("run requires python without a lower bound", line, 1)


def _selector_in_requirements(ctx: LintContext, unit: Unit) -> bool:
    if ctx.format is RecipeFormat.V1:
        return any(True for s in ("host", "run") for _ in _conditions(unit, s))
    items_ = [i for s in ("host", "run") for i in requirement_items(unit, s)]
    return any(_SELECTOR.search(ctx.line(item.line)) for item in items_)


@rule(
    "SMY605",
    "suggest-noarch",
    HINT,
    compat="R-041",
    reads=[Input.TREE, Input.TEXT],
    fix="Add 'noarch: python' to build (and python >={{ python_min }} to run).",
)
def suggest_noarch(ctx: LintContext) -> Iterator[Problem]:
    """A pip-built recipe without compilers or selectors could be ``noarch: python``.

    One noarch package replaces a build per platform and Python version. As conda-smithy
    checks it: ``pip`` is listed in the top-level build requirements, no compiler is, and
    with ``--conda-forge`` only for staged-recipes (a recipe folder not named ``recipe``).
    """
    top = ctx.top
    if top is None or ctx.outputs or noarch_of(ctx, top) is not None:
        return
    if ctx.options.conda_forge and ctx.recipe_dir.name == "recipe":
        return  # conda-smithy leaves feedstocks alone here
    build = requirement_items(top, "build")
    texts = [item_text(item).strip() for item in build]
    if "pip" not in texts or any(_COMPILER.search(text) for text in texts):
        return
    skip = top.section("build", "skip")
    if skip is not None or _selector_in_requirements(ctx, top):
        return
    yield Problem("this python package could be noarch: python", ctx.line_of_key("build"), 1)


RULES = (
    invalid_noarch,
    noarch_selectors_v0,
    noarch_selectors_v1,
    python_lower_bound,
    suggest_noarch,
)
