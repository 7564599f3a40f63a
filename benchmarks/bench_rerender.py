"""Time `smithy rerender` end to end (a fresh interpreter per run) on generated feedstocks.

Two feedstocks are generated in a temporary folder and rerendered with the embedded default
pinning: a one-output C library on six platforms, and a python x numpy x mpi extension whose
matrix has 200+ jobs. Each run is a new process, so the times include interpreter start-up,
imports, rendering, collapsing and writing every file.

Usage: python benchmarks/bench_rerender.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIX_PLATFORMS = """\
provider:
  linux_aarch64: default
  linux_ppc64le: default
  osx_arm64: default
build_platform:
  osx_arm64: osx_64
"""

C_LIBRARY = """\
{% set version = "1.2.3" %}
package:
  name: benchlib
  version: {{ version }}
source:
  url: https://example.org/benchlib-{{ version }}.tar.gz
  sha256: 0000000000000000000000000000000000000000000000000000000000000000
build:
  number: 0
  run_exports:
    - {{ pin_subpackage('benchlib', max_pin='x') }}
requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
    - cmake
  host:
    - zlib
test:
  commands:
    - test -f $PREFIX/lib/libbench.so  # [linux]
about:
  license: MIT
  summary: a benchmark library
extra:
  recipe-maintainers:
    - someone
"""

PYTHON_MPI = """\
{% set version = "4.5.6" %}
package:
  name: benchmpi
  version: {{ version }}
source:
  url: https://example.org/benchmpi-{{ version }}.tar.gz
  sha256: 0000000000000000000000000000000000000000000000000000000000000000
build:
  number: 0
  skip: true  # [win]
requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  host:
    - python
    - numpy
    - {{ mpi }}
    - pip
  run:
    - python
    - {{ mpi }}
about:
  license: BSD-3-Clause
  summary: a benchmark python x numpy x mpi extension
extra:
  recipe-maintainers:
    - someone
"""

MATRIX_CBC = """\
numpy:
  - '1.26'
  - '2.0'
  - '2.2'
  - '2.3'
mpi:
  - mpich
  - openmpi
  - nompi
"""


def _feedstock(root: Path, name: str, recipe: str, cbc: str | None) -> Path:
    folder = root / f"{name}-feedstock"
    (folder / "recipe").mkdir(parents=True)
    (folder / "recipe" / "meta.yaml").write_text(recipe)
    if cbc:
        (folder / "recipe" / "conda_build_config.yaml").write_text(cbc)
    (folder / "conda-forge.yml").write_text(SIX_PLATFORMS)
    return folder


def _time_runs(folder: Path, runs: int) -> tuple[list[float], int]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("SMITHY_PINNING", None)
    times: list[float] = []
    for _ in range(runs):
        for child in folder.iterdir():  # start each run from the bare recipe
            if child.name not in ("recipe", "conda-forge.yml"):
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "smithy", "rerender", "-q", str(folder)],
            check=True,
            env=env,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    jobs = len(list((folder / ".ci_support").glob("*.yaml")))
    return times, jobs


def main() -> None:
    """Generate the feedstocks, time the rerenders and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cases = [
            ("1 output, 6 platforms", _feedstock(root, "benchlib", C_LIBRARY, None), 0.5),
            ("python x numpy x mpi", _feedstock(root, "benchmpi", PYTHON_MPI, MATRIX_CBC), 3.0),
        ]
        print(f"{'case':<24} {'jobs':>5} {'median s':>9} {'min s':>7} {'target s':>9}")
        for label, folder, target in cases:
            times, jobs = _time_runs(folder, args.runs)
            median, best = statistics.median(times), min(times)
            print(f"{label:<24} {jobs:>5} {median:>9.3f} {best:>7.3f} {target:>9.1f}")


if __name__ == "__main__":
    main()
