"""Time parse + render of generated multi-output recipes (both formats) across 6 platforms.

Run: python benchmarks/bench_parse.py [--repeat N]
Prints, per recipe format: the first (cold) render per platform, the warm mean per render, and
the end-to-end ``smithy.api.render`` time for all six platforms and every variant used.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from smithy import api
from smithy.platforms import MAIN_PLATFORMS
from smithy.recipe.load import load_recipe
from smithy.recipe.model import RenderContext
from smithy.recipe.render import render_recipe

N_OUTPUTS = 4

V0_HEAD = """{% set version = "3.1.4" %}
package:
  name: benchlib-split
  version: {{ version }}
source:
  url: https://example.org/benchlib-{{ version }}.tar.gz
  sha256: 4e5f0c3a0d8a1c9e2b7f6a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b
build:
  number: 2
  skip: true  # [win and py<311]
requirements:
  build:
    - {{ compiler('c') }}
    - {{ compiler('cxx') }}
    - {{ stdlib('c') }}
    - cmake
outputs:
"""
V0_OUTPUT = """  - name: benchlib-part{i}
    script: build_part.sh  # [unix]
    script: build_part.bat  # [win]
    build:
      run_exports:
        - {{{{ pin_subpackage('benchlib-part{i}', max_pin='x.x') }}}}
    requirements:
      build:
        - {{{{ compiler('c') }}}}
        - {{{{ stdlib('c') }}}}
        - make  # [unix]
      host:
        - python
        - numpy
        - zlib
        - libcurl  # [not win]
      run:
        - python
        - {{{{ pin_compatible('numpy') }}}}
    test:
      imports:
        - benchlib.part{i}
"""
V1_HEAD = """schema_version: 1
context:
  version: "3.1.4"
recipe:
  name: benchlib-split
  version: ${{ version }}
source:
  url: https://example.org/benchlib-${{ version }}.tar.gz
  sha256: 4e5f0c3a0d8a1c9e2b7f6a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b
build:
  number: 2
  skip:
    - win and match(python, "<3.11")
outputs:
"""
V1_OUTPUT = """  - package:
      name: benchlib-part{i}
    requirements:
      build:
        - ${{{{ compiler('c') }}}}
        - ${{{{ stdlib('c') }}}}
        - if: unix
          then: make
      host:
        - python
        - numpy
        - zlib
        - if: not win
          then: libcurl
      run:
        - python
        - ${{{{ pin_compatible('numpy') }}}}
      run_exports:
        - ${{{{ pin_subpackage('benchlib-part{i}', upper_bound='x.x') }}}}
    tests:
      - python:
          imports:
            - benchlib.part{i}
"""


def _write_recipes(root: Path) -> dict[str, Path]:
    v0 = root / "v0" / "recipe"
    v1 = root / "v1" / "recipe"
    v0.mkdir(parents=True)
    v1.mkdir(parents=True)
    (v0 / "meta.yaml").write_text(
        V0_HEAD + "".join(V0_OUTPUT.format(i=i) for i in range(N_OUTPUTS))
    )
    (v1 / "recipe.yaml").write_text(
        V1_HEAD + "".join(V1_OUTPUT.format(i=i) for i in range(N_OUTPUTS))
    )
    return {"meta.yaml": v0.parent, "recipe.yaml": v1.parent}


def _ms(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


VARIANT = {
    "python": "3.12.* *_cpython",
    "numpy": "2",
    "c_compiler": "gcc",
    "c_compiler_version": "15",
    "cxx_compiler": "gxx",
    "cxx_compiler_version": "15",
    "c_stdlib": "sysroot",
    "c_stdlib_version": "2.17",
    "zlib": "1.3",
    "libcurl": "8",
}


def _bench_format(name: str, feedstock: Path, repeat: int) -> list[str]:
    raw = load_recipe(feedstock)
    known = frozenset(VARIANT)
    contexts = [
        RenderContext(platform=p, build_platform=p, variant=VARIANT, known_variables=known)
        for p in MAIN_PLATFORMS
    ]
    cold = [_ms(lambda c=c: render_recipe(raw, c)) for c in contexts]
    warm = [_ms(lambda c=c: render_recipe(raw, c)) for _ in range(repeat) for c in contexts]
    full = [_ms(lambda: api.render(feedstock)) for _ in range(max(1, repeat // 10))]
    return [
        f"{name:<12} {sum(cold) / len(cold):>10.2f} {statistics.mean(warm):>10.3f} "
        f"{statistics.median(full):>14.1f}"
    ]


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50, help="warm renders per platform")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        recipes = _write_recipes(Path(tmp))
        print(f"{N_OUTPUTS}-output recipe, {len(MAIN_PLATFORMS)} platforms, times in ms")
        print(f"{'format':<12} {'cold/plat':>10} {'warm/plat':>10} {'api.render all':>14}")
        for name, feedstock in recipes.items():
            for line in _bench_format(name, feedstock, args.repeat):
                print(line)


if __name__ == "__main__":
    main()
