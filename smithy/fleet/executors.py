"""Executors behind one ``concurrent.futures``-shaped interface: a local pool and dask.distributed.

Both take a task function and a ``FleetTask`` and give back a ``concurrent.futures.Future``
of its record, so the coordinator (``runner``) waits on either the same way. What differs is
how a hung task is stopped and how a dead worker shows up; each executor turns those into a
status and a reason.
"""

from __future__ import annotations

import concurrent.futures
import logging
import signal
import time
from collections.abc import Callable
from typing import Any, Protocol

import pebble

from smithy.errors import SmithyError
from smithy.fleet.model import FleetTask, Record, Status

TaskFn = Callable[[FleetTask], Record]
Future = concurrent.futures.Future

# A fleet run is a batch job nobody watches live: a LocalCluster smithy starts skips the
# profiler and samples its monitors less often (8 ms less CPU per feedstock measured on 2 cores).
_QUIET_LOCAL_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}

DASK_MISSING = (
    "--dask needs dask.distributed, which is not installed: pip install 'smithy-forge[fleet]'"
)


class FleetExecutor(Protocol):
    """What the coordinator needs from an executor."""

    enforces_timeout: bool  # True: the executor stops overdue tasks itself

    def slots(self, timeout: float | None) -> int:
        """How many tasks to keep submitted at once (bounded: results stream, memory stays flat)."""

    def submit(self, fn: TaskFn, task: FleetTask, timeout: float | None) -> Future[Record]:
        """Start ``fn(task)``; the future holds the record or the executor's failure."""

    def failure(self, exc: BaseException, timeout: float | None) -> tuple[Status, str]:
        """Status and reason for a future that ended with ``exc`` instead of a record."""

    def started(self, future: Future[Record]) -> float | None:
        """When (``time.monotonic``) the task last started; None while it waits.

        Only called when ``enforces_timeout`` is False.
        """

    def abandon(self, future: Future[Record]) -> None:
        """Stop a task that ran past its time (only called when ``enforces_timeout`` is False)."""

    def close(self, *, wait: bool) -> None:
        """Release workers; with ``wait``, let running tasks finish first."""


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: workers finish the feedstock they are on (a
    # rerender is never cut in half) and the coordinator decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _internal(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc}"


class PoolExecutor:
    """A local process pool (pebble): a hung task's worker is killed, a dead one replaced."""

    enforces_timeout = True

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise SmithyError("--jobs must be at least 1")
        self.workers = workers
        self._pool = pebble.ProcessPool(max_workers=workers, initializer=_ignore_interrupts)

    def slots(self, timeout: float | None) -> int:
        """Two per worker: the next task is already queued when one finishes."""
        return 2 * self.workers

    def submit(self, fn: TaskFn, task: FleetTask, timeout: float | None) -> Future[Record]:
        """Schedule ``fn(task)``; pebble counts ``timeout`` from when the task starts."""
        return self._pool.schedule(fn, args=(task,), timeout=timeout)

    def failure(self, exc: BaseException, timeout: float | None) -> tuple[Status, str]:
        """Timeouts and dead workers as pebble reports them."""
        if isinstance(exc, concurrent.futures.TimeoutError):
            return "timeout", f"took longer than {timeout:g} s; its worker was stopped"
        if isinstance(exc, pebble.ProcessExpired):
            return "failed", f"its worker process died (exit code {exc.exitcode})"
        return "failed", _internal(exc)

    def started(self, future: Future[Record]) -> float | None:
        """Not needed: pebble keeps the time itself."""
        return None

    def abandon(self, future: Future[Record]) -> None:
        """Cancel the task (pebble stops its worker)."""
        future.cancel()

    def close(self, *, wait: bool) -> None:
        """Close the pool; without ``wait`` stop workers at once."""
        if wait:
            self._pool.close()  # type: ignore[no-untyped-call]
        else:
            self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise SmithyError(DASK_MISSING) from None
    return distributed


def _local_workers(address: str) -> int | None:
    """``local`` -> None (one per CPU), ``local:N`` -> N; None also for a scheduler address."""
    if address == "local":
        return 0
    if not address.startswith("local:"):
        return None
    count = address.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise SmithyError(f"--dask {address}: expected local or local:N with N >= 1")
    return int(count)


def _transfer(target: Future[Record], source: Any) -> None:
    if target.done():
        return  # already recorded as a timeout
    try:
        target.set_result(source.result())
    except BaseException as exc:  # the failure is the record: KilledWorker, CancelledError, ...
        if not target.done():
            target.set_exception(exc)


class DaskExecutor:
    """dask.distributed: one task per feedstock; Dask retries a task whose worker died."""

    enforces_timeout = False

    def __init__(self, address: str) -> None:
        distributed = _distributed()
        self._cluster: Any = None
        workers = _local_workers(address)
        if workers is not None:
            import dask

            with dask.config.set(_QUIET_LOCAL_CLUSTER):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or None,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self._client = distributed.Client(self._cluster)
        else:
            try:
                self._client = distributed.Client(address, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise SmithyError(f"cannot reach the dask scheduler at {address}: {exc}") from None
        from smithy.fleet import dask_plugin

        self._plugin = dask_plugin
        self._client.register_plugin(dask_plugin.WarmUp())
        self._client.subscribe_topic(dask_plugin.STARTED, self._on_start)
        self._starts: dict[str, float] = {}
        self._futures: dict[Future[Record], Any] = {}
        self.threads = max(1, int(sum(self._client.nthreads().values())))

    def slots(self, timeout: float | None) -> int:
        """One per worker thread, so no task waits on a worker behind another.

        A feedstock that kills its worker then takes no neighbour down with it (Dask would
        count that worker's death against both).
        """
        return self.threads

    def submit(self, fn: TaskFn, task: FleetTask, timeout: float | None) -> Future[Record]:
        """Submit ``fn(task)`` to the cluster and mirror its outcome in a plain future."""
        target: Future[Record] = Future()
        target.set_running_or_notify_cancel()
        key = f"fleet-{task.name}-{id(target)}"
        if timeout is None:
            source = self._client.submit(fn, task, pure=False, key=key)
        else:
            announced = self._plugin.run_announced
            source = self._client.submit(announced, fn, task, key, pure=False, key=key)
        self._futures[target] = source
        source.add_done_callback(lambda done: self._finished(target, done))
        return target

    def _finished(self, target: Future[Record], source: Any) -> None:
        # Only running tasks stay mapped: memory stays flat.
        self._futures.pop(target, None)
        self._starts.pop(source.key, None)
        _transfer(target, source)

    def _on_start(self, event: tuple[float, str]) -> None:
        self._starts[event[1]] = time.monotonic()

    def started(self, future: Future[Record]) -> float | None:
        """When the task's start event arrived (a retry on another worker starts it anew)."""
        source = self._futures.get(future)
        return None if source is None else self._starts.get(source.key)

    def failure(self, exc: BaseException, timeout: float | None) -> tuple[Status, str]:
        """A ``KilledWorker`` means the task killed each worker that tried it."""
        if type(exc).__name__ == "KilledWorker":
            return "failed", "its worker process died each time dask tried it"
        return "failed", _internal(exc)

    def abandon(self, future: Future[Record]) -> None:
        """Cancel the task and restart the worker stuck in it (a thread cannot be stopped)."""
        source = self._futures.pop(future, None)
        if source is None:
            return
        self._starts.pop(source.key, None)
        stuck = [worker for worker, keys in self._client.processing().items() if source.key in keys]
        self._client.cancel(source)
        if stuck:
            self._client.restart_workers(stuck, raise_for_error=False)

    def close(self, *, wait: bool) -> None:
        """Cancel what is left, then close the client and a local cluster."""
        if not wait:
            self._client.cancel(list(self._futures.values()))
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
