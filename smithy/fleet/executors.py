"""Executors behind one ``concurrent.futures``-shaped interface: the protocol and the local pool.

An executor takes a task function and a batch of ``FleetTask`` and gives back one
``concurrent.futures.Future`` per task, holding its record, so the coordinator (``runner``)
waits on any executor the same way. What differs is how a hung task is stopped, how a dead
worker shows up, and how many feedstocks travel together; each executor turns its failures
into a status and a reason. The dask executor is in ``dask_executor`` (an optional extra).
"""

from __future__ import annotations

import concurrent.futures
import signal
from collections.abc import Callable, Sequence
from typing import Protocol

import pebble

from smithy.errors import SmithyError
from smithy.fleet.model import FleetTask, Record, Status

TaskFn = Callable[[FleetTask], Record]
Future = concurrent.futures.Future


class FleetExecutor(Protocol):
    """What the coordinator needs from an executor."""

    enforces_timeout: bool  # True: the executor stops overdue tasks itself
    batch_size: int  # feedstocks per submission, at most (1: each one travels alone)

    def slots(self, timeout: float | None) -> int:
        """How many submissions to keep in flight (bounded: results stream, memory stays flat)."""

    def submit(
        self, fn: TaskFn, tasks: Sequence[FleetTask], timeout: float | None
    ) -> list[Future[Record]]:
        """Start ``fn`` on each task (together, as one unit of work); one future per task.

        A future holds the record or the executor's failure; :class:`RunAlone` asks the
        coordinator to submit that task again on its own.
        """

    def failure(self, exc: BaseException, timeout: float | None) -> tuple[Status, str]:
        """Status and reason for a future that ended with ``exc`` instead of a record."""

    def started(self, future: Future[Record]) -> float | None:
        """When (``time.monotonic``) the task last started; None while it waits.

        Only called when ``enforces_timeout`` is False.
        """

    def abandon(self, future: Future[Record]) -> bool:
        """Stop a task that ran past its time (only called when ``enforces_timeout`` is False).

        Returns False when the task turned out not to be running (its clock starts again).
        """

    def close(self, *, wait: bool) -> None:
        """Release workers; with ``wait``, let running tasks finish first."""


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: workers finish the feedstock they are on (a
    # rerender is never cut in half) and the coordinator decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class RunAlone(Exception):
    """The batch this task was in was lost (a neighbour killed its worker or ran overtime)."""


def internal_error(exc: BaseException) -> str:
    """The reason recorded for an executor failure nobody planned for."""
    return f"internal error: {type(exc).__name__}: {exc}"


class PoolExecutor:
    """A local process pool (pebble): a hung task's worker is killed, a dead one replaced."""

    enforces_timeout = True
    batch_size = 1  # a process pool's cost per task is already small

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise SmithyError("--jobs must be at least 1")
        self.workers = workers
        self._pool = pebble.ProcessPool(max_workers=workers, initializer=_ignore_interrupts)

    def slots(self, timeout: float | None) -> int:
        """Two per worker: the next task is already queued when one finishes."""
        return 2 * self.workers

    def submit(
        self, fn: TaskFn, tasks: Sequence[FleetTask], timeout: float | None
    ) -> list[Future[Record]]:
        """Schedule ``fn(task)`` for each; pebble counts ``timeout`` from when a task starts."""
        return [self._pool.schedule(fn, args=(task,), timeout=timeout) for task in tasks]

    def failure(self, exc: BaseException, timeout: float | None) -> tuple[Status, str]:
        """Timeouts and dead workers as pebble reports them."""
        if isinstance(exc, concurrent.futures.TimeoutError):
            return "timeout", f"took longer than {timeout:g} s; its worker was stopped"
        if isinstance(exc, pebble.ProcessExpired):
            return "failed", f"its worker process died (exit code {exc.exitcode})"
        return "failed", internal_error(exc)

    def started(self, future: Future[Record]) -> float | None:
        """Not needed: pebble keeps the time itself."""
        return None

    def abandon(self, future: Future[Record]) -> bool:
        """Cancel the task (pebble stops its worker)."""
        return future.cancel()

    def close(self, *, wait: bool) -> None:
        """Close the pool; without ``wait`` stop workers at once."""
        if wait:
            self._pool.close()  # type: ignore[no-untyped-call]
        else:
            self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join()
