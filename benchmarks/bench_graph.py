"""Time the feedstock graph: a synthetic 30,000-node graph, and `graph build` over 1,000 dirs.

Run: python benchmarks/bench_graph.py [--nodes 30000] [--dirs 1000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smithy.graph.collect import collect_records
from smithy.graph.discover import discover_feedstocks
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.impact import pinning_impact
from smithy.graph.model import FeedstockRecord, OutputInfo, View, make_requires
from smithy.graph.order import build_order, find_cycles

PLATFORMS = ("linux-64", "osx-64", "osx-arm64", "win-64")
PINNING = Path(__file__).resolve().parents[1] / "tests" / "data" / "graph" / "pinning"


def synthetic_records(nodes: int, edges: int, seed: int = 7) -> list[FeedstockRecord]:
    """Feedstocks depending mostly on earlier ones (a few back edges make cycles)."""
    rng = random.Random(seed)
    per_node = edges / nodes
    all_deps: list[dict[str, dict[str, set[str]]]] = []
    for i in range(nodes):
        deps: dict[str, dict[str, set[str]]] = {"host": {}, "run": {}, "build": {}}
        count = min(i, int(rng.expovariate(1 / per_node)))
        for _ in range(count):
            j = int(i * rng.random() ** 0.5)  # prefer recent, like real stacks
            section = rng.choice(("host", "host", "run", "build"))
            deps[section][f"pkg{j}"] = set(PLATFORMS)
        if rng.random() < 0.05:
            deps["host"]["libffi"] = set(PLATFORMS)
        all_deps.append(deps)
    for _ in range(40):  # mutual runtime pairs: the cycles real graphs have
        a, b = rng.sample(range(nodes), 2)
        all_deps[a]["run"][f"pkg{b}"] = set(PLATFORMS)
        all_deps[b]["run"][f"pkg{a}"] = set(PLATFORMS)
    records = []
    for i, deps in enumerate(all_deps):
        records.append(
            FeedstockRecord(
                name=f"f{i}",
                path=f"/synthetic/f{i}",
                outputs=(OutputInfo(f"pkg{i}", None, PLATFORMS),),
                requires=make_requires(deps),
                jobs=dict.fromkeys(PLATFORMS, 2),
            )
        )
    records.append(
        FeedstockRecord(
            name="libffi", path="/s/libffi", outputs=(OutputInfo("libffi", None, PLATFORMS),)
        )
    )
    return records


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def write_feedstocks(root: Path, count: int) -> None:
    rng = random.Random(3)
    for i in range(count):
        deps = sorted({f"lib{rng.randrange(i)}" for _ in range(min(i, 4))}) if i else []
        text = f'context:\n  version: "1.{i}"\n'
        text += f"package:\n  name: lib{i}\n  version: ${{{{ version }}}}\n"
        text += "build:\n  number: 0\n"
        if deps:
            text += "requirements:\n  host:\n" + "".join(f"    - {d}\n" for d in deps)
            text += "  run:\n" + "".join(f"    - {d}\n" for d in deps[:2])
        folder = root / f"lib{i}-feedstock" / "recipe"
        folder.mkdir(parents=True)
        (folder / "recipe.yaml").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=30_000)
    parser.add_argument("--edges", type=int, default=215_000)
    parser.add_argument("--dirs", type=int, default=1_000)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    rows: list[tuple[str, str, float]] = []

    records = synthetic_records(args.nodes, args.edges)
    seconds, graph = timed(lambda: FeedstockGraph(records))
    size = f"{len(graph)} nodes, {graph.edge_count} edges"
    rows.append(("construct graph (from records)", size, seconds))
    seconds, order = timed(lambda: build_order(graph))
    rows.append(
        ("waves, view all", f"{len(order.waves)} waves, {len(order.cycles)} cycles", seconds)
    )
    seconds, order = timed(lambda: build_order(graph, view=View.abi, platform="win-64"))
    rows.append(("waves, view abi, win-64", f"{len(order.waves)} waves", seconds))
    seconds, cycles = timed(lambda: find_cycles(graph))
    rows.append(("cycles with closing edges", f"{len(cycles)} cycles", seconds))
    seconds, report = timed(lambda: pinning_impact(graph, "libffi", to="3.5"))
    rows.append(
        ("impact libffi", f"{len(report.affected)} feedstocks, {report.total_jobs} jobs", seconds)
    )

    workdir = Path(tempfile.mkdtemp(prefix="smithy-bench-"))
    try:
        write_feedstocks(workdir / "fs", args.dirs)
        found = discover_feedstocks([workdir / "fs"])
        cache = workdir / "cache"
        for label in ("cold", "warm"):
            seconds, result = timed(
                lambda: collect_records(
                    found, pinning=str(PINNING), cache_dir=cache, workers=args.jobs
                )
            )
            rows.append(
                (
                    f"graph build {args.dirs} dirs, {label} cache",
                    f"parsed {result.parsed}, cached {result.cached}",
                    seconds,
                )
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    detail = max(len(r[1]) for r in rows)
    print(f"{'step':<{width}}  {'result':<{detail}}  seconds")
    for step, result, secs in rows:
        print(f"{step:<{width}}  {result:<{detail}}  {secs:7.2f}")


if __name__ == "__main__":
    main()
