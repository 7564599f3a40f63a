"""Fleet use cases: run an operation over many feedstocks, summarise, merge, build the graph."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from smithy.atomic.single_file import replace_file
from smithy.errors import SmithyError
from smithy.fleet.dask_executor import DaskExecutor
from smithy.fleet.executors import FleetExecutor, PoolExecutor, TaskFn
from smithy.fleet.inputs import Shard, find_feedstocks, input_hash, pinning_hash
from smithy.fleet.model import (
    CHECKED_AT,
    BumpSettings,
    FleetTask,
    MigrateSettings,
    Operation,
    Record,
    changes_feedstocks,
)
from smithy.fleet.results import ResultsWriter, done_hashes, iter_lines, iter_records
from smithy.fleet.runner import run_tasks
from smithy.fleet.summary import Summary
from smithy.fleet.tasks import run_task
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.model import FeedstockRecord, feedstock_name_of
from smithy.graph.serialize import dumps_graph
from smithy.pinning.model import PinningSource
from smithy.pinning.source import resolve_pinning


@dataclass(frozen=True, slots=True)
class FleetRequest:
    """One ``smithy fleet OP`` run.

    Attributes:
        operation: check, rerender, lint or graph.
        inputs: feedstock folders, folders of feedstocks, or files listing them.
        output: the JSON Lines results file.
        pinning: ``--pinning`` value; None for the default search.
        environ: the process environment (pinning search only).
        jobs: local worker processes (ignored with ``dask``).
        dask: ``local``, ``local:N`` or a scheduler address; None for the local pool.
        shard: the shard of the feedstocks this run covers.
        timeout: seconds one feedstock may take; None for no limit.
        resume: earlier results: feedstocks done there with the same inputs are not redone.
        with_graph: ``check`` also returns graph records (one pass for both).
        conda_forge: ``lint`` also runs conda-forge's own rules.
        bump: ``bump``'s settings (lookup, ``--check`` or write, commit).
        migrate: ``migrate``'s settings (the migration file, dry run).
    """

    operation: Operation
    inputs: tuple[Path, ...]
    output: Path
    pinning: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict)
    jobs: int = 1
    dask: str | None = None
    shard: Shard = field(default_factory=Shard)
    timeout: float | None = None
    resume: Path | None = None
    with_graph: bool = False
    conda_forge: bool = False
    bump: BumpSettings | None = None
    migrate: MigrateSettings | None = None


@dataclass(frozen=True, slots=True)
class FleetReport:
    """What a run did.

    Attributes:
        output: the results file (sorted by name).
        summary: counts over every record in it (reused ones included).
        planned: feedstocks this run covers (after sharding).
        reused: records taken unchanged from ``--resume``.
        interrupted: Ctrl-C stopped the run; the results hold what finished.
    """

    output: Path
    summary: Summary
    planned: int
    reused: int
    interrupted: bool


def make_executor(request: FleetRequest) -> FleetExecutor:
    """The local pool, or dask when ``request.dask`` is set.

    Raises:
        SmithyError: dask is not installed or its scheduler cannot be reached.
    """
    if request.dask is not None:
        return DaskExecutor(request.dask)
    return PoolExecutor(request.jobs)


def _options(request: FleetRequest) -> list[str]:
    """What besides the inputs decides a record (resume redoes a feedstock when it differs)."""
    options = [f"graph={request.with_graph}", f"conda_forge={request.conda_forge}"]
    if request.bump is not None:
        lookup = request.bump.lookup
        options += [f"write={request.bump.write}", f"commit={request.bump.commit}"]
        options += [f"pre={lookup.include_pre}", f"endpoints={lookup.endpoints!r}"]
    if request.migrate is not None:
        options += [f"migration={request.migrate.migration}", f"dry_run={request.migrate.dry_run}"]
    return options


def _checked_migration(
    settings: MigrateSettings | None, pinning: PinningSource
) -> MigrateSettings | None:
    """The pinning's own copy of the migration, read once here: a bad file stops the run."""
    if settings is None:
        return None
    from smithy.bot.migration import find_migration, load_migration

    known = find_migration(str(settings.migration), pinning.migrations_dir)
    load_migration(known)
    return replace(settings, migration=known.resolve())


class _Plan:
    """Tasks to run, lazily; feedstocks whose earlier result still holds are copied instead."""

    def __init__(self, request: FleetRequest, writer: ResultsWriter, previous: Path | None):
        self.request = request
        self.writer = writer
        self.previous = previous
        self.done = done_hashes(previous) if previous is not None else {}
        self.pinning = resolve_pinning(request.pinning, request.environ)
        self.migrate = _checked_migration(request.migrate, self.pinning)
        self.pinning_digest = pinning_hash(self.pinning)
        self.paths = find_feedstocks(request.inputs, request.shard)
        self.reused = 0
        self.started = datetime.now(UTC)

    def tasks(self) -> Iterator[FleetTask]:
        for path in self.paths:
            digest = input_hash(
                path,
                operation=self.request.operation,
                pinning=self.pinning_digest,
                extra=_options(self.request),
            )
            if not self._reuse(path.name, digest):
                yield FleetTask(
                    name=path.name,
                    path=str(path),
                    operation=self.request.operation,
                    pinning=self.pinning,
                    input_hash=digest,
                    with_graph=self.request.with_graph,
                    conda_forge=self.request.conda_forge,
                    bump=self.request.bump,
                    migrate=self.migrate,
                )

    def _reuse(self, name: str, digest: str) -> bool:
        earlier = self.done.get(name)
        if self.previous is None or earlier is None or earlier[0] != digest:
            return False
        with self.previous.open("rb") as old:
            old.seek(earlier[1])
            line = old.readline()
        bump = self.request.bump
        if bump is not None and _lookup_age(line, self.started) > bump.recheck_after:
            return False  # upstream may have released since: look again
        self.writer.write_line(name, line)
        self.reused += 1
        return True


def _lookup_age(line: bytes, now: datetime) -> float:
    """Seconds since a bump record's upstream lookup; infinite when it does not say."""
    try:
        checked = json.loads(line)["bump"][CHECKED_AT]
        return (now - datetime.fromisoformat(checked)).total_seconds()
    except (ValueError, KeyError, TypeError):  # an older smithy's record, or none
        return math.inf


def _previous_copy(resume: Path, output: Path) -> tuple[Path, Path | None]:
    """Resume from a copy when results are written over the file being resumed."""
    if not resume.is_file():
        raise SmithyError(f"no such results file: {resume}")
    if resume.resolve() != output.resolve():
        return resume, None
    handle, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".old")
    os.close(handle)
    shutil.copyfile(resume, temp)
    return Path(temp), Path(temp)


def run_fleet(
    request: FleetRequest,
    *,
    on_record: Callable[[Record], None] | None = None,
    on_planned: Callable[[int], None] | None = None,
    executor: FleetExecutor | None = None,
    fn: TaskFn = run_task,
) -> FleetReport:
    """Run ``request.operation`` over every feedstock, streaming records to ``request.output``.

    Args:
        request: what to run and where results go.
        on_record: called with each new record as it ends (progress display).
        on_planned: called once with the number of feedstocks to run.
        executor: an executor to use instead of the one ``request`` names.
        fn: the task function (tests wrap :func:`run_task` to inject faults).

    Raises:
        SmithyError: bad inputs, pinning, shard, results file or executor.
    """
    previous, scratch = (None, None)
    if request.resume is not None:
        previous, scratch = _previous_copy(request.resume, request.output)
    try:
        writer = ResultsWriter(request.output)
        plan = _Plan(request, writer, previous)
        if on_planned is not None:
            on_planned(len(plan.paths))

        def emit(record: Record) -> None:
            writer.write(record)
            if on_record is not None:
                on_record(record)

        chosen = executor or make_executor(request)
        # A feedstock that writes travels alone: a retried batch never redoes a written one.
        writes = changes_feedstocks(request.operation, request.bump, request.migrate)
        batch = 1 if writes else None
        interrupted = run_tasks(
            plan.tasks(), chosen, emit=emit, timeout=request.timeout, fn=fn, batch=batch
        )
        writer.finish()
    finally:
        if scratch is not None:
            scratch.unlink(missing_ok=True)
    summary = summary_of([request.output])
    return FleetReport(request.output, summary, len(plan.paths), plan.reused, interrupted)


def summary_of(paths: Sequence[Path]) -> Summary:
    """The summary of one or more results files (streamed).

    Raises:
        SmithyError: a file cannot be read or holds something else.
    """
    summary = Summary()
    for record in iter_records(paths):
        summary.add(record)
    return summary


def graph_of(paths: Sequence[Path]) -> FeedstockGraph:
    """The cross-feedstock graph from the ``graph`` part of fleet records.

    Raises:
        SmithyError: no record carries a graph part (run ``fleet graph`` or ``check --graph``).
    """
    records: list[FeedstockRecord] = []
    for path in paths:
        for record, _offset, _number in iter_lines(path):
            data = record.get("graph")
            if isinstance(data, dict):
                records.append(FeedstockRecord.from_json(feedstock_name_of(record["name"]), data))
    if not records:
        raise SmithyError("no graph data in the results (run fleet graph or fleet check --graph)")
    return FeedstockGraph(records)


def write_graph(paths: Sequence[Path], target: Path) -> FeedstockGraph:
    """Write the graph of ``paths`` as ``graph.json`` (readable by ``smithy graph ...``)."""
    graph = graph_of(paths)
    try:
        replace_file(target, dumps_graph(graph).encode("utf-8"))
    except OSError as exc:
        raise SmithyError(f"cannot write {target}: {exc.strerror}") from None
    return graph
