"""Migrations, done as the bot does them: state, order, apply, close; and solvability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from smithy.api.recipes import variants
from smithy.bot.model import Channels as Channels
from smithy.bot.model import MigrationContext as MigrationContext
from smithy.bot.model import Outcome as Outcome
from smithy.bot.solvable import JobResult as JobResult
from smithy.bot.solvable import check_matrix


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

    The result's methods are the use cases: ``next()``, ``why(name)``, ``apply(...)``,
    ``close()``; its ``status`` is every feedstock's state. With ``channels``, ready feedstocks
    whose migrated jobs do not solve are not-solvable.

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
