"""One-defect recipes on which conda-smithy reports a lint or hint, in both recipe formats.

Each bad case is a clean fixture recipe with one defect that conda-smithy's linter reports
(the identifier is in the case's label); smithy must report it under the mapped SMY code on
the line given. Each good case is the nearest recipe conda-smithy accepts.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smithy.lint.registry import get
from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V0, V0_NOARCH, V1, V1_NOARCH, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

CF = "conda-forge.yml"
CBC = "recipe/conda_build_config.yaml"

NUMPY_XX_V0 = edit(V0, "    - {{ stdlib('c') }}\n", "    - {{ stdlib('c') }}\n    - numpy x.x\n")
NUMPY_XX_V1 = edit(V1, "    - ${{ stdlib('c') }}\n", "    - ${{ stdlib('c') }}\n    - numpy x.x\n")
NUMPY_V1 = edit(V1, "    - ${{ stdlib('c') }}\n", "    - ${{ stdlib('c') }}\n    - numpy\n")
TOOLCHAIN_V0 = edit(V0, "    - {{ stdlib('c') }}\n", "    - {{ stdlib('c') }}\n    - toolchain\n")
TOOLCHAIN_V1 = edit(V1, "    - ${{ stdlib('c') }}\n", "    - ${{ stdlib('c') }}\n    - toolchain\n")
ABI3_V0 = edit(V0, "  number: 0\n", "  number: 0\n  python_version_independent: true\n")
ABI3_TYPO_V0 = edit(V0, "  number: 0\n", "  number: 0\n  python_version_independant: true\n")

_TARBALL_V0 = "  url: https://example.org/goodpkg-{{ version }}.tar.gz"
_TARBALL_V1 = "  url: https://example.org/goodpkg-${{ version }}.tar.gz"
_COMPILED = "-cp312-cp312-manylinux_2_17_x86_64.whl"
COMPILED_WHEEL_V0 = edit(V0, _TARBALL_V0, _TARBALL_V0.replace(".tar.gz", _COMPILED))
COMPILED_WHEEL_V1 = edit(V1, _TARBALL_V1, _TARBALL_V1.replace(".tar.gz", _COMPILED))
PURE_WHEEL_V0 = edit(V0, _TARBALL_V0, _TARBALL_V0.replace(".tar.gz", "-py3-none-any.whl"))
PURE_WHEEL_V1 = edit(V1, _TARBALL_V1, _TARBALL_V1.replace(".tar.gz", "-py3-none-any.whl"))
_NOARCH_V0 = "  url: https://example.org/purepy-{{ version }}.tar.gz"
_NOARCH_V1 = "  url: https://example.org/purepy-${{ version }}.tar.gz"
NOARCH_WHEEL_V0 = edit(V0_NOARCH, _NOARCH_V0, _NOARCH_V0.replace(".tar.gz", "-py3-none-any.whl"))
NOARCH_WHEEL_V1 = edit(V1_NOARCH, _NOARCH_V1, _NOARCH_V1.replace(".tar.gz", "-py3-none-any.whl"))

FLOAT_V0 = edit(V0, '{% set version = "1.0.0" %}', '{% set version = "2.10" %}')
FLOAT_QUOTED_V0 = edit(FLOAT_V0, "  version: {{ version }}", '  version: "{{ version }}"')
# conda-smithy's YAML reader (1.2) allows "_" between digits: 1.1_0 is the number 1.1.
FLOAT_UNDERSCORE_V0 = edit(
    edit(V0, '{% set version = "1.0.0" %}', '{% set version = "1.1-0" %}'),
    "  version: {{ version }}",
    '  version: {{ version|replace("-", "_") }}',
)
FLOAT_V1 = edit(V1, '  version: "1.0.0"', "  version: 2.10")
FLOAT_PACKAGE_V1 = edit(V1, "  version: ${{ version }}", "  version: 2.0")

UNKNOWN_LICENSE_V0 = edit(V0, "license: MIT", "license: unknown")
UNKNOWN_LICENSE_V1 = edit(V1, "license: MIT", "license: unknown")

BAD_VERSION_V0 = edit(V0, '{% set version = "1.0.0" %}', '{% set version = "2.0.0~alpha0" %}')
BAD_VERSION_V1 = edit(V1, '  version: "1.0.0"', '  version: "2.0.0~alpha0"')

OLD_AZURE_VARIABLE = "azure:\n  settings_linux:\n    variables:\n      CONDA_BLD_PATH: /tmp/b\n"
AZURE_VARIABLE = "azure:\n  settings_linux:\n    variables:\n      MY_SETTING: '1'\n"

# Two values per key are read as [x86_64, arm64]; the arm64 SDK is below arm64's target.
SDK_BELOW_CBC = (
    "c_stdlib_version:  # [osx]\n"
    "  - '11.0'  # [osx and x86_64]\n"
    "  - '12.0'  # [osx and arm64]\n"
    "MACOSX_SDK_VERSION:  # [osx]\n"
    "  - '11.0'  # [osx and x86_64]\n"
    "  - '11.0'  # [osx and arm64]\n"
)
SDK_MATCHING_CBC = SDK_BELOW_CBC.replace(
    "  - '11.0'  # [osx and arm64]", "  - '12.0'  # [osx and arm64]"
)
SDK_BELOW_VARIANTS = (
    "c_stdlib_version:\n"
    "  - if: osx and x86_64\n    then: '11.0'\n"
    "  - if: osx and arm64\n    then: '12.0'\n"
    "MACOSX_SDK_VERSION:\n"
    "  - if: osx and x86_64\n    then: '11.0'\n"
    "  - if: osx and arm64\n    then: '11.0'\n"
)

CASES = [
    # the legacy numpy x.x pin (conda-smithy checks the build list of both formats).
    Case("SMY406", NUMPY_XX_V0, (line_of(NUMPY_XX_V0, "numpy x.x"),), label="R-017"),
    Case("SMY406", NUMPY_XX_V1, (line_of(NUMPY_XX_V1, "numpy x.x"),), "recipe.yaml"),
    Case("SMY406", NUMPY_V1, (), "recipe.yaml", label="R-017"),
    # R0-006: the toolchain package (conda-smithy checks it for recipe.yaml too).
    Case("SMY407", TOOLCHAIN_V0, (line_of(TOOLCHAIN_V0, "- toolchain"),), label="R0-006"),
    Case("SMY407", TOOLCHAIN_V1, (line_of(TOOLCHAIN_V1, "- toolchain"),), "recipe.yaml"),
    Case("SMY407", V1, (), "recipe.yaml", label="R0-006"),
    # python_version_independent is a conda-build key; a misspelling of it is not.
    Case("SMY103", ABI3_V0, (), label="R-018-abi3"),
    Case("SMY103", ABI3_TYPO_V0, (line_of(ABI3_TYPO_V0, "independant"),), label="R-018"),
    # wheel urls holding jinja (`{{ version }}` has spaces).
    Case("SMY502", COMPILED_WHEEL_V0, (line_of(COMPILED_WHEEL_V0, "url:"),), label="R-028"),
    Case("SMY502", COMPILED_WHEEL_V1, (line_of(COMPILED_WHEEL_V1, "url:"),), "recipe.yaml"),
    Case("SMY502", PURE_WHEEL_V0, (), label="R-028-pure"),
    Case("SMY503", PURE_WHEEL_V0, (line_of(PURE_WHEEL_V0, "url:"),), label="R-029"),
    Case("SMY503", PURE_WHEEL_V1, (line_of(PURE_WHEEL_V1, "url:"),), "recipe.yaml"),
    Case("SMY503", NOARCH_WHEEL_V0, (), label="R-029-noarch"),
    Case("SMY504", NOARCH_WHEEL_V0, (line_of(NOARCH_WHEEL_V0, "url:"),), label="R-030"),
    Case("SMY504", NOARCH_WHEEL_V1, (line_of(NOARCH_WHEEL_V1, "url:"),), "recipe.yaml"),
    Case("SMY504", PURE_WHEEL_V1, (), "recipe.yaml", label="R-030-not-noarch"),
    # values YAML 1.2 reads as floats; in meta.yaml after jinja, as conda-smithy reads.
    Case("SMY107", FLOAT_V0, (line_of(FLOAT_V0, "  version: {{"),), label="R-040"),
    Case("SMY107", FLOAT_UNDERSCORE_V0, (line_of(FLOAT_UNDERSCORE_V0, "replace"),), label="1.1_0"),
    Case("SMY107", FLOAT_QUOTED_V0, (), label="R-040-quoted"),
    Case("SMY107", FLOAT_V1, (line_of(FLOAT_V1, "  version: 2.10"),), "recipe.yaml"),
    Case("SMY107", FLOAT_PACKAGE_V1, (line_of(FLOAT_PACKAGE_V1, "version: 2.0"),), "recipe.yaml"),
    Case("SMY107", V1, (), "recipe.yaml", label="R-040"),
    # both fire on `license: unknown`.
    Case("SMY204", UNKNOWN_LICENSE_V0, (line_of(UNKNOWN_LICENSE_V0, "license:"),), label="R-007"),
    Case("SMY207", UNKNOWN_LICENSE_V0, (line_of(UNKNOWN_LICENSE_V0, "license:"),), label="R-044"),
    Case("SMY207", UNKNOWN_LICENSE_V1, (line_of(UNKNOWN_LICENSE_V1, "license:"),), "recipe.yaml"),
    # the version line, in both formats.
    Case("SMY303", BAD_VERSION_V0, (line_of(BAD_VERSION_V0, "  version: {{"),), label="R-016"),
    Case("SMY303", BAD_VERSION_V1, (line_of(BAD_VERSION_V1, "  version: ${{"),), "recipe.yaml"),
    # CF-007: deprecated Azure variables on any OS.
    Case("SMY802", V0, (4,), files={CF: OLD_AZURE_VARIABLE}, label="CF-007"),
    Case("SMY802", V1, (4,), "recipe.yaml", files={CF: OLD_AZURE_VARIABLE}, label="CF-007"),
    Case("SMY802", V0, (), files={CF: AZURE_VARIABLE}, label="CF-007"),
    # CBC-001: per-architecture SDKs compared pairwise with the deployment targets.
    Case("SMY906", V0, (4,), files={CBC: SDK_BELOW_CBC}, conda_forge=True, label="CBC-001"),
    Case("SMY906", V0, (), files={CBC: SDK_MATCHING_CBC}, conda_forge=True, label="CBC-001"),
    Case(
        "SMY906",
        V1,
        (line_of(SDK_BELOW_VARIANTS, "MACOSX_SDK_VERSION"),),
        "recipe.yaml",
        files={"recipe/variants.yaml": SDK_BELOW_VARIANTS},
        conda_forge=True,
        label="CBC-001",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_conda_smithy_verdict(tmp_path: Path, case: Case) -> None:
    run_case(tmp_path, case)


@pytest.mark.parametrize(("fmt", "recipe"), [("meta.yaml", V0), ("recipe.yaml", V1)])
def test_unreadable_build_script_is_a_shellcheck_failure(tmp_path: Path, fmt, recipe) -> None:
    """R-043: conda-smithy hands every recipe/*.sh to shellcheck, which cannot read a dangling
    link; smithy reports the script, as conda-smithy reports the failure."""
    root = write_feedstock(tmp_path / "feed", recipe, fmt, {CF: "shellcheck:\n  enabled: true\n"})
    os.symlink(tmp_path / "missing.sh", root / "recipe" / "build.sh")
    findings = run_lint(root, ["SMY807"]).findings
    assert [(f.code, Path(f.path).name) for f in findings] == [("SMY807", "build.sh")]


def test_unknown_license_reports_both_identifiers(tmp_path: Path) -> None:
    root = write_feedstock(tmp_path / "feed", UNKNOWN_LICENSE_V1, "recipe.yaml")
    codes = {f.code for f in run_lint(root, ["SMY2"]).findings}
    assert {"SMY204", "SMY207"} <= codes


def test_duplicate_key_maps_to_r036_and_r037() -> None:
    assert get("R-036").code == "SMY009"
    assert get("R-037").code == "SMY007"


def test_linux_only_stdlib_is_not_an_osx_pin(tmp_path: Path) -> None:
    """RC-001: conda-smithy drops values whose selector names linux (linux64 too) for osx."""
    cbc = "c_stdlib_version:  # [linux64]\n  - '2.17'  # [linux64]\n"
    root = write_feedstock(tmp_path / "feed", V0, files={CBC: cbc})
    assert run_lint(root, ["SMY905", "SMY906"], conda_forge=True).findings == ()
