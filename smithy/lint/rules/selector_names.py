"""Names that selectors and ``if:`` conditions read but nothing defines; unset env lookups.

Rendering follows conda-build and rattler-build: an unknown name reads as False (meta.yaml)
or undefined (recipe.yaml), so a typo such as ``# [osx and arm46]`` silently drops a line.
These hints bring the typo back to the maintainer with the line and a suggestion.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from smithy.errors import SmithyError, Span
from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, V1, Input, rule
from smithy.lint.tree import YMap
from smithy.platforms import KNOWN_SUBDIRS, selector_namespace
from smithy.recipe.model import RecipeFormat
from smithy.recipe.selectors import Selector, did_you_mean, split_selector
from smithy.recipe.v1_functions import condition_names

_IF_LINE = re.compile(r"^\s*(?:-\s+)?if:\s*(?P<expr>.+?)\s*$")
_ENV_GET = re.compile(r"""\benv\.get\(\s*(?P<quote>["'])(?P<name>[^"']+)(?P=quote)\s*\)""")
# Build-time names rattler-build and conda-build define while they build, not while they render.
_BUILD_TIME = frozenset({"PREFIX", "BUILD_PREFIX", "SRC_DIR", "RECIPE_DIR", "PYTHON", "hash"})


@functools.lru_cache(maxsize=2)
def _platform_names(fmt: RecipeFormat) -> frozenset[str]:
    names: set[str] = set()
    for subdir in KNOWN_SUBDIRS:
        if fmt is RecipeFormat.V1:
            names.update(condition_names(subdir, subdir, {}))
        else:
            names.update(selector_namespace(subdir))
    return frozenset(names)


def _known_names(ctx: LintContext) -> frozenset[str]:
    variant_keys = {key for recipe in ctx.rendered for key in recipe.variant}
    context = ctx.tree.get("context") if ctx.tree is not None else None
    defined = set(context.entries) if isinstance(context, YMap) else set()
    return _platform_names(ctx.format) | variant_keys | defined | _BUILD_TIME


def _expressions(ctx: LintContext) -> Iterator[tuple[int, int, str]]:
    """(line, column, expression) of every selector (meta.yaml) or ``if:`` (recipe.yaml)."""
    for number, line in enumerate(ctx.lines, start=1):
        if ctx.format is RecipeFormat.V1:
            match = _IF_LINE.match(line)
            if match and not line.lstrip().startswith("#"):
                yield number, match.start("expr") + 1, match.group("expr").strip("'\"")
            continue
        _, expression = split_selector(line)
        if expression is not None:
            yield number, line.rfind(expression) + 1, expression


@rule(
    "SMY707",
    "unknown-selector-name",
    HINT,
    reads=[Input.TEXT, Input.RENDERED],
    fix="Correct the name, or define it in conda_build_config.yaml / variants.yaml.",
)
def unknown_selector_name(ctx: LintContext) -> Iterator[Problem]:
    """A selector or ``if:`` condition reads a name no platform, variant or context defines.

    conda-build evaluates such a name as False and rattler-build as undefined, so the
    recipe renders, but the condition is decided by a name that is probably misspelled.
    """
    if not ctx.rendered:
        return
    known = _known_names(ctx)
    for number, column, expression in _expressions(ctx):
        try:
            names = Selector.parse(expression, Span(ctx.path, number, column)).names
        except SmithyError:
            continue  # malformed selectors fail the render and are reported there
        for name in sorted(names - known):
            hint = did_you_mean(name, known)
            yield Problem(
                f"'{name}' is not defined on any platform or variant; it reads as false{hint}",
                number,
                column,
            )


@rule(
    "SMY708",
    "env-get-without-default",
    HINT,
    reads=[Input.TEXT],
    formats=V1,
    fix='Give a default (env.get("NAME", default="")) or make sure the build sets NAME.',
)
def env_get_without_default(ctx: LintContext) -> Iterator[Problem]:
    """``env.get("NAME")`` has no default, so the build fails wherever NAME is unset.

    rattler-build leaves script text alone when it renders the matrix, so rerendering
    works, but building stops with an error on a machine without the variable.
    """
    for number, line in enumerate(ctx.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in _ENV_GET.finditer(line):
            name = match.group("name")
            yield Problem(
                f"env.get('{name}') has no default; the build fails where {name} is unset",
                number,
                match.start() + 1,
            )


RULES = (unknown_selector_name, env_get_without_default)
