"""Where a migration stands as the bot decides it, and which feedstocks may go next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smithy.bot.migration import BotMigration
from smithy.bot.progress import is_done, is_in_progress
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.migration.status import MigrationStatus, Status, migration_status


def bot_status(
    graph: FeedstockGraph,
    migration: BotMigration,
    *,
    unsolvable: Mapping[str, str] | None = None,
) -> MigrationStatus:
    """Every feedstock's state, as the bot decides it.

    Done by the bot's uid (or conda-forge.yml for architecture migrations), in progress when
    the migration branch exists, else ready or waiting.
    """
    done: set[str] = set()
    in_progress: set[str] = set()
    for name, record in graph.records.items():
        if record.error:
            continue
        folder = Path(record.path)
        if is_done(folder, migration):
            done.add(name)
        elif is_in_progress(folder, migration):
            in_progress.add(name)
    return migration_status(
        graph, migration.raw, done=done, in_progress=in_progress, unsolvable=unsolvable
    )


@dataclass(frozen=True, slots=True)
class NextReport:
    """Which feedstocks a migration may be applied to now.

    Attributes:
        migration: the migration's name.
        eligible: ready members, in build order (the current wave).
        waiting: members awaiting parents -> the parents not done.
        in_progress: members with the migration branch open.
        not_solvable: ready members whose migrated jobs do not solve -> the solver's reason.
        done: members done.
        waves: members not done, by the wave they become eligible in.
    """

    migration: str
    eligible: tuple[str, ...]
    waiting: Mapping[str, tuple[str, ...]]
    in_progress: tuple[str, ...]
    not_solvable: Mapping[str, str]
    done: tuple[str, ...]
    waves: tuple[tuple[str, ...], ...]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data (``eligible``, ``waiting``, ``done`` as ``migration next`` prints)."""
        return {
            "migration": self.migration,
            "eligible": list(self.eligible),
            "waiting": {name: list(parents) for name, parents in self.waiting.items()},
            "in_progress": list(self.in_progress),
            "not_solvable": dict(self.not_solvable),
            "done": list(self.done),
            "waves": [list(wave) for wave in self.waves],
        }


def next_report(status: MigrationStatus) -> NextReport:
    """The ``migration next`` view of a status."""
    return NextReport(
        migration=status.name,
        eligible=status.names(Status.ready),
        waiting={
            e.name: e.blocking for e in status.feedstocks if e.status is Status.awaiting_parents
        },
        in_progress=status.names(Status.in_progress),
        not_solvable={
            e.name: e.reason for e in status.feedstocks if e.status is Status.not_solvable
        },
        done=status.names(Status.done),
        waves=status.waves,
    )


def parents_and_children(
    status: MigrationStatus, name: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``name``'s parents and children in the migration graph, sorted."""
    parents = sorted(a for a, b in status.edges if b == name)
    children = sorted(b for a, b in status.edges if a == name)
    return tuple(parents), tuple(children)
