"""SMY619-SMY623: redundant python_min, testing the newest Python, old rattler-build workarounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.lint.context import LintOptions
from smithy.lint.engine import lint_paths
from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V0_NOARCH, V1, V1_NOARCH, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

V1_CF = {"fmt": "recipe.yaml", "conda_forge": True}


def _set_min(value: str) -> str:
    return edit(V0_NOARCH, '{% set version = "2.0.0" %}\n', f"{{% set python_min = {value} %}}\n")


def _context_min(value: str) -> str:
    return edit(V1_NOARCH, '  version: "2.0.0"\n', f'  version: "2.0.0"\n  python_min: {value}\n')


SAME_V0, LOWER_V0, HIGHER_V0 = _set_min('"3.10"'), _set_min("'3.9'"), _set_min('"3.11"')
SAME_V1, HIGHER_V1 = _context_min('"3.10"'), _context_min('"3.12"')
JINJA_V1 = _context_min("${{ '3.' ~ '9' }}")
CBC = {"recipe/conda_build_config.yaml": "python_min:\n  - '3.9'\n"}
VARIANTS = {"recipe/variants.yaml": 'python_min:\n  - "3.11"\n'}
BOTH_ENDS = '      python_version:\n        - ${{ python_min }}.*\n        - "*"\n'
ONE_END = edit(V1_NOARCH, BOTH_ENDS, "      python_version: ${{ python_min }}.*\n")
NO_VERSION = edit(V1_NOARCH, BOTH_ENDS, "")
CAPPED = edit(
    ONE_END, "    - python >=${{ python_min }}\n", "    - python >=${{ python_min }},<4\n"
)
ABI3_TEST = """\
tests:
  - python:
      imports:
        - goodpkg
      python_version: ${{ python_min }}.*
"""
ABI3 = edit(
    edit(V1, "  number: 0\n", "  number: 0\n  python:\n    version_independent: true\n"),
    "tests:\n  - script:\n      - goodpkg --help\n",
    ABI3_TEST,
)
ABI3_OK = edit(ABI3, "      python_version: ${{ python_min }}.*\n", BOTH_ENDS)
PLAIN_PY = edit(ABI3, "  python:\n    version_independent: true\n", "")
MULTI = """\
schema_version: 1

context:
  version: "2.0.0"

recipe:
  name: purepy-split
  version: ${{ version }}

source:
  url: https://example.org/purepy-${{ version }}.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111

build:
  number: 0
  noarch: python

outputs:
  - package:
      name: purepy
    build:
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
          python_version: ${{ python_min }}.*

about:
  homepage: https://example.org/purepy
  license: BSD-3-Clause
  license_file: LICENSE
  summary: A pure Python package

extra:
  recipe-maintainers:
    - someone
"""
EXPORT = edit(
    V1,
    "  number: 0\n",
    '  number: 0\n  script:\n    - export SP_DIR=$(python -c "import site")\n    - make\n',
)
HARDCODED = edit(
    V1, "  number: 0\n", "  number: 0\n  script:\n    - copy a %PREFIX%\\Lib\\site-packages\n"
)
ENV_KEY = edit(
    V1, "  number: 0\n", "  number: 0\n  script:\n    env:\n      SP_DIR: /x\n    content: make\n"
)
USES = edit(
    V1, "  number: 0\n", "  number: 0\n  script:\n    - cp a $SP_DIR/b\n    - copy a %SP_DIR%\n"
)
CROSS = """\
  ignore_run_exports:
    from_package:
      - if: build_platform != target_platform
        then: cross-python_${{ target_platform }}
      - zlib
"""
CROSS_ABI3 = edit(ABI3_OK, "  run:\n    - zlib >=1.3\n", "  run:\n    - zlib >=1.3\n" + CROSS)
CROSS_NOARCH = edit(V1_NOARCH, "  run:\n", CROSS.replace("zlib", "pip") + "  run:\n")
CROSS_PLAIN = edit(V1, "  run:\n    - zlib >=1.3\n", "  run:\n    - zlib >=1.3\n" + CROSS)

CASES = [
    Case("SMY619", SAME_V0, (1,), conda_forge=True),
    Case("SMY619", LOWER_V0, (1,), conda_forge=True, label="lower"),
    Case("SMY619", HIGHER_V0, (), conda_forge=True),
    Case("SMY619", SAME_V0, (), label="not-conda-forge"),
    Case("SMY619", SAME_V1, (line_of(SAME_V1, "python_min:"),), **V1_CF),
    Case("SMY619", HIGHER_V1, (), **V1_CF),
    Case("SMY619", JINJA_V1, (), label="jinja", **V1_CF),
    Case("SMY619", V0_NOARCH, (2,), files=CBC, conda_forge=True, label="cbc"),
    Case("SMY619", V1_NOARCH, (), files=VARIANTS, label="variants", **V1_CF),
    Case("SMY620", ONE_END, (line_of(ONE_END, "python_version"),), **V1_CF),
    Case("SMY620", NO_VERSION, (line_of(NO_VERSION, "  - python:"),), label="unset", **V1_CF),
    Case("SMY620", MULTI, (line_of(MULTI, "python_version"),), label="multi", **V1_CF),
    Case("SMY620", V1_NOARCH, (), **V1_CF),
    Case("SMY620", CAPPED, (), label="capped", **V1_CF),
    Case("SMY620", ONE_END, (), "recipe.yaml", label="not-conda-forge"),
    Case("SMY621", ABI3, (line_of(ABI3, "python_version"),), **V1_CF),
    Case("SMY621", ABI3_OK, (), **V1_CF),
    Case("SMY621", PLAIN_PY, (), label="not-abi3", **V1_CF),
    Case("SMY621", ONE_END, (), label="noarch", **V1_CF),
    Case("SMY622", EXPORT, (line_of(EXPORT, "export SP_DIR"),), **V1_CF),
    Case("SMY622", HARDCODED, (line_of(HARDCODED, "site-packages"),), label="path", **V1_CF),
    Case("SMY622", ENV_KEY, (line_of(ENV_KEY, "SP_DIR:"),), label="env", **V1_CF),
    Case("SMY622", USES, (), **V1_CF),
    Case("SMY623", CROSS_ABI3, (line_of(CROSS_ABI3, "then: cross-python"),), **V1_CF),
    Case("SMY623", CROSS_NOARCH, (line_of(CROSS_NOARCH, "then: cross"),), label="noarch", **V1_CF),
    Case("SMY623", CROSS_PLAIN, (), label="not-abi3", **V1_CF),
    Case("SMY623", ABI3_OK, (), **V1_CF),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)


def _pinning(folder: Path, python_min: str) -> str:
    folder.mkdir()
    cbc = folder / "conda_build_config.yaml"
    # The default platform's value counts, whatever the order of the entries.
    cbc.write_text(f"python_min:\n  - '3.99'  # [win]\n  - '{python_min}'  # [linux]\n")
    return str(cbc)


@pytest.mark.parametrize(("floor", "found"), [("3.11", [1]), ("3.9", [])])
def test_compares_with_the_pinning_used_for_rendering(tmp_path, floor, found) -> None:
    root = write_feedstock(tmp_path / "feed", HIGHER_V0)  # python_min 3.11
    options = LintOptions(conda_forge=True, pinning=_pinning(tmp_path / "pin", floor))
    result = lint_paths([root], select=["SMY619"], options=options)
    assert [f.line for f in result.findings] == found


def test_variant_file_finding_names_the_file(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", V0_NOARCH, files=CBC)
    [finding] = run_lint(root, ["SMY619"], conda_forge=True).findings
    assert finding.path.endswith("recipe/conda_build_config.yaml")
    assert finding.message == "python_min 3.9 is not above the global pinning's 3.10; remove it"


def test_missing_pinning_gives_no_finding(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", SAME_V0)
    options = LintOptions(conda_forge=True, pinning=str(tmp_path / "absent"))
    assert lint_paths([root], select=["SMY619"], options=options).findings == ()
