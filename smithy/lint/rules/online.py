"""conda-forge rules that need the network (``--online``): maintainers on GitHub, package hints."""

from __future__ import annotations

from collections.abc import Iterator

from smithy.github.verdicts import MaintainerCheck
from smithy.github.verdicts import MaintainerStatus as Status
from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, Input, rule
from smithy.lint.rules.common import requirement_items, spec_name
from smithy.lint.tree import YMap, YScalar, YSeq, get, scalars

# conda-forge's linter reads these requirement sections (not tests, not run constraints).
_SECTIONS = ("build", "host", "run")
_MISSING = {
    Status.MISSING: "maintainer '{name}' is not a GitHub user",
    Status.ORGANIZATION: "maintainer '{name}' is an organisation, not a person",
    Status.TEAM_MISSING: "maintainer team '{name}' does not exist",
}


def _column(ctx: LintContext, item: YScalar, value: str) -> int:
    return ctx.line(item.line).find(value) + 1 or 1


def _maintainer_items(ctx: LintContext) -> list[YScalar]:
    extra = get(ctx.tree, "extra")
    node = extra.get("recipe-maintainers") if isinstance(extra, YMap) else None
    found = []
    for item in scalars(node):
        entry = str(item.value).strip()
        # A templated entry names nobody until rendered; it cannot be looked up.
        if entry and "{{" not in entry:
            found.append(item)
    return found


def _verdicts(ctx: LintContext) -> Iterator[tuple[YScalar, str, MaintainerCheck]]:
    items = _maintainer_items(ctx)
    if not items:
        return
    names = [str(item.value).strip() for item in items]
    verdicts = ctx.network.maintainers(names)
    for item, name in zip(items, names, strict=True):
        yield item, name, verdicts[name.lower()]


@rule(
    "SMY910",
    "maintainer-missing",
    LINT,
    compat="CF-001",
    reads=[Input.TREE],
    conda_forge=True,
    online=True,
    fix="List GitHub user names (or 'org/team') under extra.recipe-maintainers; check spelling.",
)
def maintainer_missing(ctx: LintContext) -> Iterator[Problem]:
    """A maintainer is not a GitHub user: no such account, an organisation, or a missing team.

    Maintainers are given commit rights to the feedstock and are pinged by the bots, which
    only works for real people (or an ``org/team`` entry naming an existing team). A renamed
    account counts as missing. Each name is looked up once per run on the GitHub API
    (``--github-url``), with the token in ``GITHUB_TOKEN`` or ``GH_TOKEN`` if set; without a
    token teams cannot be seen and are trusted. Runs with ``--conda-forge --online``.
    """
    for item, name, verdict in _verdicts(ctx):
        template = _MISSING.get(verdict.status)
        if template is not None:
            yield Problem(template.format(name=name), item.line, _column(ctx, item, name))


@rule(
    "SMY912",
    "maintainer-check-inconclusive",
    LINT,
    compat="CF-008",
    reads=[Input.TREE],
    conda_forge=True,
    online=True,
    fix="Lint again later; set GITHUB_TOKEN for a higher GitHub rate limit.",
)
def maintainer_check_inconclusive(ctx: LintContext) -> Iterator[Problem]:
    """A maintainer could not be checked on GitHub: rate limit, network or server error.

    The lint fails rather than guess either way; it asks for a re-run. Once GitHub has
    failed to answer, the rest of the run does not ask again, so every remaining maintainer
    is reported as not checked. Runs with ``--conda-forge --online``.
    """
    for item, name, verdict in _verdicts(ctx):
        if verdict.status is Status.INCONCLUSIVE:
            reason = verdict.message or "github did not answer"
            yield Problem(
                f"could not check maintainer '{name}': {reason}",
                item.line,
                _column(ctx, item, name),
            )


def _dependencies(ctx: LintContext) -> Iterator[YScalar]:
    for unit in ctx.units():
        requirements = unit.section("requirements")
        if isinstance(requirements, YSeq):  # a meta.yaml output may list run requirements only
            yield from scalars(requirements)
            continue
        for section in _SECTIONS:
            yield from requirement_items(unit, section)


@rule(
    "SMY911",
    "package-to-avoid",
    HINT,
    compat="CF-002",
    reads=[Input.TREE],
    conda_forge=True,
    online=True,
    fix="Follow the hint: usually depend on the package it names instead.",
)
def package_to_avoid(ctx: LintContext) -> Iterator[Problem]:
    """A requirement is a package conda-forge advises against (e.g. ``matplotlib``).

    The list and its advice live in conda-forge-pinning-feedstock's
    ``recipe/linter_hints/hints.toml``, fetched once per run from ``--pinning-url`` (raw
    GitHub by default) with a 5 s timeout; when it cannot be fetched this rule says nothing.
    Build, host and run requirements are read; each package is reported once, where it
    first appears. Runs with ``--conda-forge --online``.
    """
    hints = ctx.network.package_hints()
    if not hints:
        return
    seen: set[str] = set()
    for item in _dependencies(ctx):
        spec = str(item.value)
        name = spec_name(spec)
        if name in hints and name not in seen:
            seen.add(name)
            yield Problem(f"{name}: {hints[name]}", item.line, _column(ctx, item, spec))


RULES = (maintainer_missing, package_to_avoid, maintainer_check_inconclusive)
