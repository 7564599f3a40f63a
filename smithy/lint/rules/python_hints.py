"""conda-forge's Python hints: redundant python_min, testing the newest Python, old workarounds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from smithy.errors import SmithyError
from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, V1, Input, rule
from smithy.lint.rules.common import item_text, noarch_of, requirement_items, spec_name
from smithy.lint.tree import Unit, YMap, YNode, YScalar, get, items, scalars, text
from smithy.pinning.source import resolve_pinning
from smithy.platforms import MAIN_PLATFORMS
from smithy.recipe.model import RecipeFormat
from smithy.variants.pinning import load_variant_file
from smithy.versions import (
    Version,
    version_or_none,
)

# Only a literal value: `{% set python_min = "3.10" %}` (quoted or a bare number).
_SET_PYTHON_MIN = re.compile(
    r"""\{%-?\s*set\s+python_min\s*=\s*(?:"([^"]+)"|'([^']+)'|([\d.]+))\s*-?%\}"""
)
_VARIANT_FILES = ("conda_build_config.yaml", "variants.yaml")
# The platform whose python_min is the pinning's default (noarch packages build there).
_DEFAULT_PLATFORM = "linux-64"
# An assignment to SP_DIR in a script line, alone or after `- `, `then: `, `export`/`set`.
_SP_DIR_ASSIGNED = re.compile(
    r"""^\s*(?:-\s+)?(?:(?:then|else):\s+)?(?:(?:export|set)\s+)?["']?SP_DIR\s*="""
)
# SP_DIR as a key of a script's `env` mapping.
_SP_DIR_KEY = re.compile(r"^\s*(?:-\s+)?SP_DIR\s*:\s*\S")
_PREFIX_SITE_PACKAGES = re.compile(r"%PREFIX%[\\/]+Lib[\\/]+site-packages", re.IGNORECASE)
_CROSS_PYTHON = re.compile(r"^cross-python(?:_|\s|$)")


def _version(value: str) -> Version | None:
    return version_or_none(value.strip())  # None for jinja or garbage: nothing to compare


def _global_python_min(ctx: LintContext) -> Version | None:
    """python_min of the pinning the renderer uses, on the default platform; never online."""
    from smithy.pinning.fetch import OFFLINE_VARIABLE

    environ = {**ctx.options.environ, OFFLINE_VARIABLE: "1"}
    try:
        source = resolve_pinning(ctx.options.pinning, environ)
        config = load_variant_file(source.cbc, platform=_DEFAULT_PLATFORM, env={})
    except SmithyError:
        return None
    values = config.values.get("python_min", ())
    return _version(values[0]) if values else None


def _recipe_values(ctx: LintContext) -> Iterator[tuple[str, int, str | None]]:
    """``(value, line, path)`` for each literal python_min the recipe sets (path None: recipe)."""
    if ctx.format is RecipeFormat.V0:
        for number, line in enumerate(ctx.lines, start=1):
            match = _SET_PYTHON_MIN.search(line)
            if match:
                yield next(group for group in match.groups() if group), number, None
    else:
        context = get(ctx.tree, "context")
        value = text(get(context, "python_min"))
        if isinstance(context, YMap) and value is not None and "${{" not in value:
            yield value, context.key_lines["python_min"], None
    yield from _variant_file_values(ctx)


def _variant_file_values(ctx: LintContext) -> Iterator[tuple[str, int, str | None]]:
    seen: set[tuple[str, int]] = set()
    for name in _VARIANT_FILES:
        path: Path = ctx.recipe_dir / name
        if not path.is_file():
            continue
        shown = ctx.show(path)
        for platform in MAIN_PLATFORMS:
            try:
                config = load_variant_file(path, platform=platform, env={}, display_path=shown)
            except SmithyError:
                break  # an unreadable variant file is reported when rendering
            values = config.values.get("python_min", ())
            spans = config.origins.get("python_min", ())
            for value, span in zip(values, spans, strict=False):
                if (shown, span.line) not in seen:
                    seen.add((shown, span.line))
                    yield value, span.line, shown


@rule(
    "SMY619",
    "redundant-python-min",
    HINT,
    compat="R-052",
    reads=[Input.TEXT, Input.TREE, Input.FILES],
    conda_forge=True,
    skip_names=("hint_redundant_python_min",),
    fix="Remove the python_min definition; set it only to raise the floor above the pinning's.",
)
def redundant_python_min(ctx: LintContext) -> Iterator[Problem]:
    """The recipe sets ``python_min`` no higher than the global pinning already does.

    conda-forge's pinning provides ``python_min`` (CFEP-25). Setting it again in the
    recipe (``{% set python_min %}``, ``context:``) or its variant file to the same or a
    lower value is redundant and freezes the value when the pinning moves on. Only a
    higher floor, for a package that needs a newer Python, belongs in the recipe. The
    pinning is the one used for rendering (``--pinning`` or the default search), read
    locally: the default platform's value counts.
    """
    found = list(_recipe_values(ctx))
    floor = _global_python_min(ctx) if found else None
    if floor is None:
        return
    for value, line, path in found:
        version = _version(value)
        if version is not None and version <= floor:
            message = f"python_min {value} is not above the global pinning's {floor}; remove it"
            yield Problem(message, line, 1, path)


def _inherited(ctx: LintContext, unit: Unit, *keys: str) -> YNode | None:
    # rattler-build merges the top-level build section into each output.
    node = unit.section(*keys)
    if node is None and not unit.top and ctx.top is not None:
        node = ctx.top.section(*keys)
    return node


def _version_independent(ctx: LintContext, unit: Unit) -> bool:
    return text(_inherited(ctx, unit, "build", "python", "version_independent")) == "true"


def _single_version_test(unit: Unit) -> Problem | None:
    """The first python test of ``unit`` that runs on one Python only, or None.

    A test covers the newest Python with a ``"*"`` item in ``python_version``; an upper
    bound on python in the run requirements makes that unnecessary.
    """
    for item in requirement_items(unit, "run"):
        spec = item_text(item)
        if spec_name(spec) == "python" and "<" in spec:
            return None
    for test in items(unit.section("tests")):
        if not isinstance(test, YMap) or "python" not in test.entries:
            continue
        python = test.get("python")
        versions = [str(v.value).strip() for v in scalars(get(python, "python_version"))]
        if "*" in versions:
            continue
        if isinstance(python, YMap) and "python_version" in python.key_lines:
            message = 'python_version does not include the newest Python ("*")'
            return Problem(message, python.key_lines["python_version"], 1)
        message = "the python test sets no python_version, so it runs on one Python only"
        return Problem(message, test.key_lines["python"], 1)
    return None


@rule(
    "SMY620",
    "noarch-python-test-latest",
    HINT,
    compat="R1-004",
    reads=[Input.TREE],
    formats=V1,
    conda_forge=True,
    skip_names=("hint_noarch_python_test_latest",),
    fix='Test both ends: python_version: ["${{ python_min }}.*", "*"].',
)
def noarch_python_test_latest(ctx: LintContext) -> Iterator[Problem]:
    """A ``noarch: python`` output's python test runs on one Python version only.

    The package installs on every Python from ``python_min`` up, so its python test should
    list both the oldest (``${{ python_min }}.*``) and the newest (``"*"``) in
    ``python_version``. A run requirement that caps python (``<``) makes the newest known.
    """
    for unit in ctx.packages:
        if noarch_of(ctx, unit) == "python" and (problem := _single_version_test(unit)) is not None:
            yield problem


@rule(
    "SMY621",
    "version-independent-test-latest",
    HINT,
    compat="R1-005",
    reads=[Input.TREE],
    formats=V1,
    conda_forge=True,
    skip_names=("hint_python_version_independent_test_latest",),
    fix='Test both ends: python_version: ["${{ python_min }}.*", "*"].',
)
def version_independent_test_latest(ctx: LintContext) -> Iterator[Problem]:
    """A Python version-independent (abi3) output's python test runs on one Python only.

    ``build.python.version_independent`` packages are built once against ``python_min``
    and install on every newer Python, so the python test should list both
    ``${{ python_min }}.*`` and ``"*"`` in ``python_version``.
    """
    for unit in ctx.packages:
        if _version_independent(ctx, unit) and (problem := _single_version_test(unit)) is not None:
            yield problem


@rule(
    "SMY622",
    "rattler-sp-dir",
    HINT,
    compat="R1-006",
    reads=[Input.TEXT],
    formats=V1,
    conda_forge=True,
    skip_names=("hint_rattler_build_sp_dir",),
    fix="Drop the SP_DIR definition and use $SP_DIR / %SP_DIR%, which rattler-build sets.",
)
def rattler_sp_dir(ctx: LintContext) -> Iterator[Problem]:
    r"""recipe.yaml defines ``SP_DIR`` itself or hardcodes ``%PREFIX%\Lib\site-packages``.

    rattler-build sets ``SP_DIR`` (the site-packages folder) like conda-build does. Older
    recipes exported it by hand as a workaround, or wrote the Windows path out; both can
    use ``$SP_DIR`` / ``%SP_DIR%`` now.
    """
    for number, line in enumerate(ctx.lines, start=1):
        if _SP_DIR_ASSIGNED.match(line) or _SP_DIR_KEY.match(line):
            yield Problem("SP_DIR is defined by hand; rattler-build sets it", number, 1)
        elif match := _PREFIX_SITE_PACKAGES.search(line):
            message = "site-packages is hardcoded; use %SP_DIR%"
            yield Problem(message, number, match.start() + 1)


def _cross_python_items(unit: Unit) -> Iterator[YScalar]:
    node = unit.section("requirements", "ignore_run_exports", "from_package")
    for item in scalars(node):
        if _CROSS_PYTHON.match(item_text(item).strip()):
            yield item


@rule(
    "SMY623",
    "abi3-cross-python-run-exports",
    HINT,
    compat="R1-007",
    reads=[Input.TREE],
    formats=V1,
    conda_forge=True,
    skip_names=("hint_abi3_cross_python_run_exports",),
    fix="Remove cross-python from ignore_run_exports.from_package.",
)
def abi3_cross_python_run_exports(ctx: LintContext) -> Iterator[Problem]:
    """A noarch or abi3 output still ignores the run exports of ``cross-python``.

    Cross-compiled abi3 (``build.python.version_independent``) and ``noarch: python``
    recipes used to ignore ``cross-python_${{ target_platform }}``'s python run export so
    the package was not tied to one Python. rattler-build drops that run export itself for
    such recipes now, so the entry is dead weight.
    """
    for unit in ctx.packages:
        if noarch_of(ctx, unit) != "python" and not _version_independent(ctx, unit):
            continue
        for item in _cross_python_items(unit):
            yield Problem("ignoring cross-python's run exports is no longer needed", item.line, 1)


RULES = (
    redundant_python_min,
    noarch_python_test_latest,
    version_independent_test_latest,
    rattler_sp_dir,
    abi3_cross_python_run_exports,
)
