"""Migrations, done as the bot does them: state, order, apply, close; and solvability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.api.recipes import variants
from smithy.bot.model import ApplyResult as ApplyResult
from smithy.bot.model import Channels as Channels
from smithy.bot.model import JobResult as JobResult
from smithy.bot.model import MigrationContext as MigrationContext
from smithy.bot.model import Outcome as Outcome
from smithy.bot.solvable import check_matrix

if TYPE_CHECKING:
    from smithy.bot.close import ClosePlan
    from smithy.bot.explain import MigrationWhy
    from smithy.bot.order import NextReport


def migration_context(
    name: str,
    inputs: Sequence[Path],
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
    channels: Channels | None = None,
) -> MigrationContext:
    """Migration ``name`` of the pinning over the feedstocks ``inputs`` names.

    The use cases take the result: ``migration_next``, ``migration_why``, ``migration_apply``,
    ``migration_close``; its ``status`` is every feedstock's state. With ``channels``, ready
    feedstocks whose migrated jobs do not solve are not-solvable.

    Raises:
        SmithyError: a bad migration file, one the pinning does not know, unreadable inputs.
    """
    from smithy.bot.context import load_context

    env = environ or {}
    return load_context(
        name, inputs, pinning=pinning, environ=env, cache_dir=cache_dir, channels=channels
    )


def solvable(
    feedstock_dir: Path,
    channels: Channels,
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    jobs: Sequence[str] = (),
) -> tuple[JobResult, ...]:
    """Solve each CI job's (or each of ``jobs``') build, host and run environments.

    Raises:
        SmithyError: bad input, or a job the feedstock does not have.
    """
    _, matrix = variants(feedstock_dir, pinning=pinning, environ=environ)
    return check_matrix(matrix, channels, jobs=jobs, where=feedstock_dir)


def migration_next(context: MigrationContext) -> NextReport:
    """The feedstocks eligible now, those waiting (on which parents), in progress, done."""
    from smithy.bot.order import next_report

    return next_report(context.status)


def migration_why(context: MigrationContext, name: str) -> MigrationWhy:
    """Why feedstock ``name`` is in its state: membership, parents' states, children.

    Raises:
        SmithyError: the graph has no feedstock ``name``.
    """
    from smithy.bot.explain import explain

    return explain(context.graph, context.status, context.migration, name)


def migration_apply(
    context: MigrationContext,
    feedstocks: Sequence[Path],
    *,
    dry_run: bool = False,
    force: bool = False,
    channels: Channels | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[ApplyResult]:
    """Apply the migration to each feedstock, as the bot's pull request would.

    Each feedstock gets a commit on the migration branch (none with ``dry_run``); one whose
    parents are pending is left waiting unless ``force``; with ``channels``, one whose migrated
    jobs do not solve is refused.

    Raises:
        SmithyError: a feedstock outside the graph (checked before any is touched), or bad
            input in one (those before it keep their commits).
    """
    from smithy.bot.context import apply_each

    return apply_each(
        context, feedstocks, dry_run=dry_run, force=force, channels=channels, environ=environ
    )


def migration_close(context: MigrationContext, *, dry_run: bool = False) -> ClosePlan:
    """Fold the finished migration into the pinning and delete its file (not with ``dry_run``).

    Raises:
        SmithyError: feedstocks not done (named), or a migration that cannot be folded.
    """
    from smithy.bot.close import plan_close, write_close

    plan = plan_close(context.migration, context.pinning.cbc, context.status)
    if not dry_run:
        write_close(plan)
    return plan
