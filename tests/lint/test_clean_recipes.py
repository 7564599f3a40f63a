"""The clean fixture recipes trigger no rule at all, with and without --conda-forge."""

from __future__ import annotations

import pytest

from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V0, V0_NOARCH, V1, V1_NOARCH

CASES = [
    (V0, "meta.yaml"),
    (V1, "recipe.yaml"),
    (V0_NOARCH, "meta.yaml"),
    (V1_NOARCH, "recipe.yaml"),
]


@pytest.mark.parametrize("conda_forge", [False, True])
@pytest.mark.parametrize(("recipe", "fmt"), CASES, ids=["v0", "v1", "v0-noarch", "v1-noarch"])
def test_clean_recipe_has_no_findings(tmp_path, recipe, fmt, conda_forge) -> None:
    root = write_feedstock(tmp_path / "feed", recipe, fmt)
    result = run_lint(root, conda_forge=conda_forge)
    assert [(f.code, f.line, f.message) for f in result.findings] == []
