"""SMY007: a key repeated in one mapping of the recipe."""

from __future__ import annotations

import pytest

from smithy.lint.rules.duplicate_keys import Duplicate, duplicate_keys
from smithy.lint.tree import parse_lint_tree
from smithy.recipe.model import RecipeFormat
from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

TWICE_V0 = edit(V0, "  number: 0\n", "  number: 0\n  number: 1\n")
TWICE_V1 = edit(V1, "  summary: A good package\n", "  summary: A good package\n  summary: Other\n")
SELECTORS = edit(
    V0, "  number: 0\n", "  number: 0\n  script: a.sh  # [unix]\n  script: b.bat  # [win]\n"
)
# conda-build's selector pattern lets a comment follow the selector
COMMENTED = edit(
    V0,
    "  number: 0\n",
    "  number: 0\n  script: a.sh  # [not (osx and arm64)]  # why\n"
    "  script: b.sh  # [osx and arm64]  # why not\n",
)
ONE_SELECTOR = edit(V0, "  number: 0\n", "  number: 0\n  script: a.sh\n  script: b.bat  # [win]\n")
BRANCHES = edit(
    V0,
    "  number: 0\n",
    "  number: 0\n{% if win %}\n  script: b.bat\n{% else %}\n  script: a.sh\n{% endif %}\n",
)
# Same key in two outputs, and in a nested mapping: not repeats.
SIBLINGS_V1 = edit(
    V1,
    "tests:\n  - script:\n      - goodpkg --help\n",
    "tests:\n  - script:\n      - goodpkg --help\n  - script:\n      - goodpkg -V\n",
)

CASES = [
    Case("SMY007", TWICE_V0, (line_of(TWICE_V0, "number: 1"),)),
    Case("SMY007", TWICE_V1, (line_of(TWICE_V1, "summary: Other"),), "recipe.yaml"),
    Case("SMY007", ONE_SELECTOR, (line_of(ONE_SELECTOR, "b.bat"),), label="one-selector"),
    Case("SMY007", SELECTORS, (), label="selectors"),
    Case("SMY007", COMMENTED, (), label="selectors-with-comments"),
    Case("SMY007", BRANCHES, (), label="branches"),
    Case("SMY007", V0, ()),
    Case("SMY007", SIBLINGS_V1, (), "recipe.yaml", label="siblings"),
    # SMY009: conda-smithy's strict parsers all refuse what SMY007 reports.
    Case("SMY009", TWICE_V0, (line_of(TWICE_V0, "number: 1"),), conda_forge=True),
    Case(
        "SMY009", TWICE_V1, (line_of(TWICE_V1, "summary: Other"),), "recipe.yaml", conda_forge=True
    ),
    Case("SMY009", SELECTORS, (), conda_forge=True, label="selectors"),
    Case("SMY009", V0, (), conda_forge=True),
    Case("SMY009", SIBLINGS_V1, (), "recipe.yaml", conda_forge=True, label="siblings"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)


def _found(text: str) -> list[Duplicate]:
    return duplicate_keys(parse_lint_tree(text, RecipeFormat.V1, "x"), text.split("\n"))


def test_finds_repeats_in_nested_and_list_item_mappings_only() -> None:
    text = """\
a: 1
b:
  c: 1
  d:
    - e: 1
      f: 2
      "e": 3
    - e: 4
  c: 2
desc: |
  a: 1
  a: 2
"""
    assert _found(text) == [Duplicate("e", 5, 7), Duplicate("c", 3, 9)]


def test_three_occurrences_report_the_last_against_the_first() -> None:
    assert _found("x: 1\ny: 2\nx: 3\nx: 4\n") == [Duplicate("x", 1, 4)]
