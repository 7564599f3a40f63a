"""Rules about what a package is: name, version, build number and whether it is tested."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, Input, rule
from smithy.lint.tree import Unit, YMap, get, is_empty, items, text
from smithy.recipe.model import RecipeFormat
from smithy.versions import (
    BadVersion,
    parse_version,
)

_NAME = re.compile(r"^[a-z0-9_\-.]+$")
_TEST_KEYS = ("imports", "commands")
_TEST_FILES = ("run_test.py", "run_test.sh", "run_test.bat", "run_test.pl")


@rule(
    "SMY301",
    "invalid-package-name",
    LINT,
    compat="R-014",
    reads=[Input.RENDERED],
    fix="Use only lower-case letters, digits, '_', '-' and '.' in package names.",
)
def invalid_package_name(ctx: LintContext) -> Iterator[Problem]:
    r"""A package name (after rendering) has characters conda does not allow.

    Names are matched against ``^[a-z0-9_\-.]+$``; upper case letters in particular
    make a package impossible to install by its expected name.
    """
    for recipe in ctx.rendered:
        for output in recipe.outputs:
            if not _NAME.match(output.name):
                message = f"package name {output.name!r} may only use a-z, 0-9, '_', '-', '.'"
                yield Problem(message, output.span.line, 1)


def _head(ctx: LintContext) -> tuple[YMap | None, int]:
    tree = ctx.tree
    if tree is None:  # rules reading only the rendered recipe run without the written tree
        return None, 1
    key = "recipe" if ctx.format is RecipeFormat.V1 and "recipe" in tree.entries else "package"
    node = tree.get(key)
    return (node if isinstance(node, YMap) else None), tree.key_lines.get(key, 1)


@rule(
    "SMY302",
    "missing-version",
    LINT,
    compat="R-015",
    reads=[Input.TREE],
    fix="Give the package a version (package.version; recipe.yaml: recipe.version).",
)
def missing_version(ctx: LintContext) -> Iterator[Problem]:
    """The recipe has no version."""
    head, line = _head(ctx)
    if head is not None and not is_empty(head.get("version")):
        return
    if any(
        not is_empty(get(u.node, "package", "version") or u.node.get("version"))
        for u in ctx.outputs
    ):
        return
    yield Problem("the recipe has no version", line, 1)


def _value_column(line: str) -> int:
    """The column of the value after ``key:`` on ``line`` (1 when there is none)."""
    match = re.match(r"^(\s*(?:-\s+)?[\w.-]+\s*:\s*)\S", line)
    return len(match.group(1)) + 1 if match else 1


def _version_problem(version: str, fmt: RecipeFormat) -> str | None:
    if fmt is RecipeFormat.V0 and "-" in version:
        return f"version {version!r} contains '-', which conda-build refuses"
    try:
        parse_version(version)
    except BadVersion as exc:
        return f"version {version!r} is not a valid conda version ({str(exc).split(':')[0]})"
    return None


@rule(
    "SMY303",
    "invalid-version",
    LINT,
    compat="R-016",
    reads=[Input.RENDERED],
    fix="Use a conda version: digits, letters, '.', '_' and '+' (e.g. 1.2.3, 2024.1, 1.0rc1).",
)
def invalid_version(ctx: LintContext) -> Iterator[Problem]:
    """A package version (after rendering) is not a valid conda version.

    Versions are parsed with rattler's ``Version``, the same ordering conda uses; an
    invalid one cannot be compared and breaks solving.
    """
    head, _ = _head(ctx)
    head_line = head.key_lines.get("version") if head is not None else None
    reported: set[str] = set()
    for recipe in ctx.rendered:
        for output in recipe.outputs:
            if not output.version or output.version in reported:
                continue
            problem = _version_problem(output.version, ctx.format)
            if problem is not None:
                reported.add(output.version)  # once per version, not per output and variant
                line = head_line if head_line is not None else output.span.line
                yield Problem(problem, line, _value_column(ctx.line(line)))


@rule(
    "SMY304",
    "missing-build-number",
    LINT,
    compat="R-008",
    reads=[Input.TREE],
    fix="Add build.number (0 for a new version).",
)
def missing_build_number(ctx: LintContext) -> Iterator[Problem]:
    """The recipe has no ``build.number``; every rebuild must raise it."""
    tree = ctx.tree
    assert tree is not None
    build = tree.get("build")
    if isinstance(build, YMap) and not is_empty(build.get("number")):
        return
    yield Problem("build.number is missing", tree.key_lines.get("build", 1), 1)


def _v0_tested(node: YMap | None) -> bool:
    test = node.get("test") if node is not None else None
    if not isinstance(test, YMap):
        return False
    if any(not is_empty(test.get(key)) for key in _TEST_KEYS):
        return True
    script = text(test.get("script")) or ""
    return script.endswith((".sh", ".bat"))


def _tested(ctx: LintContext, unit: Unit) -> bool:
    if ctx.format is RecipeFormat.V1:
        return any(True for _ in items(unit.node.get("tests")))
    return _v0_tested(unit.node)


@rule(
    "SMY305",
    "missing-tests",
    LINT,
    compat="R-005",
    reads=[Input.TREE, Input.FILES],
    fix="Add tests: test.imports/commands (recipe.yaml: tests) or a run_test.* script.",
)
def missing_tests(ctx: LintContext) -> Iterator[Problem]:
    """Nothing in the recipe is tested.

    A package that is never imported or run after building can be broken without anyone
    noticing. meta.yaml recipes may also use ``run_test.py/sh/bat/pl`` files.
    """
    top = ctx.top
    assert top is not None
    if _tested(ctx, top):
        return
    if ctx.format is RecipeFormat.V0 and any((ctx.recipe_dir / f).is_file() for f in _TEST_FILES):
        return
    packages = [unit for unit in ctx.outputs if not unit.staging]
    if any(_tested(ctx, unit) for unit in packages):
        return
    key = "tests" if ctx.format is RecipeFormat.V1 else "test"
    assert ctx.tree is not None
    yield Problem("the recipe has no tests", ctx.tree.key_lines.get(key, 1), 1)


@rule(
    "SMY306",
    "untested-output",
    HINT,
    compat="R-006",
    reads=[Input.TREE, Input.FILES],
    fix="Add a test to each output.",
)
def untested_output(ctx: LintContext) -> Iterator[Problem]:
    """Some outputs are tested and others are not."""
    top = ctx.top
    assert top is not None
    if _tested(ctx, top):
        return
    if ctx.format is RecipeFormat.V0 and any((ctx.recipe_dir / f).is_file() for f in _TEST_FILES):
        return
    packages = [unit for unit in ctx.outputs if not unit.staging]
    if not any(_tested(ctx, unit) for unit in packages):
        return
    for unit in packages:
        if not _tested(ctx, unit):
            yield Problem(f"output {unit.name or '?'!r} has no tests", unit.line, 1)


RULES = (
    invalid_package_name,
    missing_version,
    invalid_version,
    missing_build_number,
    missing_tests,
    untested_output,
)
