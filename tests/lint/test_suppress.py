"""Suppressions: linter.skip in conda-forge.yml (codes, names, conda-smithy names), inline."""

from __future__ import annotations

import pytest

from tests.lint.helpers import codes_lines, write_feedstock
from tests.lint.recipes import V0, V1, edit, line_of

NO_HASH = edit(
    V0, "  sha256: 1111111111111111111111111111111111111111111111111111111111111111\n", ""
)
NO_STDLIB = edit(V1, "    - ${{ stdlib('c') }}\n", "")


@pytest.mark.parametrize("word", ["SMY501", "missing-source-hash", "R-019", "smy501"])
def test_linter_skip_accepts_codes_names_and_compat_ids(tmp_path, word) -> None:
    root = write_feedstock(
        tmp_path / "f", NO_HASH, files={"conda-forge.yml": f"linter:\n  skip:\n    - {word}\n"}
    )
    assert codes_lines(root, ["SMY5"]) == []


def test_linter_skip_accepts_conda_smithy_skip_names(tmp_path) -> None:
    files = {"conda-forge.yml": "linter:\n  skip: [lint_stdlib]\n"}
    root = write_feedstock(tmp_path / "f", NO_STDLIB, "recipe.yaml", files)
    assert codes_lines(root, ["SMY431"]) == []


def test_without_skip_the_finding_stays(tmp_path) -> None:
    root = write_feedstock(
        tmp_path / "f", NO_HASH, files={"conda-forge.yml": "linter:\n  skip: [SMY502]\n"}
    )
    assert codes_lines(root, ["SMY5"]) == [("SMY501", line_of(NO_HASH, "  url:"))]


def test_inline_ignore_on_the_offending_line(tmp_path) -> None:
    recipe = edit(NO_HASH, ".tar.gz\n", ".tar.gz  # smithy: ignore[SMY501]\n")
    root = write_feedstock(tmp_path / "f", recipe)
    assert codes_lines(root, ["SMY5"]) == []


def test_inline_ignore_of_another_code_keeps_the_finding(tmp_path) -> None:
    recipe = edit(NO_HASH, ".tar.gz\n", ".tar.gz  # smithy: ignore[SMY502, legacy-pypi-url]\n")
    root = write_feedstock(tmp_path / "f", recipe)
    assert codes_lines(root, ["SMY5"]) == [("SMY501", line_of(recipe, "  url:"))]


def test_inline_ignore_by_name_in_v1(tmp_path) -> None:
    recipe = edit(
        NO_STDLIB,
        "    - ${{ compiler('c') }}",
        "    - ${{ compiler('c') }}  # smithy: ignore[missing-stdlib]",
    )
    root = write_feedstock(tmp_path / "f", recipe, "recipe.yaml")
    assert codes_lines(root, ["SMY431"]) == []
