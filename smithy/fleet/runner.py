"""The coordinator loop: keep a bounded number of submissions in flight, stream each record out.

Only this loop knows about time: it records tasks that overran ``timeout`` (when the executor
cannot stop them itself) and, on Ctrl-C, lets running feedstocks finish and records them.
A submission is a batch of feedstocks (one for the local pool, a chunk for dask); a task
handed back with :class:`RunAlone` is submitted again on its own.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from smithy.fleet.executors import FleetExecutor, Future, RunAlone, TaskFn
from smithy.fleet.model import FleetTask, Record, failure_record
from smithy.fleet.tasks import run_task

Emit = Callable[[Record], None]
_POLL = 0.1  # seconds between looks at the clock while tasks run


@dataclass
class _InFlight:
    executor: FleetExecutor
    timeout: float | None
    emit: Emit
    batch: int
    running: dict[Future[Record], tuple[FleetTask, float, int]] = field(default_factory=dict)
    batches: Counter[int] = field(default_factory=Counter)  # batch id -> tasks still running
    alone: deque[FleetTask] = field(default_factory=deque)
    ids: Iterator[int] = field(default_factory=itertools.count)

    def _next_batch(self, pending: Iterator[FleetTask]) -> list[FleetTask]:
        if self.alone:
            return [self.alone.popleft()]
        return list(itertools.islice(pending, self.batch))

    def fill(self, pending: Iterator[FleetTask], fn: TaskFn) -> None:
        while len(self.batches) < self.executor.slots(self.timeout):
            tasks = self._next_batch(pending)
            if not tasks:
                return
            futures = self.executor.submit(fn, tasks, self.timeout)
            batch, now = next(self.ids), time.monotonic()
            self.batches[batch] = len(futures)
            for future, task in zip(futures, tasks, strict=True):
                self.running[future] = (task, now, batch)

    def _pop(self, future: Future[Record]) -> tuple[FleetTask, float]:
        task, started, batch = self.running.pop(future)
        self.batches[batch] -= 1
        if not self.batches[batch]:
            del self.batches[batch]
        return task, started

    def record(self, future: Future[Record]) -> None:
        task, started = self._pop(future)
        try:
            result = future.result()
        except RunAlone:
            self.alone.append(task)
            return
        except BaseException as exc:  # the executor's failure: dead worker, timeout, ...
            status, reason = self.executor.failure(exc, self.timeout)
            result = failure_record(task, status, reason, time.monotonic() - started)
        self.emit(result)

    def expire(self) -> None:
        if self.timeout is None or self.executor.enforces_timeout:
            return
        now = time.monotonic()
        for future in list(self.running):
            started = self.executor.started(future)
            overdue = started is not None and now - started > self.timeout
            if overdue and not future.done() and self.executor.abandon(future):
                task, _submitted = self._pop(future)
                reason = f"took longer than {self.timeout:g} s; its worker was restarted"
                self.emit(failure_record(task, "timeout", reason, now - (started or now)))

    def step(self) -> None:
        done, _ = concurrent.futures.wait(
            list(self.running), timeout=_POLL, return_when=concurrent.futures.FIRST_COMPLETED
        )
        for future in done:
            self.record(future)
        self.expire()

    def drain(self) -> None:
        """After Ctrl-C: drop queued tasks, record the ones already running."""
        for future in list(self.running):
            if not future.running() and future.cancel():
                self._pop(future)
        while self.running:
            self.step()


def run_tasks(
    tasks: Iterable[FleetTask],
    executor: FleetExecutor,
    *,
    emit: Emit,
    timeout: float | None = None,
    fn: TaskFn = run_task,
    batch: int | None = None,
) -> bool:
    """Run ``fn`` on every task with ``executor``, calling ``emit`` with each record as it ends.

    Args:
        tasks: the feedstocks' tasks, consumed lazily.
        executor: where they run.
        emit: called with each record (from this thread).
        timeout: seconds one feedstock may run.
        fn: the task function.
        batch: feedstocks per submission; None for the executor's ``batch_size``.

    Returns:
        True when Ctrl-C stopped the run (records of finished tasks were emitted), else False.
    """
    size = executor.batch_size if batch is None else max(1, min(batch, executor.batch_size))
    state = _InFlight(executor, timeout, emit, size)
    pending = iter(tasks)
    try:
        state.fill(pending, fn)
        while state.running:
            state.step()
            state.fill(pending, fn)
    except KeyboardInterrupt:
        try:
            state.drain()
        finally:
            executor.close(wait=False)
        return True
    executor.close(wait=True)
    return False
