"""smithy.work_sharing: tasks shared with forked helpers give the plain loop's results and errors.

pytest-xdist's workers run a second thread, where work_sharing rightly refuses to fork, so the
sharing itself is exercised in a fresh single-threaded interpreter (``_in_fresh_process``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from smithy import work_sharing
from smithy.work_sharing import can_fork, run_shared

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="helpers are forked on Linux only")

PRELUDE = """\
import json, os, sys, time
from smithy.work_sharing import run_shared, can_fork
PARENT = os.getpid()
def in_helper():
    return os.getpid() != PARENT
def slow(x):
    time.sleep(0.05)  # long enough that every helper takes some tasks
    return {"task": x, "pid": os.getpid()}
"""


def _in_fresh_process(body: str) -> Any:
    """Run PRELUDE + ``body`` in a new interpreter; its last stdout line, read as JSON."""
    code = PRELUDE + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_results_come_back_in_task_order_from_several_processes() -> None:
    found = _in_fresh_process("""
        assert can_fork()
        results = run_shared(list(range(12)), slow, helpers=2)
        print(json.dumps({"results": results, "parent": PARENT}))
    """)
    assert [r["task"] for r in found["results"]] == list(range(12))
    pids = {r["pid"] for r in found["results"]}
    assert found["parent"] in pids
    assert len(pids) >= 2  # the helpers took tasks too


def test_the_first_failing_task_in_order_is_raised() -> None:
    # Tasks 3 and 7 fail wherever they run; 3 is raised, as the plain loop would.
    found = _in_fresh_process("""
        def run(x):
            time.sleep(0.03)
            if x in (3, 7):
                raise ValueError(f"task {x}")
            return x
        try:
            run_shared(list(range(10)), run, helpers=1)
        except ValueError as exc:
            print(json.dumps(str(exc)))
    """)
    assert found == "task 3"


def test_what_fails_only_in_a_helper_is_run_again_here() -> None:
    # A helper that cannot pickle its result, raises, or dies: the parent does those tasks.
    found = _in_fresh_process("""
        def run(x):
            time.sleep(0.03)
            if in_helper() and x % 3 == 0:
                return lambda: x  # not picklable
            if in_helper() and x % 3 == 1:
                raise RuntimeError("only in a helper")
            if in_helper() and x == 8:
                os._exit(7)  # a helper killed mid-way
            return [x, in_helper()]
        print(json.dumps(run_shared(list(range(12)), run, helpers=2)))
    """)
    assert [task for task, _ in found] == list(range(12))
    assert all(not helped for task, helped in found if task % 3 in (0, 1) or task == 8)


def test_an_interrupt_here_stops_the_helpers() -> None:
    found = _in_fresh_process("""
        seen = []
        def started(x):
            seen.append(x)
            if len(seen) == 2:  # the second task this process takes
                raise KeyboardInterrupt
        try:
            run_shared(list(range(8)), slow, helpers=2, on_start=started)
        except KeyboardInterrupt:
            try:
                os.waitpid(-1, os.WNOHANG)
                left = "a child is left"
            except ChildProcessError:
                left = "none"
            print(json.dumps(left))
    """)
    assert found == "none"


def test_on_start_is_called_only_for_tasks_run_here() -> None:
    found = _in_fresh_process("""
        seen = []
        results = run_shared(list(range(8)), slow, helpers=1, on_start=seen.append)
        here = [r["task"] for r in results if r["pid"] == PARENT]
        print(json.dumps([sorted(seen), here]))
    """)
    seen, here = found
    assert seen == here


def test_no_helper_is_forked_beside_another_thread() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        assert run_shared([1, 2, 3], lambda x: x * 2, helpers=2) == [2, 4, 6]
    finally:
        stop.set()
        other.join()


def test_without_helpers_every_task_runs_in_order_here() -> None:
    order: list[int] = []
    assert run_shared([3, 1, 2], lambda x: order.append(x) or x, helpers=0) == [3, 1, 2]
    assert order == [3, 1, 2]
    with pytest.raises(ZeroDivisionError):
        run_shared([1, 0, 2], lambda x: 1 // x, helpers=0)


def test_usable_cpus_is_at_least_one() -> None:
    assert work_sharing.usable_cpus() >= 1


def test_a_refused_fork_leaves_every_task_to_this_process() -> None:
    found = _in_fresh_process("""
        def refused():
            raise BlockingIOError(11, "Resource temporarily unavailable")
        os.fork = refused
        results = run_shared(list(range(5)), slow, helpers=2)
        print(json.dumps([r["pid"] == PARENT for r in results]))
    """)
    assert found == [True] * 5


def test_a_refused_memory_file_leaves_every_task_to_this_process() -> None:
    found = _in_fresh_process("""
        def refused(name, flags=0):
            raise PermissionError(1, "Operation not permitted")
        os.memfd_create = refused
        results = run_shared(list(range(5)), slow, helpers=2)
        print(json.dumps([r["pid"] == PARENT for r in results]))
    """)
    assert found == [True] * 5


def test_helpers_die_with_a_killed_parent(tmp_path: Path) -> None:
    # A rerender killed with SIGKILL must not leave helpers rendering (and holding its lock).
    pids = tmp_path / "helper-pids"
    code = PRELUDE + textwrap.dedent(f"""
        def run(x):
            if in_helper():
                with open({str(pids)!r}, "a") as out:
                    out.write(f"{{os.getpid()}}\\n")
            time.sleep(30)
            return x
        run_shared(list(range(6)), run, helpers=2)
    """)
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(_lines(pids)) < 2:
            time.sleep(0.05)
        helpers = [int(line) for line in _lines(pids)]
        assert len(helpers) == 2
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in helpers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in helpers)


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _alive(pid: int) -> bool:
    # An orphan is reaped by init (or the container's reaper); a zombie counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
