"""Rules about reading the inputs at all: YAML, rendering, conda-forge.yml, recipe files."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import LINT, V1, Input, rule
from smithy.lint.tree import text

_SETUP_PY = re.compile(r"\b(load_setup_py_data|load_setuptools)\s*\(")


@rule(
    "SMY001",
    "unparsable-recipe",
    LINT,
    reads=[Input.TEXT, Input.TREE],
    fix="Make the recipe a YAML mapping of sections: correct it at the position shown.",
)
def unparsable_recipe(ctx: LintContext) -> Iterator[Problem]:
    """The recipe is not valid YAML (after masking jinja in meta.yaml).

    Nothing else can be checked until the recipe parses, so the run exits with code 3
    and this finding gives the line and column the YAML parser stopped at. (conda-smithy
    stops with a traceback here; its R-036 is SMY009.)
    """
    if ctx.tree is None and ctx.tree_error is not None:
        yield ctx.tree_error


@rule(
    "SMY002",
    "render-failed",
    LINT,
    reads=[Input.RENDERED],
    fix="Correct the file and line shown (the recipe or a variant file); rerender needs it too.",
)
def render_failed(ctx: LintContext) -> Iterator[Problem]:
    """The recipe cannot be rendered for some platform or variant.

    smithy renders the recipe as rerender does (the platforms conda-forge.yml builds, or
    the main platforms outside a feedstock) with a sandboxed jinja and a whitelist
    selector evaluator. Selectors that call functions other than
    ``os.environ.get``, jinja that reaches for Python internals, files read from outside
    the recipe folder, undefined variables and sections of the wrong shape all end up
    here, with the position of the offending line. Nothing in the recipe is executed.
    """
    if ctx.tree is None:
        return
    ctx.rendered  # noqa: B018 - rendering records the error it meets
    if ctx.render_error is not None:
        yield ctx.render_error


@rule(
    "SMY003",
    "unparsable-config",
    LINT,
    reads=[Input.CONFIG],
    fix="Make conda-forge.yml a YAML mapping of keys to values.",
)
def unparsable_config(ctx: LintContext) -> Iterator[Problem]:
    """conda-forge.yml cannot be read: invalid YAML, not a mapping, or a refused key.

    Without a readable configuration neither rerendering nor the configuration rules can
    work, so the run exits with code 3.
    """
    ctx.config  # noqa: B018 - loading records the error it meets
    if ctx.config_error is not None:
        yield ctx.config_error


@rule(
    "SMY004",
    "duplicate-recipes",
    LINT,
    compat="R-051",
    reads=[Input.FILES],
    fix="Delete the recipe file of the format you no longer use.",
)
def duplicate_recipes(ctx: LintContext) -> Iterator[Problem]:
    """The recipe folder holds both a meta.yaml and a recipe.yaml.

    Tools disagree about which one wins (rattler-build and smithy read recipe.yaml,
    conda-build reads meta.yaml), so one of them is silently ignored.
    """
    if (ctx.recipe_dir / "meta.yaml").is_file() and (ctx.recipe_dir / "recipe.yaml").is_file():
        yield Problem("both meta.yaml and recipe.yaml exist; smithy read recipe.yaml", 1, 1)


@rule(
    "SMY005",
    "load-setup-py-data",
    LINT,
    reads=[Input.TEXT],
    fix="Write the version and requirements into the recipe instead of reading setup.py.",
)
def load_setup_py_data(ctx: LintContext) -> Iterator[Problem]:
    """The recipe calls ``load_setup_py_data`` or ``load_setuptools``.

    These functions run the project's setup.py while the recipe renders. smithy never
    runs code from a recipe, so they return an empty mapping and every value read from
    them is missing; conda-build would run untrusted code on the machine that renders.
    """
    for number, line in enumerate(ctx.lines, start=1):
        match = _SETUP_PY.search(line)
        if match:
            message = f"{match.group(1)}() runs setup.py; smithy does not, so its values are empty"
            yield Problem(message, number, match.start() + 1)


@rule(
    "SMY006",
    "unsupported-schema-version",
    LINT,
    reads=[Input.TREE],
    formats=V1,
    fix="Set 'schema_version: 1' or remove the key.",
)
def unsupported_schema_version(ctx: LintContext) -> Iterator[Problem]:
    """A recipe.yaml declares a ``schema_version`` other than 1."""
    tree = ctx.tree
    if tree is None or "schema_version" not in tree.entries:
        return
    value = text(tree.get("schema_version"))
    if value != "1":
        line = tree.key_lines["schema_version"]
        yield Problem(f"unsupported recipe schema_version {value!r}; only 1 is known", line, 1)


RULES = (
    unparsable_recipe,
    render_failed,
    unparsable_config,
    duplicate_recipes,
    load_setup_py_data,
    unsupported_schema_version,
)
