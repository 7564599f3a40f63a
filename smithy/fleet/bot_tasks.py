"""The fleet's bot tasks: a version bump and a migration, each on one feedstock.

Like the other tasks they are pure functions of a ``FleetTask`` giving a status and the
record's body; ``tasks.run_task`` turns their errors into ``failed`` records. The writing
ones hold the feedstock's lock, as ``smithy bump`` and ``smithy rerender`` do.
"""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smithy.atomic.session import feedstock_session
from smithy.bot.apply import apply_migration
from smithy.bot.migration import BotMigration, load_migration
from smithy.bot.model import ApplyMode, ApplyResult, Outcome
from smithy.bot.progress import is_in_progress
from smithy.bot.repo import Repository, commit_bump
from smithy.bump.apply import bump
from smithy.bump.check import VersionCheck, check_version
from smithy.fleet.drift import drift_report
from smithy.fleet.model import CHECKED_AT, BumpSettings, FleetTask, Status
from smithy.fleet.writes import rerender_changes

TaskOutcome = tuple[Status, dict[str, Any]]


def _lookup(check: VersionCheck) -> dict[str, Any]:
    data = check.to_json()
    del data["feedstock"]  # the record's name says which; the path is the worker's
    data[CHECKED_AT] = datetime.now(UTC).isoformat(timespec="seconds")  # --resume: stale?
    return data


def _bump_written(task: FleetTask, root: Path, settings: BumpSettings) -> TaskOutcome:
    options = replace(settings.lookup, resolved_pinning=task.pinning)
    with feedstock_session(root):
        if settings.commit:  # a clean tree: an earlier run cut before its commit is reported
            Repository(root, os.environ).check_clean()
        report = bump(root, options)
        body = _lookup(report.check)
        if not report.written:
            return "ok", {"bump": body}
        _matrix, changes = rerender_changes(root, task.pinning, write=True)
        if settings.commit:
            body["branch"] = commit_bump(root, report, os.environ)
    body["version"] = report.target
    return "changed", {"bump": body, "drift": drift_report([report.change, *changes])}


def bump_task(task: FleetTask) -> TaskOutcome:
    """``fleet bump``: look up upstream's newest version; unless ``--check``, bump to it."""
    settings = task.bump
    if settings is None:  # the service always sets them
        raise ValueError("a bump task without its settings")
    root = Path(task.path)
    if settings.write:
        return _bump_written(task, root, settings)
    check = check_version(root, replace(settings.lookup, resolved_pinning=task.pinning))
    return ("changed" if check.outdated else "ok"), {"bump": _lookup(check)}


@functools.lru_cache(maxsize=4)
def _migration(path: Path) -> BotMigration:
    # Read (and linted) once per worker process, not once per feedstock.
    return load_migration(path)


def _migration_body(result: ApplyResult) -> dict[str, Any]:
    moved = result.outcome in {Outcome.applied, Outcome.planned}
    return {
        "outcome": result.outcome.value,
        "branch": result.branch if moved else None,
        "changed_jobs": list(result.changed_jobs),
        "build_number": list(result.build_number) if result.build_number else None,
    }


def migrate_task(task: FleetTask) -> TaskOutcome:
    """``fleet migrate``: apply the migration (commit on its branch, or ``--dry-run``)."""
    settings = task.migrate
    if settings is None:
        raise ValueError("a migrate task without its settings")
    root = Path(task.path)
    mode: ApplyMode = "dry-run" if settings.dry_run else "write"
    migration = _migration(settings.migration)
    if is_in_progress(root, migration):  # its branch is open: applied by an earlier run
        body = {"outcome": "in-progress", "branch": migration.branch}
        return "ok", {"migration": body, "drift": drift_report(())}
    with feedstock_session(root):
        result = apply_migration(root, migration, task.pinning, mode=mode, environ=os.environ)
    body = _migration_body(result)
    status: Status = "changed" if body["branch"] else "ok"
    return status, {"migration": body, "drift": drift_report(result.changes)}
