"""SMY61x: python/R host-run pairs, pins, pip usage, build backends, python_min, abi3."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V0_NOARCH, V1, V1_NOARCH, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

HOST_V0 = edit(V0, "    - zlib\n  run:", "    - zlib\n    - python\n  run:")
HOST_V1 = edit(V1, "    - zlib\n  run:", "    - zlib\n    - python\n  run:")
HOST_OK = edit(HOST_V0, "    - zlib >=1.3", "    - zlib >=1.3\n    - python")
RANGE_V0 = edit(HOST_OK, "    - zlib >=1.3\n    - python", "    - zlib >=1.3\n    - python >=3.10")
RANGE_V1 = edit(edit(HOST_V1, "    - zlib >=1.3", "    - zlib >=1.3\n    - python >=3.10"), "", "")
INDEPENDENT = edit(RANGE_V0, "  number: 0", "  number: 0\n  python_version_independent: true")
PIN_COMPAT = edit(
    V0, "  number: 0", "  number: 0\n  run_exports:\n    - {{ pin_compatible('goodpkg') }}"
)
PIN_SUB = edit(V1, "    - zlib >=1.3", "    - zlib >=1.3\n    - ${{ pin_subpackage('zlib') }}")
PIN_OK = edit(
    V0, "  number: 0", "  number: 0\n  run_exports:\n    - {{ pin_subpackage('goodpkg') }}"
)
SETUP_V0 = edit(V0, "  number: 0", "  number: 0\n  script: python setup.py install")
SETUP_V1 = edit(V1, "  number: 0", "  number: 0\n  script:\n    - python setup.py install")
NO_BACKEND_V0 = edit(V0_NOARCH, "    - hatchling\n", "")
NO_BACKEND_V1 = edit(V1_NOARCH, "    - hatchling\n", "")
NO_MIN_V0 = edit(V0_NOARCH, "    - python {{ python_min }}\n    - pip", "    - python\n    - pip")
NO_MIN_V1 = edit(V1_NOARCH, "    - python >=${{ python_min }}", "    - python >=3.10")
ABI3_STR = edit(V0, "  number: 0", "  number: 0\n  skip: true  # [is_abi3 == 'true']")
ABI3 = edit(V1, "    - zlib\n  run:", "    - zlib\n    - python-abi3\n  run:")
ABI3_OK = edit(ABI3, "      - goodpkg --help", "      - goodpkg --help\n      - abi3audit $SP_DIR")

CASES = [
    Case("SMY611", HOST_V0, (line_of(HOST_V0, "    - python"),)),
    Case("SMY611", HOST_V1, (line_of(HOST_V1, "    - python"),), "recipe.yaml"),
    Case("SMY611", HOST_OK, ()),
    Case("SMY612", RANGE_V0, (line_of(RANGE_V0, "python >=3.10"),)),
    Case("SMY612", RANGE_V1, (line_of(RANGE_V1, "python >=3.10"),), "recipe.yaml"),
    Case("SMY612", INDEPENDENT, (), label="independent"),
    Case("SMY612", HOST_OK, ()),
    Case("SMY613", PIN_COMPAT, (line_of(PIN_COMPAT, "pin_compatible"),)),
    Case("SMY613", PIN_SUB, (line_of(PIN_SUB, "pin_subpackage"),), "recipe.yaml"),
    Case("SMY613", PIN_OK, ()),
    # Names built by concatenation are not checked (llvmdev-feedstock).
    Case(
        "SMY613",
        edit(PIN_OK, "pin_subpackage('goodpkg')", "pin_subpackage('good' ~ 'pkg')"),
        (),
        label="concat",
    ),
    Case("SMY614", SETUP_V0, (line_of(SETUP_V0, "setup.py"),)),
    Case("SMY614", SETUP_V1, (line_of(SETUP_V1, "setup.py"),), "recipe.yaml"),
    Case("SMY614", V0_NOARCH, ()),
    Case("SMY615", NO_BACKEND_V0, (line_of(NO_BACKEND_V0, "    - pip"),), conda_forge=True),
    Case(
        "SMY615",
        NO_BACKEND_V1,
        (line_of(NO_BACKEND_V1, "    - pip"),),
        "recipe.yaml",
        conda_forge=True,
    ),
    Case("SMY615", NO_BACKEND_V0, (), label="not-conda-forge"),
    Case("SMY615", V1_NOARCH, (), "recipe.yaml", conda_forge=True),
    Case("SMY616", NO_MIN_V0, (line_of(NO_MIN_V0, "package:"),), conda_forge=True),
    Case("SMY616", NO_MIN_V1, (1,), "recipe.yaml", conda_forge=True),
    Case("SMY616", V0_NOARCH, (), conda_forge=True),
    Case("SMY616", V1_NOARCH, (), "recipe.yaml", conda_forge=True),
    Case("SMY617", ABI3_STR, (line_of(ABI3_STR, "is_abi3"),), conda_forge=True),
    Case("SMY617", V0, (), conda_forge=True),
    Case("SMY618", ABI3, (line_of(ABI3, "build:"),), "recipe.yaml", conda_forge=True),
    Case("SMY618", ABI3_OK, (), "recipe.yaml", conda_forge=True),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
