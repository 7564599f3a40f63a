"""Run independent tasks in this process and in forked helper processes, results in task order.

A big feedstock renders six platforms one after the other, each a few hundred milliseconds of
pure Python: on a machine with two cores, half of that can run in a second process. A forked
helper starts with this process's imports, compiled templates and memos already in memory, so it
costs a fork and the pickling of its results, not a new interpreter.

How the work is shared:

* Task numbers wait in a pipe, one byte each; this process and every helper take the next one
  with a one-byte read (atomic between readers), so whoever is free takes the next task.
* A helper writes each finished result to a memory file of its own (``memfd``), not to a pipe:
  a pipe would block it on a full buffer while this process is still busy with its own tasks.
* Only results come back. A task that fails in a helper (a recipe error, a bug, a helper killed
  or out of memory) is simply run again here, so its error, traceback and exit code are the ones
  a run without helpers gives, and the first failing task in task order is the one raised.

Helpers are used only where forking is safe: Linux, and a process with one thread (a thread
holding a lock at the fork would leave that lock held forever in the helper). Everywhere else,
and for fewer than two tasks, every task runs here, in order. Results never depend on where a
task ran: callers pass tasks whose results are a function of their inputs.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

_LENGTH = struct.Struct("<IQ")  # task number, pickle length
_MAX_TASKS = 255  # task numbers travel as single bytes


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forked helpers are safe here: Linux, and this process has a single thread."""
    if sys.platform != "linux" or not hasattr(os, "memfd_create"):
        return False
    try:
        # /proc lists native threads too (a Rust or C library's), which threading does not.
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def run_shared(
    tasks: Sequence[Task],
    run: Callable[[Task], Result],
    *,
    helpers: int,
    on_start: Callable[[Task], None] | None = None,
) -> list[Result]:
    """``[run(task) for task in tasks]``, with up to ``helpers`` forked processes helping.

    ``on_start`` is called in this process before each task it runs itself (progress).
    Raises the first exception of the tasks in task order, as the plain loop would (after the
    other tasks are done: which of them fail does not depend on who ran them).
    """
    helpers = min(helpers, len(tasks) - 1)
    if helpers < 1 or len(tasks) > _MAX_TASKS or not can_fork():
        return [_started(run, task, on_start) for task in tasks]
    done: dict[int, Result] = {}
    failed: dict[int, Exception] = {}
    with _task_queue(len(tasks)) as queue, _forked(helpers, queue, tasks, run) as forked:
        for index in _taken(queue):
            _attempt(index, tasks, run, on_start, done, failed)
        for found in forked.results():
            done.update(found)
    for index in range(len(tasks)):
        if index not in done and index not in failed:  # a helper's failure: run it here
            _attempt(index, tasks, run, on_start, done, failed)
    for index in sorted(failed):
        raise failed[index]
    return [done[index] for index in range(len(tasks))]


def _started(
    run: Callable[[Task], Result], task: Task, on_start: Callable[[Task], None] | None
) -> Result:
    if on_start is not None:
        on_start(task)
    return run(task)


def _attempt(
    index: int,
    tasks: Sequence[Task],
    run: Callable[[Task], Result],
    on_start: Callable[[Task], None] | None,
    done: dict[int, Result],
    failed: dict[int, Exception],
) -> None:
    try:
        done[index] = _started(run, tasks[index], on_start)
    except Exception as exc:  # raised in task order once every task has run
        failed[index] = exc


@contextlib.contextmanager
def _task_queue(count: int) -> Iterator[int]:
    """A pipe holding the task numbers; yields its read end (the write end is closed)."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, bytes(range(count)))  # count <= 255 fits any pipe buffer
        os.close(write_end)
        write_end = -1
        yield read_end
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def _taken(queue: int) -> Iterator[int]:
    """Task numbers as this process takes them, until the queue is empty."""
    while byte := os.read(queue, 1):
        yield byte[0]


class _Helpers:
    """The forked helpers of one ``run_shared`` call: their pids and outboxes."""

    def __init__(self) -> None:
        self.running: dict[int, int] = {}  # pid -> outbox fd, until reaped and read

    def start(self, queue: int, tasks: Sequence[Task], run: Callable[[Task], Result]) -> None:
        """Fork one helper; where the system refuses (no memfd, a process limit), none."""
        try:
            outbox = os.memfd_create("smithy-helper", os.MFD_CLOEXEC)
        except OSError:
            return  # this process takes the tasks the helper would have taken
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(outbox)
            return
        if pid == 0:
            _die_with(parent)
            _helper_main(queue, outbox, tasks, run)
        self.running[pid] = outbox

    def results(self) -> Iterator[dict[int, Any]]:
        """Each helper's results once it has exited."""
        while self.running:
            pid, outbox = next(iter(self.running.items()))
            os.waitpid(pid, 0)
            del self.running[pid]
            yield _results(outbox)

    def close(self) -> None:
        """Stop helpers still running (an interrupt or an error here) and free the outboxes."""
        for pid, outbox in self.running.items():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            os.close(outbox)
        self.running.clear()


@contextlib.contextmanager
def _forked(
    count: int, queue: int, tasks: Sequence[Task], run: Callable[[Task], Result]
) -> Iterator[_Helpers]:
    """Start ``count`` helpers taking tasks from ``queue``; stops them on the way out."""
    helpers = _Helpers()
    try:
        for _ in range(count):
            helpers.start(queue, tasks, run)
        yield helpers
    finally:
        helpers.close()


_PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


def _die_with(parent: int) -> None:
    """Have the kernel kill this helper when its parent dies.

    A helper holds what it inherited, the feedstock's lock included: a rerender killed with
    SIGKILL would otherwise leave it rendering, and the feedstock busy, until it finished.
    """
    try:
        import ctypes  # here: only a forked helper needs it

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no libc prctl: the helper ends on its own
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _helper_main(
    queue: int, outbox: int, tasks: Sequence[Task], run: Callable[[Task], Result]
) -> None:
    """The forked helper: take tasks, write each result; never returns into the caller's code."""
    status = 0
    try:
        with os.fdopen(outbox, "wb", closefd=False) as out:
            for index in _taken(queue):
                try:
                    payload = pickle.dumps(run(tasks[index]), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # run again by the parent, which reports it
                    continue
                out.write(_LENGTH.pack(index, len(payload)))
                out.write(payload)
                out.flush()
    except BaseException:  # an interrupt or a broken outbox: the parent runs what is missing
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers


def _results(outbox: int) -> dict[int, Any]:
    """The whole results a helper wrote (the outbox is closed); a record cut short is left out."""
    found: dict[int, Any] = {}
    with os.fdopen(outbox, "rb") as data:  # closes the outbox
        data.seek(0)
        while header := data.read(_LENGTH.size):
            if len(header) < _LENGTH.size:
                break
            index, length = _LENGTH.unpack(header)
            payload = data.read(length)
            if len(payload) < length:
                break
            found[index] = pickle.loads(payload)
    return found
