"""The dask.distributed executor: chunks of feedstocks as Dask tasks, on any cluster.

One Dask task costs a few messages and scheduler transitions (about 14 ms of CPU per task on
a small machine): as much as a small feedstock's whole check. So feedstocks travel in chunks
(``batch_size``): a chunk is one Dask task whose result is one record per feedstock, the same
records the local pool gives. Chunks stay small, so records still stream back, and a lost
worker costs Dask's retry of one chunk. A chunk that fails as a whole (its worker died under
it each time, or one feedstock ran overtime) hands its feedstocks back to run alone: the one
that kills its worker then fails on its own and the rest complete.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smithy.errors import SmithyError
from smithy.fleet.executors import Future, RunAlone, TaskFn, internal_error
from smithy.fleet.model import FleetTask, Record, Status

CHUNK = 16  # feedstocks per Dask task: 16 x a ~30 ms check spreads Dask's cost per task thin

# A fleet run is a batch job nobody watches live: a LocalCluster smithy starts skips the
# profiler and samples its monitors less often (8 ms less CPU per feedstock measured on 2 cores),
# and sends a worker one task at a time (a worker's death counts against every task it holds).
QUIET_LOCAL_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.worker-saturation": 1.0,
}

# The scheduler always serves HTTP (its health routes); ``dashboard_address=None`` still binds
# it to port 8787 and warns when another cluster holds that port. Any free loopback port, with
# the dashboard itself off, is what really turns it off.
NO_DASHBOARD: dict[str, Any] = {
    "dashboard_address": "127.0.0.1:0",
    "scheduler_kwargs": {"dashboard": False},
}

DASK_MISSING = (
    "--dask needs dask.distributed, which is not installed: pip install 'smithy-forge[fleet]'"
)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise SmithyError(DASK_MISSING) from None
    return distributed


def _local_workers(address: str) -> int | None:
    """``local`` -> 0 (one per CPU), ``local:N`` -> N; None for a scheduler address."""
    if address == "local":
        return 0
    if not address.startswith("local:"):
        return None
    count = address.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise SmithyError(f"--dask {address}: expected local or local:N with N >= 1")
    return int(count)


def _connect(address: str) -> tuple[Any, Any]:
    """The client, and the LocalCluster it runs on when ``address`` asks for one."""
    distributed = _distributed()
    workers = _local_workers(address)
    if workers is None:
        try:
            return distributed.Client(address, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise SmithyError(f"cannot reach the dask scheduler at {address}: {exc}") from None
    import dask

    with dask.config.set(QUIET_LOCAL_CLUSTER):
        cluster = distributed.LocalCluster(
            n_workers=workers or None,
            threads_per_worker=1,
            processes=True,
            silence_logs=logging.ERROR,
            **NO_DASHBOARD,
        )
    return distributed.Client(cluster), cluster


@dataclass(frozen=True, slots=True)
class _Chunk:
    source: Any  # the Dask future of the chunk's records
    targets: list[Future[Record]]  # one plain future per feedstock, in order


def _settle(targets: list[Future[Record]], source: Any) -> None:
    """Hand the chunk's records (or its failure) to the feedstocks' futures."""
    try:
        records = source.result()
    except BaseException as exc:  # the failure is the record: KilledWorker, CancelledError, ...
        for target in targets:
            if not target.done():
                target.set_exception(RunAlone() if len(targets) > 1 else exc)
        return
    for target, record in zip(targets, records, strict=True):
        if not target.done():
            target.set_result(record)


class DaskExecutor:
    """dask.distributed: chunks of feedstocks; Dask retries a chunk whose worker died."""

    enforces_timeout = False

    def __init__(self, address: str, *, chunk: int = CHUNK) -> None:
        self._client, self._cluster = _connect(address)
        from smithy.fleet import dask_plugin

        self._plugin = dask_plugin
        self._client.register_plugin(dask_plugin.WarmUp())
        if self._cluster is not None:
            self._client.register_plugin(dask_plugin.IgnoreInterrupts())
        self._client.subscribe_topic(dask_plugin.STARTED, self._on_start)
        self.batch_size = chunk
        self._lock = threading.Lock()  # Dask calls back from its own threads
        self._chunks: dict[str, _Chunk] = {}
        self._place: dict[Future[Record], tuple[str, int]] = {}
        self._starts: dict[str, tuple[int, float, str]] = {}  # key -> index, time, worker
        self._keys = itertools.count()
        self.threads = max(1, int(sum(self._client.nthreads().values())))

    def slots(self, timeout: float | None) -> int:
        """Two chunks per worker thread: the next one is queued when a worker finishes.

        Dask counts a worker's death against every task the worker holds, so a queued chunk
        can be failed by its neighbour's crash; its feedstocks then run alone (``RunAlone``).
        A LocalCluster smithy starts keeps the queued chunk at the scheduler until a worker
        is free (``worker-saturation`` 1.0), so there no neighbour is ever hit.
        """
        return 2 * self.threads

    def submit(
        self, fn: TaskFn, tasks: Sequence[FleetTask], timeout: float | None
    ) -> list[Future[Record]]:
        """Submit the tasks as one chunk and mirror each record in a plain future."""
        targets: list[Future[Record]] = [Future() for _ in tasks]
        for target in targets:
            target.set_running_or_notify_cancel()
        key = f"fleet-{tasks[0].name}-{len(tasks)}-{next(self._keys)}"
        announce = timeout is not None
        run = self._plugin.run_chunk
        source = self._client.submit(run, fn, list(tasks), key, announce, pure=False, key=key)
        with self._lock:
            self._chunks[key] = _Chunk(source, targets)
            self._place.update((target, (key, index)) for index, target in enumerate(targets))
        source.add_done_callback(lambda done: self._finished(key, done))
        return targets

    def _forget(self, key: str) -> _Chunk | None:
        # Only chunks in flight stay mapped: memory stays flat.
        with self._lock:
            chunk = self._chunks.pop(key, None)
            self._starts.pop(key, None)
            for target in chunk.targets if chunk is not None else ():
                self._place.pop(target, None)
        return chunk

    def _finished(self, key: str, source: Any) -> None:
        chunk = self._forget(key)
        if chunk is not None:  # else abandoned: its feedstocks are already handed back
            _settle(chunk.targets, source)

    def _on_start(self, event: tuple[float, Any]) -> None:
        key, index, worker = event[1]
        with self._lock:
            if key in self._chunks:
                self._starts[key] = (index, time.monotonic(), worker)

    def started(self, future: Future[Record]) -> float | None:
        """When the feedstock's start event arrived; None unless it is running now."""
        with self._lock:
            place = self._place.get(future)
            start = None if place is None else self._starts.get(place[0])
        if place is None or start is None or start[0] != place[1]:
            return None
        return start[1]

    def failure(self, exc: BaseException, timeout: float | None) -> tuple[Status, str]:
        """A ``KilledWorker`` means the feedstock killed each worker that tried it."""
        if type(exc).__name__ == "KilledWorker":
            return "failed", "its worker process died each time dask tried it"
        return "failed", internal_error(exc)

    def abandon(self, future: Future[Record]) -> bool:
        """Stop the chunk of an overdue feedstock: restart its worker, hand the others back.

        A worker that died under the chunk sent no more start events: the chunk then waits
        for Dask to retry it elsewhere, and its clock is stopped instead (False).
        """
        with self._lock:
            place = self._place.get(future)
            start = None if place is None else self._starts.get(place[0])
        if place is None or start is None:
            return False
        key, worker = place[0], start[2]
        if key not in self._client.processing().get(worker, ()):  # else: that worker died
            with self._lock:
                if self._starts.get(key) == start:
                    del self._starts[key]
            return False
        chunk = self._forget(key)
        if chunk is None:
            return False
        for target in chunk.targets:
            if target is not future and not target.done():
                target.set_exception(RunAlone())
        self._client.cancel(chunk.source)
        # A thread cannot be stopped: its worker process is replaced.
        self._client.restart_workers([worker], raise_for_error=False)
        return True

    def close(self, *, wait: bool) -> None:
        """Cancel what is left, then close the client and a local cluster."""
        if not wait:
            with self._lock:
                sources = [chunk.source for chunk in self._chunks.values()]
            self._client.cancel(sources)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
