"""``recipe_dir`` in conda-forge.yml must stay inside the feedstock and be safe in CI scripts."""

from __future__ import annotations

import pytest

from smithy.config.load import parse_config
from smithy.errors import ConfigError


@pytest.mark.parametrize(
    "value",
    ["../../..", "/etc", "recipe/../..", "..", "'a b'", '"x; rm -rf ~"', "'$(id)'", "a\\\\b"],
)
def test_unsafe_recipe_dir_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="recipe_dir must be a folder inside") as info:
        parse_config(f"bot: {{}}\nrecipe_dir: {value}\n")
    assert info.value.key_path == "recipe_dir"
    assert info.value.span is not None and info.value.span.line == 2


@pytest.mark.parametrize(
    "value", ["recipe", "recipe/", "./recipe", "recipes/foo-bar", "conda.recipe"]
)
def test_ordinary_recipe_dirs_are_kept(value: str) -> None:
    assert parse_config(f"recipe_dir: {value}\n").recipe_dir == value
