"""Rules about the ``about`` and ``extra`` sections: fields, licenses, maintainers."""

from __future__ import annotations

from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, Input, rule
from smithy.lint.spdx import check_expression
from smithy.lint.tree import YMap, YSeq, get, is_empty, text
from smithy.recipe.model import RecipeFormat

# conda-build needs a license file for these families (v0); recipe.yaml always needs one.
_FAMILIES_NEEDING_FILE = ("gpl", "bsd", "mit", "apache", "psf")


def _about(ctx: LintContext) -> tuple[YMap | None, int]:
    tree = ctx.tree
    assert tree is not None
    about = tree.get("about")
    line = tree.key_lines.get("about", 1)
    return (about if isinstance(about, YMap) else None), line


def _license(ctx: LintContext) -> tuple[str | None, int]:
    about, line = _about(ctx)
    if about is None:
        return None, line
    return text(about.get("license")), about.key_lines.get("license", line)


@rule(
    "SMY201",
    "missing-about-field",
    LINT,
    compat="R-002",
    reads=[Input.TREE],
    fix="Fill in about.home (recipe.yaml: homepage), about.license and about.summary.",
)
def missing_about_field(ctx: LintContext) -> Iterator[Problem]:
    """The ``about`` section lacks a homepage, a license or a summary.

    These three fields are what users and the channel's web pages show about a package.
    """
    about, line = _about(ctx)
    home = "homepage" if ctx.format is RecipeFormat.V1 else "home"
    for field in (home, "license", "summary"):
        node = about.get(field) if about is not None else None
        if is_empty(node):
            where = about.key_lines.get(field, line) if about is not None else line
            yield Problem(f"about.{field} is missing or empty", where, 1)


def _maintainers(ctx: LintContext) -> tuple[object, int]:
    tree = ctx.tree
    assert tree is not None
    extra = tree.get("extra")
    line = tree.key_lines.get("extra", 1)
    if not isinstance(extra, YMap):
        return None, line
    return extra.get("recipe-maintainers"), extra.key_lines.get("recipe-maintainers", line)


@rule(
    "SMY202",
    "no-maintainers",
    LINT,
    compat="R-003",
    reads=[Input.TREE],
    fix="List the GitHub handles of the maintainers under extra.recipe-maintainers.",
)
def no_maintainers(ctx: LintContext) -> Iterator[Problem]:
    """The recipe names no maintainers in ``extra.recipe-maintainers``.

    Maintainers get write access to the feedstock and are pinged about problems.
    """
    node, line = _maintainers(ctx)
    if node is None or is_empty(node):  # type: ignore[arg-type]
        yield Problem("extra.recipe-maintainers is missing or empty", line, 1)


@rule(
    "SMY203",
    "maintainers-not-list",
    LINT,
    compat="R-004",
    reads=[Input.TREE],
    fix="Write extra.recipe-maintainers as a YAML list (one '- handle' per line).",
)
def maintainers_not_list(ctx: LintContext) -> Iterator[Problem]:
    """``extra.recipe-maintainers`` is a single value instead of a list."""
    node, line = _maintainers(ctx)
    if node is not None and not isinstance(node, YSeq) and not is_empty(node):  # type: ignore[arg-type]
        yield Problem("extra.recipe-maintainers must be a list", line, 1)


@rule(
    "SMY204",
    "unknown-license",
    LINT,
    compat="R-007",
    reads=[Input.TREE],
    fix="Find the project's license and give its SPDX identifier.",
)
def unknown_license(ctx: LintContext) -> Iterator[Problem]:
    """The license is given as ``unknown``; a package must say under what terms it ships."""
    value, line = _license(ctx)
    if value is not None and value.strip().lower() == "unknown":
        yield Problem("the license cannot be 'unknown'", line, 1)


@rule(
    "SMY205",
    "license-mentions-license",
    LINT,
    compat="R-010",
    reads=[Input.TREE],
    fix="Use the SPDX identifier alone, e.g. 'MIT' rather than 'MIT License'.",
)
def license_mentions_license(ctx: LintContext) -> Iterator[Problem]:
    """The license field contains the word "license", e.g. ``BSD License``.

    SPDX identifiers never do, except ``Unlicense``, ``LicenseRef-...`` and ids ending
    in ``-License``.
    """
    value, line = _license(ctx)
    if value is None:
        return
    lower = value.lower()
    if "license" in lower and not any(
        ok in lower for ok in ("unlicense", "licenseref", "-license")
    ):
        yield Problem(f"the license {value!r} should not contain the word 'license'", line, 1)


def _needs_license_file(ctx: LintContext, about: YMap) -> bool:
    if ctx.format is RecipeFormat.V1:
        return True
    family = text(about.get("license_family")) or text(about.get("license")) or ""
    return any(name in family.lower() for name in _FAMILIES_NEEDING_FILE)


@rule(
    "SMY206",
    "missing-license-file",
    LINT,
    compat="R-013",
    reads=[Input.TREE],
    fix="Add about.license_file naming the license text in the source (or the recipe).",
)
def missing_license_file(ctx: LintContext) -> Iterator[Problem]:
    """No ``about.license_file`` is given.

    Most licenses require their text to ship with the binaries. recipe.yaml recipes
    always need one; meta.yaml recipes need one for the GPL, BSD, MIT, Apache and PSF
    families (conda-build's rule).
    """
    about, line = _about(ctx)
    if about is None:
        if ctx.format is RecipeFormat.V1:
            yield Problem("about.license_file is missing", line, 1)
        return
    if is_empty(about.get("license_file")) and _needs_license_file(ctx, about):
        yield Problem("about.license_file is missing", about.key_lines.get("license", line), 1)


@rule(
    "SMY207",
    "license-not-spdx",
    HINT,
    compat="R-044",
    reads=[Input.TREE],
    fix="Use an SPDX license expression (https://spdx.org/licenses/), or LicenseRef-<name>.",
)
def license_not_spdx(ctx: LintContext) -> Iterator[Problem]:
    """The license is not a valid SPDX identifier or expression.

    Machine-readable licenses let users and tools check what they install. Custom
    licenses can be written ``LicenseRef-<name>``. smithy ships the SPDX list.
    """
    value, line = _license(ctx)
    # "unknown" is reported here too (beside SMY204), as conda-smithy reports both.
    if value is None or "{{" in value:
        return
    result = check_expression(value)
    if result.malformed:
        yield Problem(f"the license {value!r} is not a valid SPDX expression", line, 1)
    for token in result.unknown_licenses:
        yield Problem(f"'{token}' is not an SPDX license identifier", line, 1)


@rule(
    "SMY208",
    "unknown-license-exception",
    HINT,
    compat="R-045",
    reads=[Input.TREE],
    fix="Use an exception from https://spdx.org/licenses/exceptions-index.html after WITH.",
)
def unknown_license_exception(ctx: LintContext) -> Iterator[Problem]:
    """The license names an exception (``WITH ...``) that SPDX does not know."""
    value, line = _license(ctx)
    if value is None:
        return
    for token in check_expression(value).unknown_exceptions:
        yield Problem(f"'{token}' is not an SPDX license exception", line, 1)


@rule(
    "SMY209",
    "feedstock-name-suffix",
    LINT,
    compat="R-039",
    reads=[Input.TREE],
    fix="Drop the '-feedstock' suffix from extra.feedstock-name.",
)
def feedstock_name_suffix(ctx: LintContext) -> Iterator[Problem]:
    """``extra.feedstock-name`` ends in ``-feedstock``; the suffix is added automatically."""
    extra = get(ctx.tree, "extra")
    if not isinstance(extra, YMap):
        return
    name = text(extra.get("feedstock-name"))
    if name and name.endswith("-feedstock"):
        line = extra.key_lines["feedstock-name"]
        yield Problem(f"feedstock-name {name!r} should not end in '-feedstock'", line, 1)


RULES = (
    missing_about_field,
    no_maintainers,
    maintainers_not_list,
    unknown_license,
    license_mentions_license,
    missing_license_file,
    license_not_spdx,
    unknown_license_exception,
    feedstock_name_suffix,
)
