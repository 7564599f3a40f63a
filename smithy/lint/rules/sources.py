"""Rules about sources: hashes, wheels, and the legacy PyPI host."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, Input, rule
from smithy.lint.rules.common import noarch_of
from smithy.lint.tree import YMap, items

# A wheel url as conda-smithy finds it in the raw text: after "key:" or "- ", up to the last
# ".whl" that ends a word. The url may hold spaces (``{{ version }}``), so no \S here.
_WHEEL = re.compile(r"[:-]\s+(https?://.*\.whl)(?=\s|$)")
_PURE_WHEEL = re.compile(r"-none-any\.whl$")
_HASHES = ("sha256", "sha1", "md5")
_LEGACY_PYPI = re.compile(r"https?://pypi\.io/")


def _sources(ctx: LintContext) -> Iterator[YMap]:
    for unit in ctx.units():
        for item in items(unit.node.get("source")):
            if isinstance(item, YMap):
                yield item


@rule(
    "SMY501",
    "missing-source-hash",
    LINT,
    compat="R-019",
    reads=[Input.TREE],
    fix="Add the sha256 of the downloaded file (sha256sum FILE) under the url.",
)
def missing_source_hash(ctx: LintContext) -> Iterator[Problem]:
    """A source ``url`` has no sha256 (or sha1/md5) hash.

    Without a hash, a changed or tampered download is built without anyone noticing.
    """
    for source in _sources(ctx):
        if "url" in source.entries and not any(key in source.entries for key in _HASHES):
            yield Problem("the source url has no sha256 hash", source.key_lines["url"], 1)


def _wheel_lines(ctx: LintContext) -> Iterator[tuple[int, int, str, bool]]:
    """``(line, column, url, pure)`` of every wheel url outside whole-line comments."""
    for number, line in enumerate(ctx.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        match = _WHEEL.search(line)
        if match is not None:
            url = match.group(1)
            yield number, match.start(1) + 1, url, bool(_PURE_WHEEL.search(url))


def _top_noarch(ctx: LintContext) -> str | None:
    top = ctx.top
    return None if top is None else noarch_of(ctx, top)


@rule(
    "SMY502",
    "compiled-wheel",
    LINT,
    compat="R-028",
    reads=[Input.TEXT],
    fix="Build from the source distribution instead of a compiled wheel.",
)
def compiled_wheel(ctx: LintContext) -> Iterator[Problem]:
    """A compiled (platform-specific) wheel is used as a source.

    Compiled wheels bundle binaries built elsewhere, against other libraries than the
    channel's; they cannot be trusted to work or be rebuilt.
    """
    for line, column, url, pure in _wheel_lines(ctx):
        if not pure:
            yield Problem(f"compiled wheel used as source: {url}", line, column)


@rule(
    "SMY503",
    "pure-wheel",
    LINT,
    compat="R-029",
    reads=[Input.TEXT, Input.TREE],
    fix="Build from the source distribution, or make the recipe noarch: python.",
)
def pure_wheel(ctx: LintContext) -> Iterator[Problem]:
    """A pure-Python wheel is the source of a recipe that is not ``noarch: python``."""
    if _top_noarch(ctx) == "python":
        return
    for line, column, url, pure in _wheel_lines(ctx):
        if pure:
            yield Problem(f"wheel used as source of a non-noarch recipe: {url}", line, column)


@rule(
    "SMY504",
    "pure-wheel-noarch",
    HINT,
    compat="R-030",
    reads=[Input.TEXT, Input.TREE],
    fix="Prefer the source distribution when it builds easily.",
)
def pure_wheel_noarch(ctx: LintContext) -> Iterator[Problem]:
    """A ``noarch: python`` recipe installs from a wheel instead of the source distribution.

    This is allowed, but the sdist carries the tests and license files more often.
    """
    if _top_noarch(ctx) != "python":
        return
    for line, column, url, pure in _wheel_lines(ctx):
        if pure:
            yield Problem(f"wheel used as source: {url}", line, column)


@rule(
    "SMY505",
    "legacy-pypi-url",
    HINT,
    compat="R-050",
    reads=[Input.TEXT],
    fix="Use https://files.pythonhosted.org/packages/source/... (or pypi.org) instead.",
)
def legacy_pypi_url(ctx: LintContext) -> Iterator[Problem]:
    """A source url uses the retired ``pypi.io`` host, which only redirects."""
    for number, line in enumerate(ctx.lines, start=1):
        match = _LEGACY_PYPI.search(line)
        if match and not line.lstrip().startswith("#"):
            yield Problem(
                "pypi.io is a legacy host; use files.pythonhosted.org", number, match.start() + 1
            )


RULES = (missing_source_hash, compiled_wheel, pure_wheel, pure_wheel_noarch, legacy_pypi_url)
