"""Recipe texts for bump tests, in both formats; ``BASE`` is the local server's address."""

from __future__ import annotations

ABOUT = """
about:
  home: https://example.org/tinypkg
  summary: A tiny package for tests
  license: MIT
  license_file: LICENSE

extra:
  recipe-maintainers:
    - someone
"""

META_PYPI = (
    """{% set name = "tinypkg" %}
{% set version = "1.0.0" %}  # the bot edits this line

package:
  name: {{ name|lower }}
  version: {{ version }}

source:
  url: BASE/packages/source/{{ name[0] }}/{{ name }}/{{ name }}-{{ version }}.tar.gz
  sha256: OLD_SHA

build:
  number: 3  # rebuilt three times
  noarch: python
  script: {{ PYTHON }} -m pip install . -vv --no-deps --no-build-isolation

requirements:
  host:
    - python {{ python_min }}
    - pip
    - setuptools
  run:
    - python >={{ python_min }}

test:
  imports:
    - tinypkg
  commands:
    - pip check
  requires:
    - pip
    - python {{ python_min }}
"""
    + ABOUT
)

RECIPE_GITHUB = """context:
  name: tinypkg
  version: "1.0.0"  # upstream tags as v<version>

package:
  name: ${{ name }}
  version: ${{ version }}

source:
  url: BASE/owner/tinypkg/archive/refs/tags/v${{ version }}.tar.gz
  sha256: OLD_SHA

build:
  number: 2
  noarch: python
  script: ${{ PYTHON }} -m pip install . -vv --no-deps --no-build-isolation

requirements:
  host:
    - python ${{ python_min }}.*
    - pip
    - setuptools
  run:
    - python >=${{ python_min }}

tests:
  - python:
      imports:
        - tinypkg
      python_version: ${{ python_min }}.*
""" + ABOUT.replace("home:", "homepage:")

# Two sources: the package from PyPI and its data from GitHub, both following the version,
# plus a third that does not (a fixed file) and must keep its checksum.
META_TWO_SOURCES = META_PYPI.replace(
    """source:
  url: BASE/packages/source/{{ name[0] }}/{{ name }}/{{ name }}-{{ version }}.tar.gz
  sha256: OLD_SHA
""",
    """source:
  - url: BASE/packages/source/{{ name[0] }}/{{ name }}/{{ name }}-{{ version }}.tar.gz
    sha256: OLD_SHA
  - url: BASE/owner/tinydata/archive/v{{ version }}.tar.gz
    sha256: DATA_SHA
    folder: data
  - url: BASE/fixed/extra.tar.gz
    sha256: FIXED_SHA
    folder: extra
""",
)

# One binary per platform: each selector line carries its own url and sha256.
META_PER_PLATFORM = META_PYPI.replace(
    """source:
  url: BASE/packages/source/{{ name[0] }}/{{ name }}/{{ name }}-{{ version }}.tar.gz
  sha256: OLD_SHA
""",
    """source:
  url: BASE/dist/{{ version }}/tinypkg-{{ version }}-linux.tar.gz  # [linux]
  sha256: LINUX_SHA  # [linux]
  url: BASE/dist/{{ version }}/tinypkg-{{ version }}-osx.tar.gz  # [osx]
  sha256: OSX_SHA  # [osx]
  url: BASE/dist/{{ version }}/tinypkg-{{ version }}-win.tar.gz  # [win]
  sha256: WIN_SHA  # [win]
""",
)

RECIPE_PER_PLATFORM = RECIPE_GITHUB.replace(
    """source:
  url: BASE/owner/tinypkg/archive/refs/tags/v${{ version }}.tar.gz
  sha256: OLD_SHA
""",
    "source:\n"
    + "".join(
        f"""  - if: {os_}
    then:
      url: BASE/dist/${{{{ version }}}}/tinypkg-${{{{ version }}}}-{os_}.tar.gz
      sha256: {os_.upper()}_SHA
"""
        for os_ in ("linux", "osx", "win")
    ),
)
