"""The coordinator loop: keep a bounded number of tasks in flight, stream each record out.

Only this loop knows about time: it records tasks that overran ``timeout`` (when the executor
cannot stop them itself) and, on Ctrl-C, lets running feedstocks finish and records them.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from smithy.fleet.executors import FleetExecutor, Future, TaskFn
from smithy.fleet.model import FleetTask, Record, failure_record
from smithy.fleet.tasks import run_task

Emit = Callable[[Record], None]
_POLL = 0.1  # seconds between looks at the clock while tasks run


@dataclass
class _InFlight:
    executor: FleetExecutor
    timeout: float | None
    emit: Emit
    running: dict[Future[Record], tuple[FleetTask, float]] = field(default_factory=dict)

    def fill(self, pending: Iterator[FleetTask], fn: TaskFn) -> None:
        while len(self.running) < self.executor.slots(self.timeout):
            task = next(pending, None)
            if task is None:
                return
            future = self.executor.submit(fn, task, self.timeout)
            self.running[future] = (task, time.monotonic())

    def record(self, future: Future[Record]) -> None:
        task, started = self.running.pop(future)
        try:
            result = future.result()
        except BaseException as exc:  # the executor's failure: dead worker, timeout, ...
            status, reason = self.executor.failure(exc, self.timeout)
            result = failure_record(task, status, reason, time.monotonic() - started)
        self.emit(result)

    def expire(self) -> None:
        if self.timeout is None or self.executor.enforces_timeout:
            return
        now = time.monotonic()
        for future, (task, _submitted) in list(self.running.items()):
            started = self.executor.started(future)
            if started is not None and now - started > self.timeout and not future.done():
                del self.running[future]
                self.executor.abandon(future)
                reason = f"took longer than {self.timeout:g} s; its worker was restarted"
                self.emit(failure_record(task, "timeout", reason, now - started))

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
                del self.running[future]
        while self.running:
            self.step()


def run_tasks(
    tasks: Iterable[FleetTask],
    executor: FleetExecutor,
    *,
    emit: Emit,
    timeout: float | None = None,
    fn: TaskFn = run_task,
) -> bool:
    """Run ``fn`` on every task with ``executor``, calling ``emit`` with each record as it ends.

    Returns:
        True when Ctrl-C stopped the run (records of finished tasks were emitted), else False.
    """
    state = _InFlight(executor, timeout, emit)
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
