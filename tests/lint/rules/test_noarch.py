"""SMY60x: noarch values, selectors in noarch recipes, python bounds, noarch suggestions."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V0_NOARCH, V1, V1_NOARCH, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

BAD_NOARCH_V0 = edit(V0_NOARCH, "  noarch: python", "  noarch: pure")
BAD_NOARCH_V1 = edit(V1_NOARCH, "  noarch: python", "  noarch: true")
SEL_V0 = edit(
    V0_NOARCH,
    "    - python >={{ python_min }}",
    "    - python >={{ python_min }}\n    - pywin32  # [win]",
)
SKIP_V0 = edit(V0_NOARCH, "  number: 0", "  number: 0\n  skip: true  # [py<310]")
IF_V1 = edit(
    V1_NOARCH,
    "    - python >=${{ python_min }}",
    "    - python >=${{ python_min }}\n    - if: win\n      then: pywin32",
)
SKIP_V1 = edit(V1_NOARCH, "  number: 0", "  number: 0\n  skip: win")
OUTPUT_SKIP_V1 = V1.replace("package:\n  name: goodpkg", "recipe:\n  name: goodpkg").replace(
    "tests:\n",
    "outputs:\n  - package:\n      name: goodpkg-py\n    build:\n      noarch: python\n"
    "      skip: not linux\n    tests:\n      - script: [true]\n\ntests:\n",
)
PLATFORMS = {"conda-forge.yml": "noarch_platforms:\n  - linux_64\n  - win_64\n"}
NO_BOUND_V0 = edit(V0_NOARCH, "    - python >={{ python_min }}", "    - python")
NO_BOUND_V1 = edit(V1_NOARCH, "    - python >=${{ python_min }}", "    - python")
PIP_V0 = edit(
    edit(V0, "    - {{ compiler('c') }}\n    - {{ stdlib('c') }}\n", "    - python\n    - pip\n"),
    "    - zlib\n",
    "    - python\n",
)
PIP_V1 = edit(
    edit(V1, "    - ${{ compiler('c') }}\n    - ${{ stdlib('c') }}\n", "    - python\n    - pip\n"),
    "    - zlib\n",
    "    - python\n",
)
# conda-smithy looks for pip in the build requirements only.
PIP_IN_HOST_V0 = edit(
    edit(V0, "    - {{ compiler('c') }}\n    - {{ stdlib('c') }}\n", "    - python\n"),
    "    - zlib\n",
    "    - python\n    - pip\n",
)

CASES = [
    Case("SMY601", BAD_NOARCH_V0, (line_of(BAD_NOARCH_V0, "noarch:"),)),
    Case("SMY601", BAD_NOARCH_V1, (line_of(BAD_NOARCH_V1, "noarch:"),), "recipe.yaml"),
    Case("SMY601", V0_NOARCH, ()),
    Case("SMY602", SEL_V0, (line_of(SEL_V0, "pywin32"),)),
    Case("SMY602", SKIP_V0, (line_of(SKIP_V0, "skip:"),), label="skip"),
    Case("SMY602", SEL_V0, (), files=PLATFORMS, label="noarch-platforms"),
    Case("SMY602", V0_NOARCH, ()),
    Case("SMY603", IF_V1, (line_of(IF_V1, "- if: win"),), "recipe.yaml"),
    Case("SMY603", SKIP_V1, (line_of(SKIP_V1, "skip:"),), "recipe.yaml", label="skip"),
    Case("SMY603", IF_V1, (), "recipe.yaml", files=PLATFORMS, label="noarch-platforms"),
    Case("SMY603", V1_NOARCH, (), "recipe.yaml"),
    # A noarch output may skip to be built once (polars, py-rattler feedstocks do this).
    Case("SMY603", OUTPUT_SKIP_V1, (), "recipe.yaml", label="output-skip"),
    Case("SMY604", NO_BOUND_V0, (line_of(NO_BOUND_V0, "  run:") + 1,)),
    Case("SMY604", NO_BOUND_V1, (line_of(NO_BOUND_V1, "  run:") + 1,), "recipe.yaml"),
    Case("SMY604", V1_NOARCH, (), "recipe.yaml"),
    Case("SMY605", PIP_V0, (line_of(PIP_V0, "build:"),)),
    Case("SMY605", PIP_V1, (line_of(PIP_V1, "build:"),), "recipe.yaml"),
    Case("SMY605", V0, ()),
    Case("SMY605", V0_NOARCH, (), label="already-noarch"),
    Case("SMY605", PIP_IN_HOST_V0, (), label="pip-in-host"),
    Case("SMY605", PIP_V1, (), "recipe.yaml", conda_forge=True, label="feedstock"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
