"""Generated feedstocks of the shapes real ones have, for fleet tests and the fleet benchmark.

Four shapes in turn: a noarch python package, a compiled C library, a python extension built
per python version against numpy, and a two-output library, the compiled ones on six platforms
(three cross-compiled), as conda-forge builds them; each depends on some earlier ones.
"""

from __future__ import annotations

import random
from pathlib import Path

CONFIG = "bot:\n  automerge: true\nconda_build:\n  pkg_format: '2'\n"
# Compiled feedstocks on conda-forge build for six platforms, three of them cross-compiled.
COMPILED_CONFIG = CONFIG + (
    "build_platform:\n  linux_aarch64: linux_64\n  linux_ppc64le: linux_64\n"
    "  osx_arm64: osx_64\n"
    "provider:\n  linux_aarch64: default\n  linux_ppc64le: default\n"
)


def _noarch(name: str, deps: list[str]) -> str:
    run = "".join(f"    - {dep}\n" for dep in ["python >=3.9", *deps])
    return (
        f'{{% set version = "1.{len(name) % 7}.0" %}}\n'
        f"package:\n  name: {name}\n  version: {{{{ version }}}}\n"
        f"source:\n  url: https://example.invalid/{name}-{{{{ version }}}}.tar.gz\n"
        "  sha256: " + "0" * 64 + "\n"
        "build:\n  number: 0\n  noarch: python\n  script: python -m pip install . -vv\n"
        f"requirements:\n  host:\n    - python >=3.9\n    - pip\n  run:\n{run}"
        f"test:\n  imports:\n    - {name.replace('-', '_')}\n"
        f"about:\n  home: https://example.invalid/{name}\n  license: MIT\n"
        "  license_file: LICENSE\n  summary: A generated pure python package\n"
        "extra:\n  recipe-maintainers:\n    - alice\n"
    )


def _clib(name: str, deps: list[str]) -> str:
    host = "".join(f"    - {dep}\n" for dep in ["zlib", *deps])
    return (
        f"package:\n  name: {name}\n  version: 2.1.0\n"
        f"source:\n  url: https://example.invalid/{name}-2.1.0.tar.gz\n"
        "  sha256: " + "1" * 64 + "\n"
        f"build:\n  number: 1\n  run_exports:\n    - {{{{ pin_subpackage('{name}') }}}}\n"
        "requirements:\n  build:\n    - {{ compiler('c') }}\n    - {{ stdlib('c') }}\n"
        "    - make  # [unix]\n"
        f"  host:\n{host}"
        f"test:\n  commands:\n    - test -f $PREFIX/lib/lib{name}.so  # [linux]\n"
        f"about:\n  home: https://example.invalid/{name}\n  license: BSD-3-Clause\n"
        "  license_file: COPYING\n  summary: A generated C library\n"
        "extra:\n  recipe-maintainers:\n    - bob\n"
    )


def _pyext(name: str, deps: list[str]) -> str:
    host = "".join(f"    - {dep}\n" for dep in ["python", "pip", "numpy", *deps])
    return (
        f"package:\n  name: {name}\n  version: 0.9.1\n"
        f"source:\n  url: https://example.invalid/{name}-0.9.1.tar.gz\n"
        "  sha256: " + "2" * 64 + "\n"
        "build:\n  number: 0\n  script: {{ PYTHON }} -m pip install . -vv\n"
        "requirements:\n  build:\n    - {{ compiler('c') }}\n    - {{ stdlib('c') }}\n"
        f"  host:\n{host}  run:\n    - python\n    - numpy\n"
        f"test:\n  imports:\n    - {name.replace('-', '_')}\n"
        f"about:\n  home: https://example.invalid/{name}\n  license: Apache-2.0\n"
        "  license_file: LICENSE\n  summary: A generated python extension\n"
        "extra:\n  recipe-maintainers:\n    - alice\n"
    )


def _multi(name: str, deps: list[str]) -> str:
    host = "".join(f"        - {dep}\n" for dep in deps or ["zlib"])
    return (
        f"package:\n  name: {name}-split\n  version: 3.0.0\n"
        f"source:\n  url: https://example.invalid/{name}-3.0.0.tar.gz\n"
        "  sha256: " + "3" * 64 + "\n"
        "build:\n  number: 0\n"
        "requirements:\n  build:\n    - {{ compiler('c') }}\n    - {{ stdlib('c') }}\n"
        "outputs:\n"
        f"  - name: lib{name}\n    requirements:\n      build:\n        - {{{{ compiler('c') }}}}\n"
        f"        - {{{{ stdlib('c') }}}}\n      host:\n{host}"
        f"  - name: {name}-tools\n    requirements:\n      run:\n"
        f"        - {{{{ pin_subpackage('lib{name}', exact=True) }}}}\n"
        f"about:\n  home: https://example.invalid/{name}\n  license: MIT\n"
        "  license_file: LICENSE\n  summary: A generated split package\n"
        "extra:\n  recipe-maintainers:\n    - bob\n"
    )


SHAPES = (_noarch, _clib, _pyext, _multi)


def make_feedstocks(root: Path, count: int, *, seed: int = 16) -> list[Path]:
    """Write ``count`` feedstocks ``pkgNNNNN-feedstock`` under ``root``; return their folders."""
    rng = random.Random(seed)
    folders = []
    for index in range(count):
        name = f"pkg{index:05d}"
        deps = sorted({f"pkg{rng.randrange(index):05d}" for _ in range(min(index, 2))})
        folder = root / f"{name}-feedstock"
        (folder / "recipe").mkdir(parents=True, exist_ok=True)
        (folder / "recipe" / "meta.yaml").write_text(SHAPES[index % 4](name, deps))
        (folder / "conda-forge.yml").write_text(CONFIG if index % 4 == 0 else COMPILED_CONFIG)
        folders.append(folder)
    return folders
