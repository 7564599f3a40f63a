"""Small meta.yaml recipes, a feedstock builder and a small pinning for the conversion tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from smithy.recipe.model import RawRecipe, RecipeFormat
from tests.conftest import write_tree

PINNING = """\
c_compiler:
  - gcc                        # [linux]
  - clang                      # [osx]
  - vs2022                     # [win]
c_compiler_version:
  - 13                         # [linux]
  - 18                         # [osx]
cxx_compiler:
  - gxx                        # [linux]
  - clangxx                    # [osx]
  - vs2022                     # [win]
cxx_compiler_version:
  - 13                         # [linux]
  - 18                         # [osx]
c_stdlib:
  - sysroot                    # [linux]
  - macosx_deployment_target   # [osx]
  - vs                         # [win]
c_stdlib_version:
  - 2.17                       # [linux]
  - 11.0                       # [osx]
  - 2022                       # [win]
python:
  - 3.11.* *_cpython
  - 3.12.* *_cpython
numpy:
  - 2
zlib:
  - 1.3
channel_sources:
  - conda-forge
channel_targets:
  - conda-forge main
docker_image:
  - quay.io/condaforge/linux-anvil-x86_64:alma9   # [linux]
zip_keys:
  -
    - python
"""

CONFIG = """\
# build on the three main platforms
github:
  branch_name: main
"""

# Each construct the converter handles, in one single-output recipe.
CONSTRUCTS = """\
{% set name = "demo" %}
{% set version = "1.2.3" %}
{% set major = version.split('.')[0] %}
{% set build_number = 2 %}

package:
  name: {{ name|lower }}
  version: {{ version }}

source:
  url: https://example.org/{{ name }}-{{ version }}.tar.gz
  sha256: 0000000000000000000000000000000000000000000000000000000000000000
  patches:
    - fix-win.patch  # [win]

build:
  number: {{ build_number }}
  skip: true  # [py<312]
  skip: true  # [osx and arm64]
  script: {{ PYTHON }} -m pip install . -vv  # [unix]
  script: "%PYTHON% -m pip install . -vv"  # [win]
  entry_points:
    - demo = demo.cli:main
  missing_dso_whitelist:
    - "*/libcuda.so*"  # [linux]
  ignore_run_exports:
    - zlib
  run_exports:
    - {{ pin_subpackage(name, max_pin='x.x') }}

requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  host:
    - python
    - pip
    # zlib is only needed for the C extension
    - zlib
    - libwinpthread  # [win]
  run:
    - python
    - numpy >=1.22
    - __unix  # [unix]
    - __win   # [win]
  run_constrained:
    - demo-extras {{ major }}.*

test:
  imports:
    - demo
  requires:
    - pip
  commands:
    - pip check
    - demo --help
    - test -f $PREFIX/bin/demo  # [unix]

about:
  home: https://example.org
  license: MIT
  license_file: LICENSE
  summary: A demo package
  dev_url: https://github.com/example/demo
  doc_url: https://demo.example.org

extra:
  recipe-maintainers:
    - someone
"""

MULTI_OUTPUT = """\
{% set version = "2.0.1" %}

package:
  name: multi-split
  version: {{ version }}

source:
  url: https://example.org/multi-{{ version }}.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111

build:
  number: 1

outputs:
  - name: libmulti
    script: build-lib.sh  # [unix]
    script: build-lib.bat  # [win]
    build:
      run_exports:
        - {{ pin_subpackage('libmulti', max_pin='x') }}
    requirements:
      build:
        - {{ compiler('c') }}
        - {{ stdlib('c') }}
      host:
        - zlib
    test:
      commands:
        - test -f $PREFIX/lib/libmulti.so  # [linux]
  - name: multi-tools
    script: build-tools.sh
    requirements:
      host:
        - {{ pin_subpackage('libmulti', exact=True) }}
      run:
        - {{ pin_subpackage('libmulti', exact=True) }}
        - zlib  # [not win]
    test:
      commands:
        - multi-tool --version
"""

COMPILED = """\
{% set name = "hello-c" %}

package:
  name: {{ name }}
  version: "1.0"

source:
  path: .

build:
  number: 0
  skip: true  # [win]
  script:
    - mkdir -p $PREFIX/bin
    - cc -o $PREFIX/bin/hello-c hello.c  # [unix]

test:
  commands:
    - hello-c  # [unix]

about:
  summary: prints hello
  license: MIT
"""

HELLO_C = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'


def feedstock_files(recipe: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A feedstock tree with ``recipe`` as its meta.yaml and the small pinning beside it."""
    files = {"recipe/meta.yaml": recipe, "conda-forge.yml": CONFIG, "pinning.yaml": PINNING}
    for rel, text in (extra or {}).items():
        files[rel] = text
    return files


@pytest.fixture
def make_feedstock(tmp_path: Path) -> Callable[..., Path]:
    """Write a feedstock holding ``recipe``; returns its root (pinning at ``root/pinning.yaml``)."""

    def make(recipe: str, extra: Mapping[str, str] | None = None, name: str = "demo") -> Path:
        return write_tree(tmp_path / f"{name}-feedstock", feedstock_files(recipe, extra))

    return make


# A multi-output recipe whose top level builds first (build.sh) with its own requirements.
STAGED = """\
package:
  name: staged
  version: "3.1"

build:
  number: 0
  track_features:
    - staged_slow

requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  host:
    - zlib

outputs:
  - name: libstaged
    files:
      - lib/libstaged*
    run_exports:  # [unix]
      weak:  # [unix]
        - {{ pin_subpackage('libstaged') }}  # [unix]
    requirements:
      host:
        - zlib
  - name: staged-tools
    requirements:
      run:
        - {{ pin_subpackage('libstaged', exact=True) }}
"""


def load_yaml(text: str) -> dict:
    """A converted recipe.yaml as plain data."""
    return YAML(typ="safe").load(text)


def raw_recipe(tmp_path: Path, fmt: RecipeFormat, text: str) -> RawRecipe:
    """``text`` written to ``tmp_path`` under its format's file name, ready to render."""
    path = tmp_path / fmt.value
    path.write_text(text)
    return RawRecipe(path=path, format=fmt, text=text, display_path=str(path))
