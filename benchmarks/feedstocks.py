"""Generate the benchmark feedstocks, shaped like the heaviest real conda-forge ones.

Each generator writes a feedstock (``recipe/``, ``conda-forge.yml``, optional
``.ci_support/migrations/``) under a folder and returns its root. The embedded default pinning
of smithy is used to rerender them, so nothing outside the repository is read.
"""

from __future__ import annotations

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

# ---- multi-output CUDA x python meta.yaml (shaped like pytorch/cupy/jaxlib feedstocks) ----

CUDA_HEAD = """\
{% set name = "benchcuda" %}
{% set version = "2.7.1" %}
{% set build = 3 %}
{% if cuda_compiler_version in (None, "None", True, False) %}
{% set cuda_major = 0 %}
{% set build = build + 200 %}
{% else %}
{% set cuda_major = environ.get("cuda_compiler_version", "12.9").split(".")[0] | int %}
{% endif %}
{% set target_name = "x86_64-linux" %}  # [linux64]
{% set target_name = "sbsa-linux" %}  # [aarch64]
{% set target_name = "x64" %}  # [win]

package:
  name: {{ name }}-split
  version: {{ version }}

source:
  - url: https://example.org/{{ name }}-{{ version }}.tar.gz
    sha256: 1111111111111111111111111111111111111111111111111111111111111111
  - url: https://example.org/{{ name }}-data-{{ version }}.tar.gz  # [linux]
    sha256: 2222222222222222222222222222222222222222222222222222222222222222  # [linux]
    folder: data  # [linux]

build:
  number: {{ build }}
  skip: true  # [ppc64le or (osx and cuda_compiler_version != "None")]
  string: cuda{{ cuda_compiler_version | replace('.', '') }}_py{{ CONDA_PY }}_h{{ PKG_HASH }}_{{ build }}  # [cuda_compiler_version != "None"]
  string: cpu_py{{ CONDA_PY }}_h{{ PKG_HASH }}_{{ build }}  # [cuda_compiler_version == "None"]

requirements:
  build:
    - {{ compiler('c') }}
    - {{ compiler('cxx') }}
    - {{ stdlib('c') }}
    - {{ compiler('cuda') }}  # [cuda_compiler_version != "None"]
    - cmake
    - ninja
  host:
    - python
    - numpy
    - pip
    - setuptools
    - libblas * *{{ blas_impl }}
    - liblapack
    - zlib
    - libprotobuf
    - libabseil
    {% if cuda_major >= 12 %}
    - cuda-version {{ cuda_compiler_version }}
    - cuda-cudart-dev
    - libcublas-dev
    - libcusparse-dev
    - libcufft-dev
    - nccl  # [linux]
    - cudnn
    {% endif %}

outputs:
"""

CUDA_OUTPUT = """\
  - name: {name}
    script: build_{index}.sh  # [unix]
    script: build_{index}.bat  # [win]
    build:
      string: cuda{{{{ cuda_compiler_version | replace('.', '') }}}}_py{{{{ CONDA_PY }}}}_h{{{{ PKG_HASH }}}}_{{{{ build }}}}  # [cuda_compiler_version != "None"]
      string: cpu_py{{{{ CONDA_PY }}}}_h{{{{ PKG_HASH }}}}_{{{{ build }}}}  # [cuda_compiler_version == "None"]
      run_exports:
        - {{{{ pin_subpackage('{name}', max_pin='x.x') }}}}
      ignore_run_exports_from:
        - {{{{ compiler('cuda') }}}}  # [cuda_compiler_version != "None"]
      missing_dso_whitelist:
        - '*/libcuda.*'  # [linux]
        - '*/nvcuda.dll'  # [win]
    requirements:
      build:
        - {{{{ compiler('c') }}}}
        - {{{{ compiler('cxx') }}}}
        - {{{{ stdlib('c') }}}}
        - {{{{ compiler('cuda') }}}}  # [cuda_compiler_version != "None"]
        - cross-python_{{{{ target_platform }}}}  # [build_platform != target_platform]
        - python  # [build_platform != target_platform]
        - numpy  # [build_platform != target_platform]
        - cmake
        - ninja
      host:
        - python
        - numpy
        - pip
        - libblas
        - zlib
        - libprotobuf
        {prev}
        {{% if cuda_major >= 12 %}}
        - cuda-version {{{{ cuda_compiler_version }}}}
        - cuda-cudart-dev
        - libcublas-dev
        - nccl  # [linux]
        - cudnn
        {{% endif %}}
      run:
        - python
        - {{{{ pin_compatible('numpy') }}}}
        {prev}
        - __cuda  # [cuda_compiler_version != "None"]
        - {{{{ pin_compatible('cuda-version', min_pin='x', max_pin='x') }}}}  # [cuda_compiler_version != "None"]
      run_constrained:
        - {{{{ name }}}}-cpu ==99999  # [cuda_compiler_version != "None"]
        - {{{{ name }}}}-gpu ==99999  # [cuda_compiler_version == "None"]
    test:
      requires:
        - pip
      imports:
        - {module}
        - {module}.core
      commands:
        - pip check
        - test -f $SP_DIR/{module}/__init__.py  # [unix]
        - if not exist %SP_DIR%\\{module}\\__init__.py exit 1  # [win]
    about:
      home: https://example.org/{name}
      license: BSD-3-Clause
      license_file: LICENSE
      summary: part {index} of a benchmark CUDA x python package
"""

CUDA_TAIL = """
about:
  home: https://example.org/benchcuda
  license: BSD-3-Clause
  license_file: LICENSE
  summary: a benchmark multi-output CUDA x python package

extra:
  feedstock-name: benchcuda
  recipe-maintainers:
    - someone
    - someone-else
"""

# Three CUDA columns (cpu, 12.6, 12.9) zipped with the compilers, as pytorch-like feedstocks pin.
CUDA_CBC = """\
cuda_compiler_version:
  - None
  - 12.6                       # [(linux and (x86_64 or aarch64)) or win64]
  - 12.9                       # [(linux and (x86_64 or aarch64)) or win64]
c_compiler_version:            # [linux and (x86_64 or aarch64)]
  - 14                         # [linux and (x86_64 or aarch64)]
  - 13                         # [linux and (x86_64 or aarch64)]
  - 14                         # [linux and (x86_64 or aarch64)]
cxx_compiler_version:          # [linux and (x86_64 or aarch64)]
  - 14                         # [linux and (x86_64 or aarch64)]
  - 13                         # [linux and (x86_64 or aarch64)]
  - 14                         # [linux and (x86_64 or aarch64)]
fortran_compiler_version:      # [linux and (x86_64 or aarch64)]
  - 14                         # [linux and (x86_64 or aarch64)]
  - 13                         # [linux and (x86_64 or aarch64)]
  - 14                         # [linux and (x86_64 or aarch64)]
c_stdlib_version:              # [linux and (x86_64 or aarch64)]
  - 2.17                       # [linux and (x86_64 or aarch64)]
  - 2.17                       # [linux and (x86_64 or aarch64)]
  - 2.28                       # [linux and (x86_64 or aarch64)]
numpy:
  - '2.0'
  - '2.2'
  - '2.3'
blas_impl:
  - openblas
  - mkl                        # [x86_64]
"""

CUDA_FORGE = """\
provider:
  linux_aarch64: default
  osx_arm64: default
build_platform:
  osx_arm64: osx_64
"""


def cuda_recipe(outputs: int = 5) -> str:
    """A multi-output meta.yaml: CUDA columns x python, selectors and jinja in every output."""
    parts = [CUDA_HEAD]
    for index in range(outputs):
        name = f"benchcuda-part{index}"
        prev = f"- {{{{ pin_subpackage('benchcuda-part{index - 1}', exact=True) }}}}"
        parts.append(
            CUDA_OUTPUT.format(
                name=name, index=index, module=f"benchcuda_part{index}", prev=prev if index else ""
            )
        )
    parts.append(CUDA_TAIL)
    return "".join(parts)


# ---- 20-output recipe.yaml with staging outputs and migrations ----

V1_HEAD = """\
schema_version: 1

context:
  name: benchsuite
  version: "9.4.0"
  build_number: 4

recipe:
  name: ${{ name }}-split
  version: ${{ version }}

source:
  - url: https://example.org/${{ name }}-${{ version }}.tar.gz
    sha256: 3333333333333333333333333333333333333333333333333333333333333333
  - if: win
    then:
      - path: patches/win
        target_directory: patches

build:
  number: ${{ build_number }}
  skip:
    - ppc64le

about:
  homepage: https://example.org/benchsuite
  license: Apache-2.0
  license_file: LICENSE
  summary: a benchmark 20-output suite with staging builds

extra:
  recipe-maintainers:
    - someone

outputs:
"""

V1_STAGING = """\
  - staging:
      name: {name}-build
    requirements:
      build:
        - ${{{{ compiler('c') }}}}
        - ${{{{ compiler('cxx') }}}}
        - ${{{{ stdlib('c') }}}}
        - cmake
        - ninja
        - if: unix
          then: make
      host:
        - zlib
        - libcurl
        - openssl
        - libprotobuf
        - libabseil
        - libboost-devel
        - if: linux
          then:
            - libxml2
            - icu
    build:
      script:
        - if: unix
          then: bash ${{{{ RECIPE_DIR }}}}/build_{name}.sh
          else: call %RECIPE_DIR%\\build_{name}.bat
"""

V1_LIBRARY = """\
  - package:
      name: lib{name}{index}
    inherit: {name}-build
    build:
      files:
        - lib/lib{name}{index}*
        - include/{name}{index}/
    requirements:
      host:
        - zlib
        - libcurl
        - openssl
        - libprotobuf
        - libabseil
      run:
        - if: linux
          then: libxml2
      run_exports:
        - ${{{{ pin_subpackage('lib{name}{index}', upper_bound='x.x') }}}}
    tests:
      - package_contents:
          lib:
            - {name}{index}
"""

V1_PYTHON = """\
  - package:
      name: py{name}{index}
    build:
      script:
        - ${{{{ PYTHON }}}} -m pip install ./python/{name}{index} -vv --no-deps
    requirements:
      build:
        - if: build_platform != target_platform
          then:
            - python
            - cross-python_${{{{ target_platform }}}}
        - ${{{{ compiler('cxx') }}}}
        - ${{{{ stdlib('c') }}}}
      host:
        - python
        - pip
        - numpy
        - ${{{{ pin_subpackage('lib{name}{index}', exact=True) }}}}
      run:
        - python
        - ${{{{ pin_subpackage('lib{name}{index}', exact=True) }}}}
    tests:
      - python:
          imports:
            - {name}{index}
"""

V1_DOCS = """\
  - package:
      name: {name}-docs
    build:
      noarch: generic
      script: cp -r docs $PREFIX/share/{name}
    requirements:
      run:
        - ${{{{ pin_subpackage('lib{name}0', lower_bound='x.x', upper_bound='x.x') }}}}
"""

V1_CBC = """\
libboost_devel:
  - '1.88'
"""

# Eight migrations as a feedstock accumulates them between rerenders.
MIGRATED_KEYS = (
    ("zlib", "2"),
    ("libcurl", "9"),
    ("openssl", "4"),
    ("libprotobuf", "7.36.0"),
    ("libabseil", "20270101"),
    ("libxml2", "2.16"),
    ("icu", "79"),
    ("numpy", "2.4"),
)


def migration(index: int, key: str, value: str) -> str:
    """A version migration for ``key`` in the pinning's own format."""
    return (
        f"migrator_ts: {1780000000 + index * 1000}\n"
        "__migrator:\n"
        "  kind: version\n"
        "  migration_number: 1\n"
        "  build_number: 1\n"
        "  use_local: true\n"
        f"  commit_message: Rebuild for {key} {value}\n"
        f"{key}:\n"
        f"  - '{value}'\n"
    )


def staging_recipe(outputs: int = 20) -> str:
    """A recipe.yaml with two staging builds feeding 20 outputs (libraries, python, docs)."""
    parts = [V1_HEAD, V1_STAGING.format(name="core"), V1_STAGING.format(name="extra")]
    made = 0
    index = 0
    while made < outputs - 1:
        name = "core" if index % 2 == 0 else "extra"
        parts.append(V1_LIBRARY.format(name=name, index=index))
        made += 1
        if made < outputs - 1:
            parts.append(V1_PYTHON.format(name=name, index=index))
            made += 1
        index += 1
    parts.append(V1_DOCS.format(name="core"))
    return "".join(parts)


def write_feedstock(
    root: Path,
    name: str,
    recipe: tuple[str, str],
    cbc: str | None = None,
    forge: str = SIX_PLATFORMS,
    migrations: dict[str, str] | None = None,
) -> Path:
    """Write ``<root>/<name>-feedstock`` with the recipe ``(file name, text)`` and extras."""
    folder = root / f"{name}-feedstock"
    (folder / "recipe").mkdir(parents=True)
    (folder / "recipe" / recipe[0]).write_text(recipe[1])
    if cbc:
        cbc_name = "variants.yaml" if recipe[0] == "recipe.yaml" else "conda_build_config.yaml"
        (folder / "recipe" / cbc_name).write_text(cbc)
    (folder / "conda-forge.yml").write_text(forge)
    if migrations:
        target = folder / ".ci_support" / "migrations"
        target.mkdir(parents=True)
        for file_name, text in migrations.items():
            (target / file_name).write_text(text)
    return folder


REPO = Path(__file__).resolve().parents[1]


def heavy_feedstocks(root: Path) -> list[tuple[str, Path]]:
    """Write the three heavy benchmark feedstocks; return ``(label, folder)`` pairs."""
    # The pinning's own python 3.14 migration, as a feedstock carries it: a fifth python.
    python314 = (REPO / "ci_support" / "migrations" / "python314.yaml").read_text()
    migrations = {
        f"{key}{value.replace('.', '')}.yaml": migration(i, key, value)
        for i, (key, value) in enumerate(MIGRATED_KEYS)
    }
    return [
        (
            "multi-output CUDA x python (meta.yaml)",
            write_feedstock(
                root,
                "benchcuda",
                ("meta.yaml", cuda_recipe()),
                CUDA_CBC,
                forge=CUDA_FORGE,
                migrations={"python314.yaml": python314},
            ),
        ),
        (
            "20 outputs, staging, 8 migrations (recipe.yaml)",
            write_feedstock(
                root,
                "benchsuite",
                ("recipe.yaml", staging_recipe()),
                V1_CBC,
                migrations=migrations,
            ),
        ),
        (
            "python x numpy x mpi (meta.yaml)",
            write_feedstock(root, "benchmpi", ("meta.yaml", PYTHON_MPI), MATRIX_CBC),
        ),
    ]


def small_feedstock(root: Path) -> tuple[str, Path]:
    """The one-output C library on six platforms."""
    return "1 output, 6 platforms", write_feedstock(root, "benchlib", ("meta.yaml", C_LIBRARY))
