"""SMY3xx: package name, version, build number and tests."""

from __future__ import annotations

import pytest

from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

BAD_NAME_V0 = edit(V0, "  name: goodpkg", "  name: GoodPkg")
BAD_NAME_V1 = edit(V1, "  name: goodpkg", "  name: Good_Pkg!")
NO_VERSION_V0 = edit(V0, "  version: {{ version }}\n", "")
NO_VERSION_V1 = edit(V1, "  version: ${{ version }}\n", "")
BAD_VERSION_V0 = edit(V0, '{% set version = "1.0.0" %}', '{% set version = "1.0-1" %}')
BAD_VERSION_V1 = edit(V1, '  version: "1.0.0"', '  version: "1..0"')
ZERO_VERSION = edit(V0, '{% set version = "1.0.0" %}', '{% set version = "0" %}')
NO_NUMBER_V0 = edit(V0, "  number: 0\n", "  skip: true  # [win]\n")
NO_NUMBER_V1 = edit(V1, "  number: 0\n", "  script: make\n")
NO_TESTS_V0 = edit(V0, "test:\n  commands:\n    - goodpkg --help\n", "")
NO_TESTS_V1 = edit(V1, "tests:\n  - script:\n      - goodpkg --help\n", "")
MULTI_V0 = NO_TESTS_V0.replace(
    "about:",
    "outputs:\n  - name: libgood\n    test:\n      commands:\n        - test -f x\n"
    "  - name: goodpkg-tools\n\nabout:",
)
MULTI_V1 = edit(NO_TESTS_V1, "package:\n  name: goodpkg", "recipe:\n  name: goodpkg").replace(
    "requirements:\n  build:\n    - ${{ compiler('c') }}\n    - ${{ stdlib('c') }}\n"
    "  host:\n    - zlib\n  run:\n    - zlib >=1.3\n",
    "outputs:\n  - package:\n      name: libgood\n    tests:\n      - script:\n          - test -f x\n"  # noqa: E501
    "  - package:\n      name: goodpkg-tools\n",
)

CASES = [
    Case("SMY301", BAD_NAME_V0, (line_of(BAD_NAME_V0, "package:") + 1,)),
    Case("SMY301", BAD_NAME_V1, (line_of(BAD_NAME_V1, "package:"),), "recipe.yaml"),
    Case("SMY301", V0, ()),
    Case("SMY302", NO_VERSION_V0, (line_of(NO_VERSION_V0, "package:"),)),
    Case("SMY302", NO_VERSION_V1, (line_of(NO_VERSION_V1, "package:"),), "recipe.yaml"),
    Case("SMY302", ZERO_VERSION, (), label="zero"),
    Case("SMY302", V1, (), "recipe.yaml"),
    Case("SMY303", BAD_VERSION_V0, (line_of(BAD_VERSION_V0, "  version: {{ version }}"),)),
    Case("SMY303", BAD_VERSION_V1, (line_of(BAD_VERSION_V1, "  version: ${{"),), "recipe.yaml"),
    Case("SMY303", ZERO_VERSION, (), label="zero"),
    Case("SMY303", V1, (), "recipe.yaml"),
    Case("SMY304", NO_NUMBER_V0, (line_of(NO_NUMBER_V0, "build:"),)),
    Case("SMY304", NO_NUMBER_V1, (line_of(NO_NUMBER_V1, "build:"),), "recipe.yaml"),
    Case("SMY304", V0, ()),
    Case("SMY305", NO_TESTS_V0, (1,)),
    Case("SMY305", NO_TESTS_V1, (1,), "recipe.yaml"),
    Case("SMY305", NO_TESTS_V0, (), files={"recipe/run_test.py": "import goodpkg\n"}, label="file"),
    Case("SMY305", MULTI_V0, (), label="output-tested"),
    Case("SMY305", MULTI_V1, (), "recipe.yaml", label="output-tested"),
    Case("SMY306", MULTI_V0, (line_of(MULTI_V0, "- name: goodpkg-tools"),)),
    Case("SMY306", MULTI_V1, (line_of(MULTI_V1, "name: goodpkg-tools") - 1,), "recipe.yaml"),
    Case("SMY306", V1, (), "recipe.yaml"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)


def test_invalid_version_is_reported_when_only_the_written_tree_is_unreadable(tmp_path) -> None:
    # The `{% else %}` branch is not YAML at this indentation but never renders: the rendered
    # rules run without the written tree (SMY303 used to stop on it, exit 4).
    recipe = edit(
        BAD_VERSION_V0,
        "  number: 0\n",
        "{% if true %}\n  number: 0\n{% else %}\n number: 1\n{% endif %}\n",
    )
    root = write_feedstock(tmp_path / "feed", recipe)
    codes = [finding.code for finding in run_lint(root).findings]
    assert "SMY001" in codes and "SMY303" in codes
