"""Time `fleet check` over generated feedstocks: local pool of 1 and 2, dask LocalCluster of 2.

Reports feedstocks/s (wall), CPU seconds per feedstock (coordinator + workers, less noisy on a
shared machine; all of it, and only what was spent while feedstocks ran, without starting and
stopping the pool or cluster), Dask's overhead against the pool of the same size (with
feedstocks in chunks, as ``--dask`` runs them, and one per Dask task for comparison), the
coordinator's peak RSS at two fleet sizes (it must not grow: results stream to disk), and a
30,000-feedstock wall-time extrapolation per core count. ``--repeat N`` runs the set N times,
interleaved, and keeps each run's minimum wall and CPU time (the machine may be shared); the
load average is printed.

Run: python benchmarks/bench_fleet.py [--count 2000] [--small 500] [--repeat 3] [--chunk 16]
     [--only 'pool 1,pool 2,dask 2,dask 2 unchunked,pool 2 small']
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smithy.fleet.dask_executor import CHUNK, DaskExecutor
from smithy.fleet.executors import FleetExecutor, Future, PoolExecutor, TaskFn
from smithy.fleet.model import FleetTask, Record, Status
from smithy.fleet.service import FleetRequest, run_fleet
from tests.fleet.generate import make_feedstocks

FLEET = 30_000


class PeakRss:
    """Samples this process's RSS in a thread; ``peak`` in MB."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, me.memory_info().rss / 2**20)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _live_cpu() -> float:
    """CPU of this process and of its live child processes (the workers) so far."""
    total = sum(psutil.Process().cpu_times()[:2])
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += sum(child.cpu_times()[:2])
    return total


class Sampled:
    """An executor that notes the live CPU total just before its workers go away."""

    def __init__(self, inner: FleetExecutor) -> None:
        self.inner = inner
        self.enforces_timeout = inner.enforces_timeout
        self.batch_size = inner.batch_size
        self.at_close = 0.0

    def slots(self, timeout: float | None) -> int:
        return self.inner.slots(timeout)

    def submit(
        self, fn: TaskFn, tasks: Sequence[FleetTask], timeout: float | None
    ) -> list[Future[Record]]:
        return self.inner.submit(fn, tasks, timeout)

    def failure(self, exc: BaseException, timeout: float | None) -> tuple[Status, str]:
        return self.inner.failure(exc, timeout)

    def started(self, future: Future[Record]) -> float | None:
        return self.inner.started(future)

    def abandon(self, future: Future[Record]) -> bool:
        return self.inner.abandon(future)

    def close(self, *, wait: bool) -> None:
        self.at_close = _live_cpu()
        self.inner.close(wait=wait)


def measure(
    label: str, root: Path, make: Callable[[], FleetExecutor], count: int
) -> dict[str, float]:
    """One run; ``cpu_each`` counts everything (pool or cluster start-up and shutdown too),
    ``run_each`` only what was spent while feedstocks ran (workers up and warm)."""
    out = Path(tempfile.mkdtemp()) / "results.jsonl"
    request = FleetRequest(operation="check", inputs=(root,), output=out)
    cpu = _cpu()
    with PeakRss() as rss:
        start = time.perf_counter()
        executor = Sampled(make())
        running = _live_cpu()
        report = run_fleet(request, executor=executor)
        wall = time.perf_counter() - start
    cpu = _cpu() - cpu
    assert report.summary.total == count and report.summary.failed == 0, report.summary
    shutil.rmtree(out.parent)
    row = {"wall": wall, "rate": count / wall, "cpu_each": cpu / count, "rss": rss.peak,
           "run_each": (executor.at_close - running) / count}  # fmt: skip
    _print_row(label, count, row, f"load {os.getloadavg()[0]:.1f}")
    return row


def _print_row(label: str, count: int, row: dict[str, float], note: str) -> None:
    print(
        f"{label:<26} {count:>6} {row['wall']:>8.1f} s {row['rate']:>8.1f}/s "
        f"{row['cpu_each'] * 1000:>8.1f} ms {row['run_each'] * 1000:>8.1f} ms "
        f"{row['rss']:>8.0f} MB  {note}",
        flush=True,
    )


def _best(rows: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's best over the repeats (least disturbed by other work on the machine)."""
    wall = min(row["wall"] for row in rows)
    cpu = min(row["cpu_each"] for row in rows)
    return {"wall": wall, "rate": max(r["rate"] for r in rows), "cpu_each": cpu,
            "run_each": min(r["run_each"] for r in rows),
            "rss": max(r["rss"] for r in rows)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    parser.add_argument("--chunk", type=int, default=CHUNK, help="feedstocks per dask task")
    parser.add_argument(
        "--only", help="comma-separated: 'pool 1,pool 2,dask 2,dask 2 unchunked,pool 2 small'"
    )
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    big, small = base / "big", base / "small"
    make_feedstocks(big, args.count)
    make_feedstocks(small, args.small)
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} before the runs")
    print(
        f"{'executor':<26} {'fleet':>6} {'wall':>10} {'rate':>10} {'cpu/each':>11} "
        f"{'running':>11} {'peak RSS':>11}"
    )
    runs = {
        "pool 1": ("local pool, 1 worker", big, lambda: PoolExecutor(1), args.count),
        "pool 2": ("local pool, 2 workers", big, lambda: PoolExecutor(2), args.count),
        "dask 2": (
            f"dask LocalCluster(2), {args.chunk}/task",
            big,
            lambda: DaskExecutor("local:2", chunk=args.chunk),
            args.count,
        ),
        "dask 2 unchunked": (
            "dask LocalCluster(2), 1/task",
            big,
            lambda: DaskExecutor("local:2", chunk=1),
            args.count,
        ),
        "pool 2 small": ("local pool, 2 workers", small, lambda: PoolExecutor(2), args.small),
    }
    chosen = args.only.split(",") if args.only else list(runs)
    every: dict[str, list[dict[str, float]]] = {key: [] for key in chosen}
    for _ in range(args.repeat):
        for key in chosen:
            every[key].append(measure(*runs[key]))
    shutil.rmtree(base)
    rows = {key: _best(found) for key, found in every.items()}
    if args.repeat > 1:
        print(f"best of {args.repeat}:")
        for key, row in rows.items():
            _print_row(runs[key][0], int(runs[key][3]), row, "")
    if not {"pool 1", "pool 2", "dask 2", "pool 2 small"} <= rows.keys():
        return
    overhead_wall = rows["dask 2"]["wall"] / rows["pool 2"]["wall"] - 1
    overhead_cpu = rows["dask 2"]["cpu_each"] / rows["pool 2"]["cpu_each"] - 1
    overhead_run = rows["dask 2"]["run_each"] / rows["pool 2"]["run_each"] - 1
    print(
        f"dask overhead vs pool of 2: wall {overhead_wall:+.0%}, cpu {overhead_cpu:+.0%}, "
        f"cpu while running {overhead_run:+.0%}"
    )
    if "dask 2 unchunked" in rows:
        wall = rows["dask 2 unchunked"]["wall"] / rows["pool 2"]["wall"] - 1
        cpu = rows["dask 2 unchunked"]["cpu_each"] / rows["pool 2"]["cpu_each"] - 1
        print(f"  (one feedstock per dask task: wall {wall:+.0%}, cpu {cpu:+.0%})")
    growth = rows["pool 2"]["rss"] - rows["pool 2 small"]["rss"]
    print(f"coordinator RSS growth from {args.small} to {args.count} feedstocks: {growth:+.0f} MB")
    per_core = rows["pool 1"]["cpu_each"]
    for cores in (1, 2, 8, 32, 128):
        minutes = FLEET * per_core / cores / 60
        print(f"30,000 feedstocks on {cores:>3} cores: ~{minutes:.0f} min (cpu/each / cores)")


if __name__ == "__main__":
    main()
