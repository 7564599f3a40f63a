"""Time `fleet check` over generated feedstocks: local pool of 1 and 2, dask LocalCluster of 2.

Reports feedstocks/s (wall), CPU seconds per feedstock (coordinator + workers, less noisy on a
shared machine), Dask's overhead against the pool of the same size, the coordinator's peak RSS
at two fleet sizes (it must not grow: results stream to disk), and a 30,000-feedstock wall-time
extrapolation per core count.

Run: python benchmarks/bench_fleet.py [--count 2000] [--small 500] [--only 'dask 2,...']
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smithy.fleet.executors import DaskExecutor, FleetExecutor, PoolExecutor
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


def measure(
    label: str, root: Path, make: Callable[[], FleetExecutor], count: int
) -> dict[str, float]:
    out = Path(tempfile.mkdtemp()) / "results.jsonl"
    request = FleetRequest(operation="check", inputs=(root,), output=out)
    cpu = _cpu()
    with PeakRss() as rss:
        start = time.perf_counter()
        report = run_fleet(request, executor=make())
        wall = time.perf_counter() - start
    cpu = _cpu() - cpu
    assert report.summary.total == count and report.summary.failed == 0, report.summary
    row = {"wall": wall, "rate": count / wall, "cpu_each": cpu / count, "rss": rss.peak}
    print(
        f"{label:<22} {count:>6} {wall:>8.1f} s {row['rate']:>8.1f}/s "
        f"{row['cpu_each'] * 1000:>8.1f} ms {rss.peak:>8.0f} MB",
        flush=True,
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--only", help="comma-separated runs: 'pool 1,pool 2,dask 2,pool 2 small'")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    big, small = base / "big", base / "small"
    make_feedstocks(big, args.count)
    make_feedstocks(small, args.small)
    print(
        f"{'executor':<22} {'fleet':>6} {'wall':>10} {'rate':>10} {'cpu/each':>11} {'peak RSS':>11}"
    )
    runs = {
        "pool 1": ("local pool, 1 worker", big, lambda: PoolExecutor(1), args.count),
        "pool 2": ("local pool, 2 workers", big, lambda: PoolExecutor(2), args.count),
        "dask 2": ("dask LocalCluster(2)", big, lambda: DaskExecutor("local:2"), args.count),
        "pool 2 small": ("local pool, 2 workers", small, lambda: PoolExecutor(2), args.small),
    }
    chosen = args.only.split(",") if args.only else list(runs)
    rows = {key: measure(*runs[key]) for key in chosen}
    if len(rows) < len(runs):
        return
    overhead_wall = rows["dask 2"]["wall"] / rows["pool 2"]["wall"] - 1
    overhead_cpu = rows["dask 2"]["cpu_each"] / rows["pool 2"]["cpu_each"] - 1
    print(f"dask overhead vs pool of 2: wall {overhead_wall:+.0%}, cpu {overhead_cpu:+.0%}")
    growth = rows["pool 2"]["rss"] - rows["pool 2 small"]["rss"]
    print(f"coordinator RSS growth from {args.small} to {args.count} feedstocks: {growth:+.0f} MB")
    per_core = rows["pool 1"]["cpu_each"]
    for cores in (1, 2, 8, 32, 128):
        minutes = FLEET * per_core / cores / 60
        print(f"30,000 feedstocks on {cores:>3} cores: ~{minutes:.0f} min (cpu/each / cores)")


if __name__ == "__main__":
    main()
