"""Run ``smithy convert --dry-run`` over a folder of meta.yaml feedstocks; print a table.

Each feedstock runs in its own ``python -m smithy`` process (CPU time measured with wait4,
start-up included), so the figures are what a user sees for one feedstock.

Run: python benchmarks/convert_corpus.py CORPUS [--pinning P] [-j 2] [--repeat 3] [--json out.json]

``--repeat N`` runs each feedstock N times and keeps the least CPU time (a shared machine only
ever adds time); the summary counts the feedstocks converted in under a second.

CORPUS is a folder of feedstocks (each holding recipe/meta.yaml), or a folder holding
``feedstocks/`` and an ``index.json`` (``[{name, pinning_version, recipe_format}]``) whose
``pinnings/<pinning_version>/`` gives each feedstock the pinning it was last rerendered with.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Job:
    name: str
    feedstock: Path
    pinning: Path | None


@dataclass(frozen=True)
class Outcome:
    name: str
    clean: bool
    issues: int
    differences: int
    cause: str
    cpu_s: float


def find_jobs(corpus: Path, pinning: Path | None) -> list[Job]:
    """Feedstocks with a meta.yaml, each with its pinning."""
    index = corpus / "index.json"
    if index.is_file():
        entries = json.loads(index.read_text())
        return [
            Job(e["name"], corpus / "feedstocks" / e["name"], pinning or _pinning(corpus, e))
            for e in sorted(entries, key=lambda e: e["name"])
            if (corpus / "feedstocks" / e["name"] / "recipe" / "meta.yaml").is_file()
        ]
    return [
        Job(path.name, path, pinning)
        for path in sorted(corpus.iterdir())
        if (path / "recipe" / "meta.yaml").is_file()
    ]


def _pinning(corpus: Path, entry: dict[str, str]) -> Path | None:
    folder = corpus / "pinnings" / entry.get("pinning_version", "")
    return folder if folder.is_dir() else None


def _cause(data: dict) -> str:
    """The first reason the conversion is not clean, in a few words."""
    if data["issues"]:
        first = data["issues"][0]
        return f"issue line {first['line']}: {first['message']}"
    if data["differences"]:
        first = data["differences"][0]
        return f"{first['platform']} {first['output']} {first['field']}: {first['after']}"[:160]
    return ""


def run_one(job: Job, python: str) -> Outcome:
    """Convert one feedstock (dry run) in a fresh process; CPU time from wait4."""
    command = [python, "-m", "smithy", "convert", str(job.feedstock), "--dry-run"]
    command += ["--format", "json"]
    if job.pinning is not None:
        command += ["--pinning", str(job.pinning)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here: wait4 gives the child's rusage
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    cpu = usage.ru_utime + usage.ru_stime
    if code not in (0, 1):
        line = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        return Outcome(job.name, False, 0, 0, f"exit {code}: {line[0][:150]}", cpu)
    data = json.loads(stdout)
    return Outcome(
        job.name, data["clean"], len(data["issues"]), len(data["differences"]), _cause(data), cpu
    )


def run_best(job: Job, python: str, repeat: int) -> Outcome:
    """``run_one`` ``repeat`` times; the outcome with the least CPU time."""
    return min((run_one(job, python) for _ in range(max(1, repeat))), key=lambda o: o.cpu_s)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pinning", type=Path, default=None)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per feedstock (least CPU)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    jobs = find_jobs(args.corpus, args.pinning)
    if args.only:
        jobs = [job for job in jobs if job.name in args.only]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(lambda job: run_best(job, args.python, args.repeat), jobs))
    print(f"{'feedstock':<18} {'clean':<5} {'issues':>6} {'diffs':>5} {'cpu_s':>6}  first cause")
    for o in outcomes:
        flag = "yes" if o.clean else "no"
        print(f"{o.name:<18} {flag:<5} {o.issues:>6} {o.differences:>5} {o.cpu_s:>6.2f}  {o.cause}")
    clean = sum(o.clean for o in outcomes)
    cpu = sorted(o.cpu_s for o in outcomes)
    median = cpu[len(cpu) // 2] if cpu else 0.0
    fast = sum(seconds < 1.0 for seconds in cpu)
    print(
        f"\nclean: {clean} of {len(outcomes)} ({100 * clean / max(1, len(outcomes)):.0f}%); "
        f"cpu per feedstock: median {median:.2f} s, max {max(cpu, default=0):.2f} s, "
        f"under 1 s: {fast} of {len(outcomes)}"
    )
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
