"""``migration status --why NAME``: why one feedstock is in its state, in plain facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smithy.bot.migration import BotMigration
from smithy.bot.order import parents_and_children
from smithy.bot.progress import is_done, is_in_progress
from smithy.errors import SmithyError
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.migration.status import MigrationStatus, Status


@dataclass(frozen=True, slots=True)
class MigrationWhy:
    """The facts behind one feedstock's state.

    Attributes:
        name: the feedstock.
        status: its state.
        reasons: one sentence per fact, in the order the bot checks them.
        parents: parent -> its state (parents in the migration graph).
        children: children in the migration graph.
    """

    name: str
    status: Status
    reasons: tuple[str, ...]
    parents: dict[str, str]
    children: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "name": self.name,
            "status": self.status.value,
            "reasons": list(self.reasons),
            "parents": dict(self.parents),
            "children": list(self.children),
        }


def _done_rule(migration: BotMigration) -> str:
    if migration.is_architecture:
        keys = ", ".join(sorted(migration.patches))
        return f"an architecture migration is done when conda-forge.yml sets {keys}"
    return (
        f"done means .ci_support/migrations/{migration.name}.yaml has migrator_ts "
        f"{migration.timestamp} and migration_number {migration.number}"
    )


def _parents_fact(
    blocking: tuple[str, ...], parents: tuple[str, ...], states: dict[str, str]
) -> str:
    if blocking:
        return "waits for " + ", ".join(blocking) + " (not done)"
    pending = [p for p in parents if states.get(p) != Status.done.value]
    if pending:
        # The bot lets cycle members (and parents it was told to ignore) go first.
        return (
            "parents " + ", ".join(pending) + " are not done, but do not block (cycle or ignored)"
        )
    if parents:
        return "every parent is done"
    return "no parent in the migration: eligible from the first wave"


def explain(
    graph: FeedstockGraph, status: MigrationStatus, migration: BotMigration, name: str
) -> MigrationWhy:
    """Explain ``name``'s state.

    Raises:
        SmithyError: no such feedstock.
    """
    entry = status.entry(name)
    record = graph.records.get(name)
    if entry is None or record is None:
        raise SmithyError(f"no feedstock '{name}' among the inputs")
    states = {e.name: e.status.value for e in status.feedstocks}
    parents, children = parents_and_children(status, name)
    reasons: list[str] = []
    if entry.status in (Status.not_applicable, Status.error):
        reasons.append(f"not a member of {migration.name}: {entry.reason}")
    else:
        packages = ", ".join(status.packages) or "(none)"
        reasons.append(f"member of {migration.name}: it builds against {packages}")
        folder = Path(record.path)
        verdict = "yes" if is_done(folder, migration) else "no"
        reasons.append(f"{_done_rule(migration)}: {verdict}")
        branch = "exists" if is_in_progress(folder, migration) else "does not exist"
        reasons.append(f"branch {migration.branch} {branch}")
        reasons.append(_parents_fact(entry.blocking, parents, states))
        if entry.reason:
            reasons.append(entry.reason)
    return MigrationWhy(
        name, entry.status, tuple(reasons), {p: states.get(p, "?") for p in parents}, children
    )
