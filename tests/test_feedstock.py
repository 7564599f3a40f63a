"""smithy.feedstock: the one place that finds a feedstock's root and conda-forge.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.feedstock import CONFIG_FILE, config_file, feedstock_root


@pytest.mark.parametrize(
    ("configs", "expected"),
    [
        (["conda-forge.yml"], "."),
        (["recipe/conda-forge.yml"], "recipe"),
        (["conda-forge.yml", "recipe/conda-forge.yml"], "."),
        ([], None),
    ],
    ids=["at the root", "beside the recipe", "the root wins", "none"],
)
def test_feedstock_root_and_config(
    tmp_path: Path, configs: list[str], expected: str | None
) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    for rel in configs:
        (tmp_path / rel).write_text("{}\n")
    root = feedstock_root(recipe)
    if expected is None:
        assert root is None and config_file(recipe) is None
    else:
        assert root == tmp_path / expected
        assert config_file(recipe) == root / CONFIG_FILE


def test_a_folder_named_like_the_config_still_marks_the_root(tmp_path: Path) -> None:
    # Taken for no config, its defaults were used in silence; reading it now fails instead
    # (tests/robustness/test_hostile_files.py).
    (tmp_path / "recipe").mkdir()
    (tmp_path / CONFIG_FILE).mkdir()
    assert feedstock_root(tmp_path / "recipe") == tmp_path
