"""Values a fleet run passes around: one task per feedstock and its JSON-ready record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from smithy.pinning.model import PinningSource

if TYPE_CHECKING:
    from smithy.bump.check import LookupOptions

Operation = Literal["check", "rerender", "lint", "graph", "bump", "migrate"]
OPERATIONS: tuple[Operation, ...] = ("check", "rerender", "lint", "graph", "bump", "migrate")

Status = Literal["ok", "changed", "failed", "timeout"]
# ok: nothing to change; changed: drift, files written or findings; failed/timeout: no result.
STATUSES: tuple[Status, ...] = ("ok", "changed", "failed", "timeout")
DONE_STATUSES = frozenset({"ok", "changed"})
CHECKED_AT = "checked_at"  # a bump record's upstream lookup time (UTC, ISO 8601)

# A record is plain JSON data so that any executor can carry it between processes/machines.
Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class BumpSettings:
    """``fleet bump``: how to look for new versions and what to do with one.

    Attributes:
        lookup: service addresses, HTTP settings (with the GitHub token, never recorded).
        write: bump the recipe (and rerender); False for ``--check``.
        commit: commit the bump on a new branch, as the bot names it.
        recheck_after: with ``--resume``, seconds after which an earlier upstream lookup is
            stale (upstream may have released since) and the feedstock is looked up again,
            even though its recipe is unchanged.
    """

    lookup: LookupOptions
    write: bool = False
    commit: bool = False
    recheck_after: float = 3600.0


@dataclass(frozen=True, slots=True)
class MigrateSettings:
    """``fleet migrate``: the pinning's migration file, and whether to commit.

    Attributes:
        migration: the migration file in the pinning's migrations folder.
        dry_run: compute the changes only; commit nothing.
    """

    migration: Path
    dry_run: bool = False


def changes_feedstocks(
    operation: Operation, bump: BumpSettings | None, migrate: MigrateSettings | None
) -> bool:
    """Whether the operation writes to feedstocks (a batch holding such a task is never retried)."""
    if operation == "bump":
        return bump is not None and bump.write
    if operation == "migrate":
        return migrate is not None and not migrate.dry_run
    return operation == "rerender"


@dataclass(frozen=True, slots=True)
class FleetTask:
    """One feedstock's work: everything a worker needs, nothing it must look up.

    Attributes:
        name: the feedstock folder name (``zlib-feedstock``); records are keyed by it.
        path: the feedstock folder, absolute.
        operation: what to do with it.
        pinning: the global pinning, resolved once by the coordinator.
        input_hash: content hash of recipe folder, conda-forge.yml and pinning (for resume).
        with_graph: a ``check`` also returns the feedstock's graph record from the same renders.
        conda_forge: ``lint`` also runs conda-forge's own rules.
        bump: ``bump``'s settings.
        migrate: ``migrate``'s settings.
    """

    name: str
    path: str
    operation: Operation
    pinning: PinningSource
    input_hash: str
    with_graph: bool = False
    conda_forge: bool = False
    bump: BumpSettings | None = None
    migrate: MigrateSettings | None = None


def new_record(task: FleetTask, status: Status, seconds: float) -> Record:
    """The fields every record has; operations add theirs (``drift``, ``findings``, ``graph``)."""
    return {
        "name": task.name,
        "operation": task.operation,
        "status": status,
        "seconds": round(seconds, 3),
        "input_hash": task.input_hash,
        "error": None,
    }


def failure_record(task: FleetTask, status: Status, error: str, seconds: float) -> Record:
    """A record for a task that gave no result: it raised, hung or lost its worker."""
    record = new_record(task, status, seconds)
    record["error"] = error
    return record


def dump_record(record: Record) -> str:
    """One JSON Lines line (without newline); sorted keys so equal records give equal bytes."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
