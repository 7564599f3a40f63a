"""Parity of `smithy rerender` with conda-smithy on a corpus of real feedstocks.

The corpus (kept outside the repository) is a folder holding ``index.json`` (entries with
``name``, ``commit``, ``pinning_version``, ``recipe_format``), ``feedstocks/<name>/`` (each
feedstock's tree at its last conda-smithy rerender) and ``pinnings/<version>/`` (the
conda-forge pinning that rerender used: ``conda_build_config.yaml`` and ``migrations/``).

For each feedstock: copy it to a temporary folder, delete its ``.ci_support/*.yaml``, run
``smithy rerender --pinning pinnings/<version>`` with the given interpreter and compare the
files written with conda-smithy's: the set of names, the bytes of each file, and (for the files
whose bytes differ) the loaded YAML, to tell layout differences from value differences.
``.ci_support/README`` and ``.ci_support/migrations/`` are not compared. ``--lint`` runs
``smithy lint --conda-forge`` on each recipe instead and records the exit code and codes found.

Usage: python benchmarks/parity.py [--corpus DIR] [--python PATH] [--only NAME...] [-j N]
                                   [--lint] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ruamel.yaml

DEFAULT_CORPUS = Path("/work/corpus")
TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class Comparison:
    """How two ``.ci_support`` folders differ.

    Attributes:
        expected: file names conda-smithy wrote.
        got: file names smithy wrote.
        byte_different: names in both whose bytes differ.
        value_different: of those, names whose loaded YAML differs too (not only layout).
    """

    expected: tuple[str, ...]
    got: tuple[str, ...]
    byte_different: tuple[str, ...]
    value_different: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.expected) - set(self.got)))

    @property
    def extra(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.got) - set(self.expected)))

    @property
    def identical(self) -> bool:
        return self.expected == self.got and not self.byte_different

    def first_difference(self) -> str:
        """One short phrase naming the first thing that differs ('' when identical)."""
        if self.missing:
            return f"missing {self.missing[0]}"
        if self.extra:
            return f"extra {self.extra[0]}"
        if self.value_different:
            return f"values {self.value_different[0]}"
        if self.byte_different:
            return f"layout {self.byte_different[0]}"
        return ""


@dataclass
class Result:
    """One feedstock's run: what was compared (rerender) or found (lint), and how it went."""

    name: str
    recipe_format: str
    exit_code: int
    seconds: float
    cpu_seconds: float
    stderr: str = ""
    comparison: Comparison | None = None
    lint_codes: list[str] = field(default_factory=list)


def ci_support_files(folder: Path) -> dict[str, bytes]:
    """The compared files of a ``.ci_support`` folder: top-level ``*.yaml``, by name."""
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml")) if p.is_file()}


def _load(data: bytes) -> Any:
    try:
        return ruamel.yaml.YAML(typ="safe", pure=True).load(data)
    except ruamel.yaml.YAMLError as exc:
        return f"<unreadable YAML: {exc}>"


def compare_ci_support(expected_dir: Path, got_dir: Path) -> Comparison:
    """Compare conda-smithy's ``.ci_support`` with smithy's, by name, bytes and value."""
    expected, got = ci_support_files(expected_dir), ci_support_files(got_dir)
    common = sorted(set(expected) & set(got))
    byte_different = tuple(name for name in common if expected[name] != got[name])
    value_different = tuple(
        name for name in byte_different if _load(expected[name]) != _load(got[name])
    )
    return Comparison(tuple(sorted(expected)), tuple(sorted(got)), byte_different, value_different)


def smithy_command(python: str) -> list[str]:
    return [python, "-m", "smithy"]


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0].strip()[:200] if lines else ""


@dataclass(frozen=True)
class Run:
    """A finished smithy process: exit code, output, wall and CPU (user + sys) seconds."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float


def _run(command: list[str], cwd: Path) -> Run:
    """Run ``command``; CPU time is the child's own (``wait4``), so ``-j`` runs do not mix."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        timer = threading.Timer(TIMEOUT_SECONDS, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        if proc.returncode == -signal.SIGKILL and seconds >= TIMEOUT_SECONDS:
            stderr = f"timed out after {TIMEOUT_SECONDS}s"
        return Run(
            proc.returncode, out.read().decode(errors="replace"), stderr, seconds,
            usage.ru_utime + usage.ru_stime,
        )  # fmt: skip


def _copy_feedstock(source: Path, tmp: Path, name: str) -> Path:
    target = tmp / f"{name}-feedstock"
    shutil.copytree(source, target, symlinks=True)
    for stale in (target / ".ci_support").glob("*.yaml"):
        stale.unlink()
    return target


def rerender_one(corpus: Path, entry: dict[str, str], python: str) -> Result:
    source = corpus / "feedstocks" / entry["name"]
    pinning = corpus / "pinnings" / entry["pinning_version"]
    with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
        target = _copy_feedstock(source, Path(tmp), entry["name"])
        command = [*smithy_command(python), "rerender", "--quiet", "--pinning", str(pinning)]
        run = _run([*command, str(target)], Path(tmp))
        comparison = compare_ci_support(source / ".ci_support", target / ".ci_support")
    return Result(
        entry["name"], entry["recipe_format"], run.exit_code, run.seconds, run.cpu_seconds,
        _first_line(run.stderr), comparison,
    )  # fmt: skip


def lint_codes(stdout: str) -> list[str]:
    """The sorted distinct finding codes of a ``smithy lint --format json`` report."""
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        return []
    findings = report.get("findings", []) if isinstance(report, dict) else []
    return sorted({str(f.get("code")) for f in findings if isinstance(f, dict)})


def lint_one(corpus: Path, entry: dict[str, str], python: str) -> Result:
    source = corpus / "feedstocks" / entry["name"]
    pinning = corpus / "pinnings" / entry["pinning_version"]
    command = [*smithy_command(python), "lint", "--conda-forge", "--format", "json"]
    run = _run([*command, "--pinning", str(pinning), str(source)], source)
    return Result(
        entry["name"], entry["recipe_format"], run.exit_code, run.seconds, run.cpu_seconds,
        _first_line(run.stderr), lint_codes=lint_codes(run.stdout),
    )  # fmt: skip


def _rerender_row(result: Result) -> str:
    c = result.comparison
    assert c is not None
    status = "yes" if c.identical and result.exit_code == 0 else "NO"
    detail = c.first_difference() or (f"exit {result.exit_code}" if result.exit_code else "")
    if result.exit_code:
        detail = f"exit {result.exit_code}: {result.stderr}"
    counts = f"{len(c.expected):>4} {len(c.got):>4} {len(c.byte_different):>4}"
    return (
        f"{result.name:<22} {result.recipe_format:<11} {status:<4} {counts} "
        f"{result.seconds:7.2f} {result.cpu_seconds:7.2f}  {detail}"
    )


def _lint_row(r: Result) -> str:
    shown = [*r.lint_codes, r.stderr] if r.exit_code in (2, 3, 4) else r.lint_codes
    detail = " ".join(shown).strip()
    times = f"{r.seconds:7.2f} {r.cpu_seconds:7.2f}"
    return f"{r.name:<22} {r.recipe_format:<11} {r.exit_code:>4} {times}  {detail}"


def _summary(results: list[Result], lint: bool) -> str:
    if lint:
        refused = sum(1 for r in results if r.exit_code in (3, 4))
        return f"lint ran {len(results) - refused}/{len(results)} (exit 3/4 on {refused})"
    same = sum(1 for r in results if r.exit_code == 0 and r.comparison and r.comparison.identical)
    return f"identical {same}/{len(results)}"


def load_entries(corpus: Path, only: Iterable[str]) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = json.loads((corpus / "index.json").read_text())
    wanted = set(only)
    unknown = wanted - {e["name"] for e in entries}
    if unknown:
        raise SystemExit(f"parity: not in the corpus: {', '.join(sorted(unknown))}")
    return [e for e in entries if not wanted or e["name"] in wanted]


def _as_json(result: Result) -> dict[str, Any]:
    data = asdict(result)
    if result.comparison is not None:
        c = result.comparison
        data["comparison"].update(
            identical=c.identical, missing=c.missing, extra=c.extra, first=c.first_difference()
        )
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--python", default=sys.executable, help="interpreter that has smithy")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--lint", action="store_true", help="run smithy lint instead")
    parser.add_argument("--json", type=Path, help="write every result here as JSON")
    args = parser.parse_args(argv)

    entries = load_entries(args.corpus, args.only)
    one: Callable[[Path, dict[str, str], str], Result] = lint_one if args.lint else rerender_one
    if args.lint:
        row, header = _lint_row, f"{'exit':>4} {'wall_s':>7} {'cpu_s':>7}  codes"
    else:
        row, header = (
            _rerender_row,
            f"{'same':<4} {'exp':>4} {'got':>4} {'diff':>4} {'wall_s':>7} {'cpu_s':>7}",
        )
    print(f"{'name':<22} {'format':<11} {header}", flush=True)
    results: list[Result] = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for result in pool.map(lambda e: one(args.corpus, e, args.python), entries):
            print(row(result), flush=True)  # in corpus order, as soon as each is done
            results.append(result)
    print(_summary(results, args.lint))
    if args.json:
        args.json.write_text(json.dumps([_as_json(r) for r in results], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
