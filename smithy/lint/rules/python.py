"""Rules about Python and R packages: host/run pairs, pins, build backends, python_min."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, Input, rule
from smithy.lint.rules.common import (
    all_requirements,
    item_text,
    noarch_of,
    requirement_items,
    spec_name,
)
from smithy.lint.tree import Unit, YMap, YScalar, get, items, scalars, text, walk
from smithy.recipe.model import RecipeFormat

_LANGUAGES = ("python", "r-base")
# Build backends that need no other backend to build themselves.
_SELF_HOSTING = frozenset({"hatchling", "pdm-backend", "setuptools"})
_BACKENDS = frozenset(
    [
        "setuptools",
        "flit",
        "flit-core",
        "hatchling",
        "poetry",
        "poetry-core",
        "pdm-backend",
        "pdm-pep517",
        "pymsbuild",
        "meson-python",
        "scikit-build-core",
        "sphinx-theme-builder",
        "maturin",
        "jupyter-packaging",
        "whey",
        "uv-build",
    ]
)
# Only a literal name argument: names built with ~ or + are not checked.
_PIN = re.compile(r"""(pin_subpackage|pin_compatible)\s*\(\s*['"]([^'"]+)['"]\s*[,)]""")


def _specs(unit: Unit, section: str) -> list[str]:
    return [item_text(item) for item in requirement_items(unit, section)]


def _version_independent(ctx: LintContext, unit: Unit) -> bool:
    if ctx.format is RecipeFormat.V1:
        return text(unit.section("build", "python", "version_independent")) == "true"
    return text(unit.section("build", "python_version_independent")) == "true"


@rule(
    "SMY611",
    "language-host-not-run",
    LINT,
    compat="R-023",
    reads=[Input.TREE],
    fix="Add the language (python or r-base) to run requirements too.",
)
def language_host_not_run(ctx: LintContext) -> Iterator[Problem]:
    """Python or r-base is in host but not in run of a compiled single-output recipe.

    A package built against an interpreter needs that interpreter when installed.
    """
    top = ctx.top
    if top is None or ctx.outputs or noarch_of(ctx, top) is not None:
        return
    for language in _LANGUAGES:
        host = [i for i in requirement_items(top, "host") if spec_name(item_text(i)) == language]
        run = [s for s in _specs(top, "run") if spec_name(s) == language]
        if host and not run:
            yield Problem(f"{language} is in host but not in run", host[0].line, 1)


@rule(
    "SMY612",
    "language-unpinned",
    LINT,
    compat="R-024",
    reads=[Input.TREE],
    fix="Write plain 'python' (or r-base) and let the variant pin it.",
)
def language_unpinned(ctx: LintContext) -> Iterator[Problem]:
    """A compiled recipe constrains python or r-base with ``<``/``>`` in host or run.

    The variant decides the interpreter version of each build; a range there only
    hides that pin (unless the package is marked version independent, e.g. abi3).
    """
    top = ctx.top
    if top is None or ctx.outputs or noarch_of(ctx, top) is not None:
        return
    if _version_independent(ctx, top):
        return
    for language in _LANGUAGES:
        for section in ("host", "run"):
            for item in requirement_items(top, section):
                parts = item_text(item).split(None, 1)
                if len(parts) > 1 and parts[0] == language and parts[1].startswith((">", "<")):
                    yield Problem(f"{language} has a range in {section}", item.line, 1)


def _package_names(ctx: LintContext) -> tuple[set[str], bool]:
    """Names of the recipe's packages, and whether the list is complete."""
    names = {unit.name for unit in ctx.units() if unit.name and "{" not in unit.name}
    names |= {output.name for recipe in ctx.rendered for output in recipe.outputs}
    names |= {recipe.name for recipe in ctx.rendered}
    templated = any(unit.name and "{" in unit.name for unit in ctx.units())
    return names, bool(ctx.rendered) or not templated


def _pin_nodes(ctx: LintContext, unit: Unit) -> Iterator[tuple[int, str]]:
    places = [unit.section("requirements", s) for s in ("run", "host")]
    places += [unit.section("build", "run_exports"), unit.section("requirements", "run_exports")]
    for place in places:
        for node in walk(place):
            if isinstance(node, YScalar) and isinstance(node.value, str):
                yield node.line, node.value


@rule(
    "SMY613",
    "pin-function-misuse",
    LINT,
    compat="R-027",
    reads=[Input.TREE, Input.RENDERED],
    fix="Use pin_subpackage for outputs of this recipe and pin_compatible for other packages.",
)
def pin_function_misuse(ctx: LintContext) -> Iterator[Problem]:
    """pin_compatible names an output of this recipe, or pin_subpackage names another package.

    pin_subpackage pins to the exact build being made; pin_compatible pins to whatever
    version was in the host environment. Mixing them up gives wrong pins.
    """
    names, complete = _package_names(ctx)
    for unit in ctx.units():
        for line, value in _pin_nodes(ctx, unit):
            for function, name in _PIN.findall(value):
                if function == "pin_compatible" and name in names:
                    yield Problem(f"use pin_subpackage for the output {name!r}", line, 1)
                elif function == "pin_subpackage" and complete and name not in names:
                    yield Problem(f"{name!r} is not an output here; use pin_compatible", line, 1)


@rule(
    "SMY614",
    "use-pip",
    HINT,
    compat="R-049",
    reads=[Input.TREE],
    fix="Use '{{ PYTHON }} -m pip install . -vv --no-deps --no-build-isolation'.",
)
def use_pip(ctx: LintContext) -> Iterator[Problem]:
    """The build script runs ``python setup.py install``, which is deprecated."""
    for unit in ctx.units():
        for node in walk(unit.section("build", "script")):
            value = getattr(node, "value", None)
            if isinstance(value, str) and "python setup.py install" in value:
                yield Problem("use pip instead of 'python setup.py install'", node.line, 1)


def _backend_names(names: set[str]) -> bool:
    spelled = {name.replace("_", "-") for name in names}
    return not spelled.isdisjoint(_BACKENDS)


@rule(
    "SMY615",
    "pip-without-build-backend",
    HINT,
    compat="R-046",
    reads=[Input.TREE],
    conda_forge=True,
    skip_names=("hint_pip_no_build_backend",),
    fix="Add the project's build backend (setuptools, hatchling, flit-core, ...) to host.",
)
def pip_without_backend(ctx: LintContext) -> Iterator[Problem]:
    """Pip is in host or build but no Python build backend is.

    With build isolation off (as conda-forge builds), pip needs the backend installed.
    """
    for unit in ctx.packages:
        if unit.name in _SELF_HOSTING:
            continue
        for section in ("host", "build"):
            found = requirement_items(unit, section)
            names = {spec_name(item_text(item)) for item in found}
            if "pip" in names and not _backend_names(names):
                pip = next(i for i in found if spec_name(item_text(i)) == "pip")
                yield Problem("pip is used without a build backend", pip.line, 1)


def _min_pattern(ctx: LintContext, operator: str) -> re.Pattern[str]:
    dollar = r"\$" if ctx.format is RecipeFormat.V1 else ""
    return re.compile(rf"^python\s+{operator}{dollar}\{{\{{\s*python_min\s*\}}\}}")


def _test_requirements(ctx: LintContext, unit: Unit) -> list[str]:
    if ctx.format is RecipeFormat.V0:
        return [str(i.value) for i in scalars(get(unit.node, "test", "requires"))]
    found = []
    for test in items(unit.node.get("tests")):
        if isinstance(test, YMap):
            found += [str(i.value) for i in scalars(get(test, "requirements", "run"))]
            # python_version may be a list (minimum and newest), with if/then items.
            versions = scalars(get(test, "python", "python_version"))
            if any("python_min" in str(version.value) for version in versions):
                found.append("python ${{ python_min }}")
    return found


@rule(
    "SMY616",
    "python-min",
    HINT,
    compat="R-047",
    reads=[Input.TREE],
    conda_forge=True,
    skip_names=("hint_python_min",),
    fix="Use python {{ python_min }} in host and tests and python >={{ python_min }} in run.",
)
def python_min(ctx: LintContext) -> Iterator[Problem]:
    """A ``noarch: python`` output does not follow CFEP-25's ``python_min`` pattern.

    Host and test environments use the oldest supported Python
    (``python {{ python_min }}``) and run requires ``python >={{ python_min }}``, so the
    package is built and tested against the oldest Python it claims to support.
    """
    exact, lower = _min_pattern(ctx, "=?=?"), _min_pattern(ctx, ">=")
    for unit in ctx.packages:
        if noarch_of(ctx, unit) != "python":
            continue
        checks = (
            ("host", _specs(unit, "host"), exact),
            ("run", _specs(unit, "run"), lower),
            ("test", _test_requirements(ctx, unit), exact),
        )
        for section, specs, pattern in checks:
            if not any(pattern.match(spec.strip()) for spec in specs):
                yield Problem(f"{section} does not pin python to python_min", unit.line, 1)


@rule(
    "SMY617",
    "is-abi3-string",
    LINT,
    compat="R-038",
    reads=[Input.TEXT],
    conda_forge=True,
    fix="Compare is_abi3 as a boolean: 'is_abi3' / 'not is_abi3'.",
)
def is_abi3_string(ctx: LintContext) -> Iterator[Problem]:
    """``is_abi3`` is compared with the string ``'true'``; it is a boolean variant."""
    pattern = re.compile(r"""is_abi3\s*==\s*['"]?(true|false)""", re.IGNORECASE)
    for number, line in enumerate(ctx.lines, start=1):
        match = pattern.search(line)
        if match:
            yield Problem(
                "is_abi3 is a boolean; do not compare it to a string", number, match.start() + 1
            )


def _uses_abi3(ctx: LintContext) -> bool:
    return any(spec_name(item_text(i)) == "python-abi3" for _, _, i in all_requirements(ctx))


@rule(
    "SMY618",
    "abi3-without-abi3audit",
    HINT,
    compat="R-053",
    reads=[Input.TREE, Input.TEXT],
    conda_forge=True,
    fix="Add abi3audit to the test requirements and run it on the built extension.",
)
def abi3_without_abi3audit(ctx: LintContext) -> Iterator[Problem]:
    """An abi3 (python-abi3) package does not run ``abi3audit`` in its tests."""
    if _uses_abi3(ctx) and "abi3audit" not in ctx.raw.text:
        yield Problem("the abi3 package is not checked with abi3audit", ctx.line_of_key("build"), 1)


RULES = (
    language_host_not_run,
    language_unpinned,
    pin_function_misuse,
    use_pip,
    pip_without_backend,
    python_min,
    is_abi3_string,
    abi3_without_abi3audit,
)
