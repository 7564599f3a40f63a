"""kill -9 real `smithy rerender` runs inside their write phase; count the trees left behind.

A feedstock with a ~2,100-job matrix (350 values of one key on six platforms) is generated in a
temporary folder. Each trial switches its recipe's conda_build_config.yaml between two value
sets (so a rerender updates, creates and removes hundreds of files), starts `smithy rerender`,
waits for its first staged file, sleeps a random part of the write phase and sends SIGKILL.
Then `smithy rerender --check` (the next smithy command) runs, and the generated files are
compared with the two complete trees: after recovery every trial must match one of them
exactly, with nothing extra.

Usage: python benchmarks/kill_rerender.py [--trials N] [--values N]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RECIPE = """\
package:
  name: bigmatrix
  version: 1.0.0
source:
  url: https://example.org/big-1.0.0.tar.gz
  sha256: 0000000000000000000000000000000000000000000000000000000000000000
build:
  number: 0
requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  host:
    - flavor {{ flavor }}
about:
  license: MIT
  summary: a feedstock with a very large matrix
extra:
  recipe-maintainers:
    - someone
"""

SIX_PLATFORMS = """\
provider:
  linux_aarch64: default
  linux_ppc64le: default
  osx_arm64: default
build_platform:
  osx_arm64: osx_64
"""

WORK_AREA = ".smithy-apply"
Tree = dict[str, tuple[bytes, bool] | None]


def _cbc(first: int, count: int) -> str:
    return "flavor:\n" + "".join(f"  - '{value}'\n" for value in range(first, first + count))


def _tree(root: Path) -> Tree:
    """Every file and folder outside recipe/ (which the trials edit themselves)."""
    found: Tree = {}
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        if base.relative_to(root).parts[:1] == ("recipe",):
            continue
        for name in dirs:
            found[(base / name).relative_to(root).as_posix()] = None
        for name in files:
            path = base / name
            found[path.relative_to(root).as_posix()] = (
                path.read_bytes(),
                bool(path.stat().st_mode & 0o111),
            )
    return found


def _smithy(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("SMITHY_PINNING", None)
    command = [sys.executable, "-m", "smithy", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _run_and_watch(root: Path, kill_after: float | None) -> float:
    """Run a rerender; return seconds from its first staged file to its end (or the kill)."""
    process = _smithy("rerender", "-q", str(root))
    staged = root / WORK_AREA / "new"
    while not staged.exists() and process.poll() is None:
        time.sleep(0.001)
    seen = time.monotonic()
    if kill_after is not None and process.poll() is None:
        time.sleep(kill_after)
        process.send_signal(signal.SIGKILL)
    process.wait()
    return time.monotonic() - seen


def main() -> None:
    """Generate the feedstock, run the trials and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--values", type=int, default=350, help="values per platform")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "big-feedstock"
        (root / "recipe").mkdir(parents=True)
        (root / "recipe" / "meta.yaml").write_text(RECIPE)
        (root / "conda-forge.yml").write_text(SIX_PLATFORMS)
        cbc = root / "recipe" / "conda_build_config.yaml"
        shift = args.values // 3
        configs = {"a": _cbc(0, args.values), "b": _cbc(shift, args.values)}
        trees: dict[str, Tree] = {}
        write_seconds = 0.0
        for name in ("a", "b"):
            cbc.write_text(configs[name])
            write_seconds = max(write_seconds, _run_and_watch(root, None))
            trees[name] = _tree(root)
        jobs = sum(1 for path in trees["b"] if path.endswith(".yaml") and "ci_support/" in path)
        print(f"feedstock: {jobs} job files; write phase {write_seconds:.2f} s (wall)")
        rng = random.Random(14)
        counts = {"broken right after the kill": 0, "a": 0, "b": 0, "neither after recovery": 0}
        state = "b"
        for _ in range(args.trials):
            wanted = "a" if state == "b" else "b"
            cbc.write_text(configs[wanted])
            _run_and_watch(root, rng.uniform(0, write_seconds))
            if _tree(root) not in trees.values():
                counts["broken right after the kill"] += 1
            check = _smithy("rerender", "--check", "-q", str(root))
            check.wait()
            after = _tree(root)
            matched = [name for name, tree in trees.items() if tree == after]
            if not matched:
                counts["neither after recovery"] += 1
                state = wanted  # force the next trial to rewrite everything
                continue
            state = matched[0]
            counts[state] += 1
        print(f"trials: {args.trials}")
        for name, count in counts.items():
            print(f"  {name}: {count}")


if __name__ == "__main__":
    main()
