"""conda-forge's checks of conda-forge.yml's workflow_settings entries (os, platform, provider)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from smithy.config.schema import ConditionalValue
from smithy.config.workflow_settings import WORKFLOW_KEYS, applicable_os, setting_entries
from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import LINT, Input, rule

# Paths differ between unix and Windows, so one value cannot serve both.
_PATH_KEYS = ("tools_install_dir", "build_workspace_dir")
# Settings that only mean something on some jobs: key -> (operating systems, providers).
_RESTRICTED = {"resize_partitions": (frozenset({"win"}), frozenset({"github_actions"}))}
_UNIX = frozenset({"linux", "osx"})
Covered = tuple[str, str, str]


def _written(ctx: LintContext, key: str) -> list[ConditionalValue]:
    # Entries migrated from legacy keys are built to fit; only what the user wrote is checked.
    return [entry for entry in setting_entries(ctx.config, key) if not entry.migrated_from]


def _at(ctx: LintContext, entry: ConditionalValue, message: str) -> Problem:
    span = entry.span
    path = ctx.config_path
    fallback = ctx.show(path) if path is not None else None
    if span is None:
        return Problem(message, 0, 0, fallback)
    return Problem(message, span.line, span.column, span.path or fallback)


def _names(values: Sequence[str] | frozenset[str]) -> str:
    return ", ".join(sorted(values)) if values else "nothing"


@rule(
    "SMY808",
    "workflow-settings-os-mismatch",
    LINT,
    compat="CF-009",
    reads=[Input.CONFIG],
    conda_forge=True,
    fix="Make the entry's os list name exactly the systems of its platforms, or drop one.",
)
def os_mismatch(ctx: LintContext) -> Iterator[Problem]:
    """A ``workflow_settings`` entry names ``os`` values that its ``platform`` values disagree with.

    An entry applies only where both filters match, so ``os: [linux, osx]`` with
    ``platform: [linux_64]`` never reaches osx and ``os: win`` with ``platform: osx_arm64``
    reaches nothing. The two lists must describe the same systems.
    """
    for key in WORKFLOW_KEYS:
        for entry in _written(ctx, key):
            if entry.os is None or entry.platform is None:
                continue
            systems = frozenset(p.split("_", 1)[0] for p in entry.platform)
            if systems != frozenset(entry.os):
                message = (
                    f"workflow_settings.{key}: os lists {_names(entry.os)} but the platforms "
                    f"belong to {_names(systems)}"
                )
                yield _at(ctx, entry, message)


def _covered(entry: ConditionalValue) -> Iterator[Covered]:
    # An absent (or empty) filter is the wildcard "".
    return itertools.product(entry.os or ("",), entry.platform or ("",), entry.provider or ("",))


def overlapping_groups(entries: Sequence[ConditionalValue]) -> list[tuple[int, ...]]:
    """Return groups of entry indexes whose conditions overlap, as conda-smithy finds them.

    Each entry covers the (os, platform, provider) combinations its filters spell out, a
    missing filter standing for any. Entries overlap when one's combination equals
    another's with some conditions left out: ``provider: github_actions`` overlaps
    ``{os: win, provider: github_actions}``. Filters of different kinds (``os: linux`` and
    ``platform: linux_64``) are not compared with each other.
    """
    covered: dict[Covered, set[int]] = {}
    for index, entry in enumerate(entries):
        for combination in _covered(entry):
            covered.setdefault(combination, set()).add(index)
    groups: list[tuple[int, ...]] = []
    for os_name, platform, provider in covered:
        wider = itertools.product((os_name, ""), (platform, ""), (provider, ""))
        group = tuple(sorted({i for combination in wider for i in covered.get(combination, ())}))
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


@rule(
    "SMY809",
    "workflow-settings-overlap",
    LINT,
    compat="CF-010",
    reads=[Input.CONFIG],
    conda_forge=True,
    fix="Give each entry its own os/platform/provider so that one job matches one entry.",
)
def overlapping_entries(ctx: LintContext) -> Iterator[Problem]:
    """Two or more ``workflow_settings`` entries of one key can match the same job.

    The last matching entry wins, so overlapping entries make the value depend on their
    order. An entry overlaps another when its conditions repeat the other's plus more
    (``provider: github_actions`` and ``{os: win, provider: github_actions}``), or when
    both have the same conditions. As in conda-smithy, conditions of different kinds are
    not compared (``os: linux`` against ``platform: linux_64``). The finding points at the
    last entry of the group.
    """
    for key in WORKFLOW_KEYS:
        entries = _written(ctx, key)
        for group in overlapping_groups(entries):
            spans = [entries[index].span for index in group]
            lines = ", ".join(str(span.line) for span in spans if span is not None)
            message = f"workflow_settings.{key}: the entries on lines {lines} may match one job"
            yield _at(ctx, entries[group[-1]], message)


@rule(
    "SMY810",
    "workflow-settings-shared-path",
    LINT,
    compat="CF-011",
    reads=[Input.CONFIG],
    conda_forge=True,
    fix="Restrict each path entry to unix or to Windows with os or platform.",
)
def shared_path(ctx: LintContext) -> Iterator[Problem]:
    r"""A ``tools_install_dir`` or ``build_workspace_dir`` entry applies to unix and Windows.

    A folder such as ``C:\bld`` means nothing on linux and ``/opt/bld`` nothing on
    Windows, so each path entry must be limited to one kind of system with ``os`` (or
    ``platform``).
    """
    for key in _PATH_KEYS:
        for entry in _written(ctx, key):
            systems = applicable_os(entry)
            if systems & _UNIX and "win" in systems:
                message = (
                    f"workflow_settings.{key} path {entry.value!r} applies to "
                    f"{_names(systems)}; limit it to unix or to win"
                )
                yield _at(ctx, entry, message)


@rule(
    "SMY811",
    "workflow-settings-too-loose",
    LINT,
    compat="CF-012",
    reads=[Input.CONFIG],
    conda_forge=True,
    fix="Add os: win and provider: github_actions to the resize_partitions entry.",
)
def too_loose(ctx: LintContext) -> Iterator[Problem]:
    """A ``resize_partitions`` entry is not limited to Windows jobs on GitHub Actions.

    Resizing partitions is a step of GitHub Actions' Windows runners only; an entry must
    say so with ``os: win`` (or Windows platforms) and ``provider: github_actions``.
    """
    for key, (systems, providers) in _RESTRICTED.items():
        for entry in _written(ctx, key):
            loose = []
            if applicable_os(entry) != systems:
                loose.append(f"os to {_names(systems)}")
            if frozenset(entry.provider or ()) != providers:
                loose.append(f"provider to {_names(providers)}")
            if loose:
                message = f"workflow_settings.{key} entry must restrict {' and '.join(loose)}"
                yield _at(ctx, entry, message)


RULES = (os_mismatch, overlapping_entries, shared_path, too_loose)
