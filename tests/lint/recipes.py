"""Clean recipes of both formats that trigger no rule; tests derive bad ones from them."""

from __future__ import annotations

V0 = """\
{% set version = "1.0.0" %}

package:
  name: goodpkg
  version: {{ version }}

source:
  url: https://example.org/goodpkg-{{ version }}.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111

build:
  number: 0

requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  host:
    - zlib
  run:
    - zlib >=1.3

test:
  commands:
    - goodpkg --help

about:
  home: https://example.org/goodpkg
  license: MIT
  license_file: LICENSE
  summary: A good package

extra:
  recipe-maintainers:
    - someone
"""

V1 = """\
schema_version: 1

context:
  version: "1.0.0"

package:
  name: goodpkg
  version: ${{ version }}

source:
  url: https://example.org/goodpkg-${{ version }}.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111

build:
  number: 0

requirements:
  build:
    - ${{ compiler('c') }}
    - ${{ stdlib('c') }}
  host:
    - zlib
  run:
    - zlib >=1.3

tests:
  - script:
      - goodpkg --help

about:
  homepage: https://example.org/goodpkg
  license: MIT
  license_file: LICENSE
  summary: A good package

extra:
  recipe-maintainers:
    - someone
"""

V0_NOARCH = """\
{% set version = "2.0.0" %}

package:
  name: purepy
  version: {{ version }}

source:
  url: https://example.org/purepy-{{ version }}.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111

build:
  number: 0
  noarch: python
  script: {{ PYTHON }} -m pip install . -vv --no-deps --no-build-isolation

requirements:
  host:
    - python {{ python_min }}
    - pip
    - hatchling
  run:
    - python >={{ python_min }}

test:
  requires:
    - python {{ python_min }}
  imports:
    - purepy

about:
  home: https://example.org/purepy
  license: BSD-3-Clause
  license_file: LICENSE
  summary: A pure Python package

extra:
  recipe-maintainers:
    - someone
"""

V1_NOARCH = """\
schema_version: 1

context:
  version: "2.0.0"

package:
  name: purepy
  version: ${{ version }}

source:
  url: https://example.org/purepy-${{ version }}.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111

build:
  number: 0
  noarch: python
  script: ${{ PYTHON }} -m pip install . -vv --no-deps --no-build-isolation

requirements:
  host:
    - python ${{ python_min }}.*
    - pip
    - hatchling
  run:
    - python >=${{ python_min }}

tests:
  - python:
      imports:
        - purepy
      python_version:
        - ${{ python_min }}.*
        - "*"

about:
  homepage: https://example.org/purepy
  license: BSD-3-Clause
  license_file: LICENSE
  summary: A pure Python package

extra:
  recipe-maintainers:
    - someone
"""


def edit(base: str, old: str, new: str) -> str:
    """Replace ``old`` (which must occur) with ``new``."""
    assert old in base, old
    return base.replace(old, new, 1)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line containing ``needle``."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[nth - 1]
