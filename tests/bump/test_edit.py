"""Recipe edits keep every byte but the version, build number and checksums."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.bump.edit import replace_checksums, reset_build_number, set_version, version_slot
from smithy.bump.errors import BumpError
from smithy.recipe.model import RawRecipe, RecipeFormat


def raw(text: str, fmt: RecipeFormat = RecipeFormat.V0) -> RawRecipe:
    return RawRecipe(Path("/r") / fmt.value, fmt, text, fmt.value)


def test_meta_yaml_version_and_build() -> None:
    text = "{%- set version = '1.0' -%}\n{% set build = 4 %}\nbuild:\n  number: {{ build }}\n"
    edited = reset_build_number(set_version(raw(text), "2.0"), RecipeFormat.V0)
    assert (
        edited
        == "{%- set version = '2.0' -%}\n{% set build = 0 %}\nbuild:\n  number: {{ build }}\n"
    )


def test_recipe_yaml_context_version_and_build() -> None:
    tail = "\n\nbuild:\n  number: ${{ build_number }}\n"
    text = 'context:\n  version: "1.0"  # keep me\n  build_number: 7' + tail
    edited = reset_build_number(set_version(raw(text, RecipeFormat.V1), "1.1"), RecipeFormat.V1)
    assert edited == 'context:\n  version: "1.1"  # keep me\n  build_number: 0' + tail


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("package:\n  version: 1.0\n", RecipeFormat.V0, r"no '\{% set version"),
        (
            '{% set version = "1" %}  # [win]\n{% set version = "2" %}  # [not win]\n',
            RecipeFormat.V0,
            r"2 .*lines \(differing",
        ),
        ("context:\n  version: ${{ major }}.1\n", RecipeFormat.V1, "computed by jinja"),
    ],
)
def test_version_that_cannot_be_bumped(text: str, fmt: RecipeFormat, message: str) -> None:
    with pytest.raises(BumpError, match=message):
        version_slot(raw(text, fmt))


def test_checksum_not_in_text_is_refused() -> None:
    with pytest.raises(BumpError, match="not written in the recipe"):
        replace_checksums("sha256: {{ sha }}\n", {"a" * 64: "b" * 64}, raw(""))
