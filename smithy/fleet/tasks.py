"""The per-feedstock tasks: pure functions from a ``FleetTask`` to a JSON-ready record.

Each runs in a worker process (local pool or dask); it never prints and never raises: every
failure becomes a ``failed`` record with the error text (``file:line: error: ...``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smithy.atomic.session import feedstock_session
from smithy.errors import SmithyError, Span
from smithy.fleet.bot_tasks import bump_task, migrate_task
from smithy.fleet.drift import drift_report, drift_size
from smithy.fleet.model import FleetTask, Operation, Record, Status, failure_record, new_record
from smithy.fleet.writes import rerender_changes
from smithy.graph.discover import platforms_for
from smithy.graph.model import feedstock_name_of
from smithy.graph.parse import parse_feedstock, record_from_renders
from smithy.matrix.render import FeedstockMatrix

Outcome = tuple[Status, dict[str, Any]]


def _recipe_file(root: Path, matrix: FeedstockMatrix) -> tuple[str, str]:
    for platform in matrix.platforms:
        for render in platform.rendered.renders:
            return render.raw.path.relative_to(root.resolve()).as_posix(), render.raw.format.value
    return "", ""


def _graph_of(task: FleetTask, root: Path, matrix: FeedstockMatrix) -> dict[str, Any]:
    recipe, fmt = _recipe_file(root, matrix)
    name = feedstock_name_of(task.name)
    return record_from_renders(name, root, matrix.platforms, recipe=recipe, fmt=fmt).to_json()


def _rerender(task: FleetTask, *, write: bool) -> Outcome:
    root = Path(task.path)
    # Writing holds the lock, as smithy rerender does: no other smithy run meanwhile.
    with feedstock_session(root) if write else contextlib.nullcontext():
        matrix, changes = rerender_changes(root, task.pinning, write=write)
    drift = drift_report(changes)
    body: dict[str, Any] = {"drift": drift}
    if task.with_graph:
        body["graph"] = _graph_of(task, root, matrix)
    return ("changed" if drift_size(drift) else "ok"), body


def _check(task: FleetTask) -> Outcome:
    return _rerender(task, write=False)


def _write(task: FleetTask) -> Outcome:
    return _rerender(task, write=True)


def _relative(path: str, root: str) -> str:
    # Finding paths are relative to the worker's working folder; records must not depend on it.
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def _lint(task: FleetTask) -> Outcome:
    from smithy.lint.context import LintOptions
    from smithy.lint.engine import INPUT_CODES, lint_paths

    options = LintOptions(conda_forge=task.conda_forge, pinning=str(task.pinning.path))
    result = lint_paths([Path(task.path)], options=options)
    findings = []
    for finding in result.findings:
        data = finding.as_dict()
        data["path"] = _relative(finding.path, task.path)
        findings.append(data)
    unreadable = [f for f in findings if f["code"] in INPUT_CODES]
    if unreadable:
        first = unreadable[0]
        raise SmithyError(first["message"], Span(first["path"], first["line"], first["column"]))
    return ("changed" if findings else "ok"), {"findings": findings}


def _graph(task: FleetTask) -> Outcome:
    root = Path(task.path)
    record = parse_feedstock(
        feedstock_name_of(task.name),
        root,
        platforms=platforms_for(root, ()),
        pinning=str(task.pinning.path),
        environ={},
    )
    if record.error is not None:
        raise SmithyError(record.error)
    return "ok", {"graph": record.to_json()}


_OPERATIONS: dict[Operation, Callable[[FleetTask], Outcome]] = {
    "check": _check,
    "rerender": _write,
    "lint": _lint,
    "graph": _graph,
    "bump": bump_task,
    "migrate": migrate_task,
}


def _error_text(exc: SmithyError, task: FleetTask) -> str:
    """The one-line error, its path relative to the feedstock (not to the worker's folder)."""
    span = exc.span
    if span is None or not span.path:
        return str(exc)
    where = Span(_relative(span.path, task.path), span.line, span.column)
    return str(SmithyError(exc.message, where))


def run_task(task: FleetTask) -> Record:
    """Do ``task.operation`` on one feedstock and return its record; never raises."""
    start = time.perf_counter()
    try:
        status, body = _OPERATIONS[task.operation](task)
    except SmithyError as exc:
        return failure_record(task, "failed", _error_text(exc, task), time.perf_counter() - start)
    except Exception as exc:  # one feedstock's bug must not stop 30,000 others
        error = f"internal error: {type(exc).__name__}: {exc}"
        return failure_record(task, "failed", error, time.perf_counter() - start)
    record = new_record(task, status, time.perf_counter() - start)
    record.update(body)
    return record
