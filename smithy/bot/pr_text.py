"""The commit message and PR description of a migration, in the bot's layout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from smithy.bot.migration import BotMigration

if TYPE_CHECKING:
    from smithy.bot.model import ApplyResult

# The bot lists this many children in its PR body.
CHILDREN_SHOWN = 5


def commit_message(migration: BotMigration, result: ApplyResult) -> str:
    """The migration's commit message, then what was done and the migration's identity."""
    lines = [migration.commit_message.strip(), ""]
    if result.build_number is not None:
        old, new = result.build_number
        lines.append(f"Build number {old} -> {new}; re-rendered with smithy.")
    else:
        lines.append("Re-rendered with smithy.")
    lines.append(
        f"Migration: {migration.name} (migrator_ts {migration.timestamp}, "
        f"migration_number {migration.number})"
    )
    return "\n".join(lines) + "\n"


def _job_lines(result: ApplyResult) -> list[str]:
    before, after = set(result.jobs_before), set(result.jobs_after)
    lines = []
    for name in sorted(before | after):
        if name not in after:
            mark = "removed"
        elif name not in before:
            mark = "added"
        elif name in result.changed_jobs:
            mark = "changed"
        else:
            mark = "unchanged"
        lines.append(f"| `{name}` | {mark} |")
    return lines


def pr_body(migration: BotMigration, result: ApplyResult, children: Sequence[str]) -> str:
    """What the PR changes, its CI jobs before and after, and who waits on it."""
    title, _, details = migration.commit_message.strip().partition("\n")
    keys = ", ".join(f"`{key}`" for key in migration.raw.variant_keys) or "(none)"
    lines = [
        f"# {title}",
        "",
        f"This PR applies the pinning migration `{migration.name}` "
        f"(migrator_ts {migration.timestamp}, migration_number {migration.number}): "
        f"it moves {keys}.",
        "",
        "## What changes",
        "",
        f"- `.ci_support/migrations/{migration.name}.yaml` is added.",
    ]
    if migration.patches:
        lines.append("- conda-forge.yml: " + ", ".join(f"`{k}`" for k in sorted(migration.patches)))
    if result.build_number is not None:
        old, new = result.build_number
        lines.append(f"- The build number goes from {old} to {new}.")
    lines.append(f"- The feedstock is re-rendered ({len(result.changes)} files change).")
    if details.strip():
        lines += ["", "More details:", "", *(f"> {line}" for line in details.strip().splitlines())]
    lines += [
        "",
        f"## CI jobs ({len(result.jobs_before)} before, {len(result.jobs_after)} after)",
        "",
        "| job | |",
        "| --- | --- |",
        *_job_lines(result),
        "",
        "## Waiting on this feedstock",
        "",
    ]
    shown = list(children[:CHILDREN_SHOWN])
    lines += [f"- {child}" for child in shown] or ["- nothing in this migration"]
    if len(children) > CHILDREN_SHOWN:
        lines.append(f"- and {len(children) - CHILDREN_SHOWN} more")
    lines += [
        "",
        "Merge when CI is green. Leave it open if the feedstock is not compatible yet; "
        "close it if it never will be: a closed PR counts as done for the migration.",
    ]
    return "\n".join(lines) + "\n"
