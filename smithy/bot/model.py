"""Small values shared by the bot's steps and the front door (cheap to import)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from smithy.bot.apply import ApplyResult
    from smithy.bot.close import ClosePlan
    from smithy.bot.explain import MigrationWhy
    from smithy.bot.migration import BotMigration
    from smithy.bot.order import NextReport
    from smithy.graph.feedstock_graph import FeedstockGraph
    from smithy.graph.migration.status import MigrationStatus
    from smithy.pinning.model import PinningSource


class Outcome(StrEnum):
    """What happened to one feedstock."""

    applied = "applied"  # committed on the migration branch
    planned = "planned"  # dry run: would be committed
    untouched = "untouched"  # no CI job changes: left alone
    done = "done"  # already migrated
    waiting = "waiting"  # parents not done, no --force
    not_solvable = "not-solvable"  # --require-solvable and a migrated job does not solve


@dataclass(frozen=True, slots=True)
class Channels:
    """Where packages come from, and how repodata is fetched.

    Attributes:
        sources: channel URLs, names or local folders, in priority order.
        cache_dir: rattler's repodata cache folder.
        offline: use only what the cache holds (local ``file://`` channels still read).
    """

    sources: tuple[str, ...]
    cache_dir: Path
    offline: bool = False


@dataclass(frozen=True, slots=True)
class MigrationContext:
    """A migration, the pinning that knows it, and the feedstock graph it runs over.

    Its methods are the migration use cases (modules imported on use: this one stays cheap).

    Attributes:
        migration: the migration file as the bot reads it.
        pinning: the pinning (its migrations folder holds the file).
        graph: the feedstock graph.
        status: every feedstock's state, as the bot decides it.
    """

    migration: BotMigration
    pinning: PinningSource
    graph: FeedstockGraph
    status: MigrationStatus

    def next(self) -> NextReport:
        """The feedstocks eligible now, those waiting (on which parents), in progress, done."""
        from smithy.bot.order import next_report

        return next_report(self.status)

    def why(self, name: str) -> MigrationWhy:
        """Why feedstock ``name`` is in its state: membership, parents' states, children.

        Raises:
            SmithyError: the graph has no feedstock ``name``.
        """
        from smithy.bot.explain import explain

        return explain(self.graph, self.status, self.migration, name)

    def apply(
        self,
        feedstocks: Sequence[Path],
        *,
        dry_run: bool = False,
        force: bool = False,
        channels: Channels | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> list[ApplyResult]:
        """Apply the migration to each feedstock (see :func:`smithy.bot.apply.apply_migration`).

        Raises:
            SmithyError: a feedstock outside the graph, or bad input in one.
        """
        from smithy.bot.context import apply_each

        return apply_each(
            self, feedstocks, dry_run=dry_run, force=force, channels=channels, environ=environ
        )

    def close(self, *, dry_run: bool = False) -> ClosePlan:
        """Fold the finished migration into the pinning and delete its file.

        Raises:
            SmithyError: feedstocks not done (named), or a migration that cannot be folded.
        """
        from smithy.bot.close import plan_close, write_close

        plan = plan_close(self.migration, self.pinning.cbc, self.status)
        if not dry_run:
            write_close(plan)
        return plan
