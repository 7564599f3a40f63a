"""Time `smithy rerender` on generated feedstocks: fresh processes, warm in-process, peak RSS.

Four feedstocks are generated (see ``feedstocks.py``) and rerendered with the embedded default
pinning: a one-output C library on six platforms, a multi-output CUDA x python meta.yaml, a
20-output recipe.yaml with staging outputs and 8 migrations, and a python x numpy x mpi
extension with 240 jobs.

The machine this runs on is usually shared, so figures are CPU time (user + sys of the child,
from ``getrusage(RUSAGE_CHILDREN)``) and the minimum of ``--runs`` runs; wall time is shown too.
"Fresh" is a new ``smithy rerender`` process as a user runs it: smithy's modules are compiled to
``__pycache__`` first (an installed smithy has them; with ``PYTHONDONTWRITEBYTECODE`` set, an
editable checkout would otherwise compile ~120 modules in every run: ``--no-precompile`` measures
that) and the compiled CI templates are in the user cache (a temporary ``XDG_CACHE_HOME``);
"first" is the first of those runs, when that cache is still empty. "Warm" is a second rerender
of the same feedstock in one process (caches filled).

Usage: python benchmarks/bench_rerender.py [--runs N] [--no-precompile] [--jobs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedstocks import heavy_feedstocks, small_feedstock

from smithy import api
from smithy.recipe import meta_yaml, recipe_yaml

KEEP = ("recipe", "conda-forge.yml", ".ci_support")


def _reset(folder: Path) -> None:
    """Back to the bare feedstock (recipe, conda-forge.yml, .ci_support/migrations)."""
    for child in folder.iterdir():
        if child.name not in KEEP:
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    support = folder / ".ci_support"
    if support.is_dir():
        for child in support.iterdir():
            if child.name != "migrations":
                shutil.rmtree(child) if child.is_dir() else child.unlink()


def _fresh(folder: Path, runs: int, jobs: list[str]) -> tuple[float, float, float, int]:
    """CPU seconds of the first run (empty template cache), min CPU and wall seconds of the
    others, and peak RSS (MB) of ``smithy rerender`` processes (CPU: helpers included)."""
    cache = folder.parent / f"{folder.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "PYTHONHASHSEED": "0", "XDG_CACHE_HOME": str(cache)}
    env.pop("SMITHY_PINNING", None)
    cpu, wall, peak = [], [], 0
    for _ in range(runs + 1):
        _reset(folder)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "smithy", "rerender", "-q", str(folder), *jobs],
            check=True,
            env=env,
            capture_output=True,
        )
        wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        peak = max(peak, after.ru_maxrss // 1024)
    return cpu[0], min(cpu[1:]), min(wall[1:]), peak


def _warm(folder: Path, runs: int) -> tuple[float, int]:
    """Min CPU seconds of an in-process rerender after a first one; renders per rerender."""
    calls = [0]
    originals = (meta_yaml.render_meta_yaml, recipe_yaml.render_recipe_yaml)

    def counted(function: Callable[..., Any]) -> Callable[..., Any]:
        def counting(*args: Any) -> Any:
            calls[0] += 1
            return function(*args)

        return counting

    api.rerender(folder, mode="write")
    # smithy.recipe.render looks both up at each call: count every variant render.
    meta_yaml.render_meta_yaml = counted(originals[0])
    recipe_yaml.render_recipe_yaml = counted(originals[1])
    try:
        best = float("inf")
        for _ in range(runs):
            calls[0] = 0
            _reset(folder)
            started = time.process_time()
            api.rerender(folder, mode="write")
            best = min(best, time.process_time() - started)
    finally:
        meta_yaml.render_meta_yaml, recipe_yaml.render_recipe_yaml = originals
    return best, calls[0]


def main() -> None:
    """Generate the feedstocks, time the rerenders and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-precompile",
        action="store_true",
        help="leave smithy's __pycache__ as it is (PYTHONDONTWRITEBYTECODE: compile every run)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        help="smithy rerender --jobs N (default: smithy's own, the usable CPUs up to 4)",
    )
    args = parser.parse_args()
    jobs_option = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    if not args.no_precompile:
        compileall.compile_dir(Path(__file__).resolve().parents[1] / "smithy", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cases = [small_feedstock(root), *heavy_feedstocks(root)]
        header = f"{'case':<48} {'jobs':>5} {'renders':>7} {'first cpu':>9} {'fresh cpu':>9}"
        print(f"{header} {'fresh wall':>10} {'warm cpu':>8} {'peak RSS':>8}")
        for label, folder in cases:
            first, cpu, wall, peak = _fresh(folder, args.runs, jobs_option)
            jobs = len(list((folder / ".ci_support").glob("*.yaml")))
            warm, renders = _warm(folder, args.runs)
            print(
                f"{label:<48} {jobs:>5} {renders:>7} {first:>8.2f}s {cpu:>8.2f}s {wall:>9.2f}s "
                f"{warm:>7.3f}s {peak:>6} MB"
            )


if __name__ == "__main__":
    main()
