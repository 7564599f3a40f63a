"""The bot's values: what its steps take and return (data only, cheap to import).

The steps import this module; it imports none of them, so the bot has no import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

    from smithy.bot.migration import BotMigration
    from smithy.graph.feedstock_graph import FeedstockGraph
    from smithy.graph.migration.status import MigrationStatus
    from smithy.pinning.model import PinningSource
    from smithy.rerender.writer import FileChange


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

    Data only: the use cases over it (next, why, apply, close) are functions of
    ``smithy.api`` (``migration_next``, ``migration_why``, ``migration_apply``,
    ``migration_close``).

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


@dataclass(frozen=True, slots=True)
class EnvResult:
    """One environment of one job.

    Attributes:
        env: ``build``, ``host`` or ``run``.
        platform: the subdir it is solved for.
        specs: the requested specs.
        solvable: whether the solver found a solution.
        reason: the solver's explanation when not.
    """

    env: str
    platform: str
    specs: tuple[str, ...]
    solvable: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class JobResult:
    """Solvability of one CI job.

    Attributes:
        job: the job (``.ci_support`` file stem).
        platform: its target platform.
        virtual: virtual packages assumed on its target platform (name -> version).
        envs: each non-empty environment's result.
    """

    job: str
    platform: str
    virtual: Mapping[str, str]
    envs: tuple[EnvResult, ...]

    @property
    def solvable(self) -> bool:
        """Whether every environment solved."""
        return all(env.solvable for env in self.envs)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "job": self.job,
            "platform": self.platform,
            "solvable": self.solvable,
            "virtual_packages": dict(self.virtual),
            "environments": [
                {
                    "env": env.env,
                    "platform": env.platform,
                    "specs": list(env.specs),
                    "solvable": env.solvable,
                    "reason": env.reason,
                }
                for env in self.envs
            ],
        }


ApplyMode = Literal["write", "dry-run"]


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """One feedstock's migration.

    Attributes:
        feedstock: the feedstock folder.
        outcome: what happened.
        branch: the migration branch (created only for ``applied``).
        commit: the commit id on it (``applied`` only).
        changes: file changes the migration makes (relative paths), sorted.
        jobs_before: CI job names before the migration.
        jobs_after: CI job names after it.
        changed_jobs: jobs whose variant file changes (or appear / disappear).
        pending_parents: parents in the migration graph not done yet.
        solvability: solver verdicts for changed jobs (when channels were given).
        pr_body: the PR description.
        pr_body_path: where it was written (``applied`` only).
        build_number: (old, new) build number, None when not bumped.
    """

    feedstock: Path
    outcome: Outcome
    branch: str
    commit: str | None = None
    changes: tuple[FileChange, ...] = ()
    jobs_before: tuple[str, ...] = ()
    jobs_after: tuple[str, ...] = ()
    changed_jobs: tuple[str, ...] = ()
    pending_parents: tuple[str, ...] = ()
    solvability: tuple[JobResult, ...] = ()
    pr_body: str = ""
    pr_body_path: Path | None = None
    build_number: tuple[int, int] | None = None
