"""Time `smithy migration next|status` over generated feedstocks and `smithy solvable` on a
large synthetic repodata.

Run: python benchmarks/bench_migration.py [--dirs 1000] [--records 50000]

Each command runs in a fresh process; CPU time (user+sys of the child) is reported next to wall
time because the machine is shared. "cold" parses every recipe; "warm" reads the parse cache.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smithy import api  # noqa: E402
from tests.bot.ecosystem import MIGRATION, PINNING_CBC, meta_yaml, recipe_yaml  # noqa: E402


def write_feedstocks(root: Path, count: int) -> None:
    """``count`` feedstocks: a third use libffi, each may depend on up to 3 earlier ones."""
    rng = random.Random(11)
    for i in range(count):
        deps = sorted({f"p{rng.randrange(i)}" for _ in range(min(i, 3))}) if i else []
        host = (("libffi",) if i % 3 == 0 else ()) + tuple(deps)
        make = meta_yaml if i % 2 else recipe_yaml
        folder = root / f"p{i}-feedstock" / "recipe"
        folder.mkdir(parents=True)
        file = "meta.yaml" if i % 2 else "recipe.yaml"
        (folder / file).write_text(make(f"p{i}", host=host, run=tuple(deps[:1])))


def run_cli(argv: list[str]) -> tuple[float, float, str]:
    """(wall seconds, child CPU seconds, stdout) of one smithy command in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "smithy", *argv], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"smithy {' '.join(argv)} failed: {done.stderr.strip()}")
    return wall, cpu, done.stdout


def write_repodata(channel: Path, count: int) -> None:
    """``count`` records over count/10 names (ten versions each); past the first 20 names each
    depends on two of those 20 (the core libraries most packages need)."""
    rng = random.Random(5)
    names = max(count // 10, 10)
    packages = {}
    for i in range(count):
        name, version = f"pkg{i % names}", f"{i // names}.0"
        depends = [f"pkg{rng.randrange(20)} >=0" for _ in range(2)] if i % names >= 20 else []
        packages[f"{name}-{version}-h0_0.tar.bz2"] = {
            "name": name,
            "version": version,
            "build": "h0_0",
            "build_number": 0,
            "depends": depends,
            "subdir": "linux-64",
            "md5": "0" * 32,
            "size": 1,
        }
    for subdir, content in (("linux-64", packages), ("noarch", {})):
        (channel / subdir).mkdir(parents=True)
        data = {"info": {"subdir": subdir}, "packages": content, "packages.conda": {}}
        (channel / subdir / "repodata.json").write_text(json.dumps(data))


def migration_rows(workdir: Path, dirs: int) -> list[tuple[str, str, float, float]]:
    pinning = workdir / "pin"
    (pinning / "migrations").mkdir(parents=True)
    (pinning / "conda_build_config.yaml").write_text(PINNING_CBC)
    (pinning / "migrations" / "libffi35.yaml").write_text(MIGRATION)
    write_feedstocks(workdir / "fs", dirs)
    cache = ["--cache-dir", str(workdir / "cache"), "--pinning", str(pinning)]
    rows = []
    for label in ("cold", "warm", "warm"):
        wall, cpu, out = run_cli(["migration", "next", "libffi35", str(workdir / "fs"), *cache])
        rows.append((f"migration next, {dirs} feedstocks, {label}", out.splitlines()[0], wall, cpu))
    wall, cpu, out = run_cli(["migration", "status", "libffi35", str(workdir / "fs"), *cache])
    rows.append(
        (f"migration status, {dirs} feedstocks, warm", out.splitlines()[-1][:60], wall, cpu)
    )
    return rows


def solvable_rows(workdir: Path, records: int) -> list[tuple[str, str, float, float]]:
    channel = workdir / "channel"
    write_repodata(channel, records)
    feedstock = workdir / "big-feedstock"
    (feedstock / "recipe").mkdir(parents=True)
    (feedstock / "recipe" / "recipe.yaml").write_text(
        recipe_yaml("big", host=("pkg30", "pkg400 >=2", "pkg4000"), run=("pkg30",))
    )
    (feedstock / "conda-forge.yml").write_text("{}\n")
    pinning = workdir / "pin" / "conda_build_config.yaml"
    argv = ["solvable", str(feedstock), "-c", str(channel), "--pinning", str(pinning)]
    argv += ["--solver-cache", str(workdir / "rattler"), "--job", "linux_64_"]
    rows = []
    for _ in range(2):  # in this process: render the feedstock, read repodata, solve
        start, cpu_start = time.perf_counter(), time.process_time()
        (job,) = api.solvable(
            feedstock,
            api.Channels((str(channel),), workdir / "rattler"),
            pinning=str(pinning),
            jobs=["linux_64_"],
        )
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        verdict = "solvable" if job.solvable else "NOT solvable"
        rows.append((f"api.solvable, {records} records, 1 job", verdict, wall, cpu))
    for label in ("first", "again"):
        wall, cpu, out = run_cli(argv)
        rows.append(
            (f"smithy solvable, {records} records ({label})", out.splitlines()[-1], wall, cpu)
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dirs", type=int, default=1_000)
    parser.add_argument("--records", type=int, default=50_000)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    workdir = Path(tempfile.mkdtemp(prefix="smithy-bench-migration-"))
    try:
        rows = migration_rows(workdir, args.dirs) + solvable_rows(workdir, args.records)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    detail = max(len(r[1]) for r in rows)
    print(f"{'step':<{width}}  {'result':<{detail}}  wall s  cpu s")
    for step, result, wall, cpu in rows:
        print(f"{step:<{width}}  {result:<{detail}}  {wall:6.2f}  {cpu:5.2f}")


if __name__ == "__main__":
    main()
