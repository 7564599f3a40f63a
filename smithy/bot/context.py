"""A migration over a set of feedstocks: load it once, then apply feedstock by feedstock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from smithy.bot.apply import apply_migration
from smithy.bot.migration import find_migration, load_migration
from smithy.bot.model import ApplyResult, Channels, MigrationContext, Outcome
from smithy.bot.order import bot_status, parents_and_children
from smithy.errors import SmithyError, Span
from smithy.graph.inputs import graph_input
from smithy.graph.migration.status import Status
from smithy.pinning.source import resolve_pinning


def load_context(
    name: str,
    inputs: Sequence[Path],
    *,
    pinning: str | None,
    environ: Mapping[str, str],
    cache_dir: Path | None,
    channels: Channels | None = None,
) -> MigrationContext:
    """Read migration ``name`` (known to the pinning) and the feedstock graph of ``inputs``.

    With ``channels``, each ready feedstock's migrated jobs are solved there first, and those
    that do not solve are ``not-solvable`` (as the bot's pre-PR check records them).

    Raises:
        SmithyError: a bad or unknown migration file, or unreadable inputs.
    """
    source = resolve_pinning(pinning, environ)
    migration = load_migration(find_migration(name, source.migrations_dir))
    loaded = graph_input(inputs, pinning=pinning, environ=environ, cache_dir=cache_dir)
    status = bot_status(loaded.graph, migration)
    if channels is not None:
        context = MigrationContext(migration, source, loaded.graph, status)
        unsolvable = _unsolvable(context, channels, environ)
        status = bot_status(loaded.graph, migration, unsolvable=unsolvable)
    return MigrationContext(migration, source, loaded.graph, status)


def _unsolvable(
    context: MigrationContext, channels: Channels, environ: Mapping[str, str]
) -> dict[str, str]:
    """Ready feedstock -> the first solver verdict against it (only the unsolvable ones)."""
    found: dict[str, str] = {}
    for name in context.status.names(Status.ready):
        folder = Path(context.graph.records[name].path)
        result = apply_migration(
            folder,
            context.migration,
            context.pinning,
            mode="dry-run",
            channels=channels,
            environ=environ,
        )
        if result.outcome is Outcome.not_solvable:
            job = next(job for job in result.solvability if not job.solvable)
            env = next(env for env in job.envs if not env.solvable)
            found[name] = f"{job.job} {env.env}: {env.reason.splitlines()[0] if env.reason else ''}"
    return found


def apply_each(
    context: MigrationContext,
    feedstocks: Sequence[Path],
    *,
    dry_run: bool,
    force: bool,
    channels: Channels | None,
    environ: Mapping[str, str] | None,
) -> list[ApplyResult]:
    """Apply the migration to each feedstock, with its pending parents and children.

    Raises:
        SmithyError: a feedstock outside the context's graph (checked before any is touched),
            or bad input in one (those before it keep their commits: each stands alone).
    """
    by_path = {Path(r.path).resolve(): n for n, r in context.graph.records.items()}
    names = []
    for folder in feedstocks:
        name = by_path.get(folder.resolve())
        if name is None:
            raise SmithyError(
                "not among the feedstocks the migration is ordered over", Span(str(folder))
            )
        names.append(name)
    results = []
    for folder, name in zip(feedstocks, names, strict=True):
        entry = context.status.entry(name)
        _, children = parents_and_children(context.status, name)
        results.append(
            apply_migration(
                folder,
                context.migration,
                context.pinning,
                mode="dry-run" if dry_run else "write",
                pending_parents=entry.blocking if entry is not None else (),
                children=children,
                force=force,
                channels=channels,
                environ=environ,
            )
        )
    return results
