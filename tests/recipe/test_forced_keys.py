"""Forced variant keys: meta.yaml force_use/ignore_keys and recipe.yaml use/ignore_keys."""

from __future__ import annotations

from smithy.recipe.forced_keys import (
    RecipeYamlVariantLists,
    VariantLists,
    force_meta_yaml_keys,
    force_recipe_yaml_keys,
    meta_yaml_build,
    recipe_yaml_use_keys,
)

VARIANT = {"python": "3.12", "zlib": "1.3", "libpng": "1.6"}


def test_meta_yaml_ignore_then_use_and_only_variant_keys() -> None:
    build = {"force_ignore_keys": ["zlib", "python"], "force_use_keys": ["python", "nope"]}
    used = frozenset({"zlib", "python", "target_platform"})
    # use wins over ignore (conda-build subtracts first), unknown keys are not added
    assert force_meta_yaml_keys(used, build, VARIANT) == {"python", "target_platform"}


def test_meta_yaml_single_name_and_missing_lists() -> None:
    assert (
        force_meta_yaml_keys(frozenset({"zlib"}), {"force_ignore_keys": "zlib"}, VARIANT) == set()
    )
    assert force_meta_yaml_keys(frozenset({"zlib"}), {"force_use_keys": None}, VARIANT) == {"zlib"}


def test_meta_yaml_output_build_replaces_the_top_level_one() -> None:
    data = {
        "build": {"force_ignore_keys": ["zlib"]},
        "outputs": [
            {"name": "a"},
            {"name": "b", "build": {"number": "1"}},
            {"name": "c", "build": None},
        ],
    }
    assert meta_yaml_build(data, "a") == {"force_ignore_keys": ["zlib"]}
    assert meta_yaml_build(data, "b") == {"number": "1"}
    assert meta_yaml_build(data, "c") == {}
    assert meta_yaml_build(data, "top") == {"force_ignore_keys": ["zlib"]}
    assert meta_yaml_build({"build": "bad"}, "x") == {}


def test_recipe_yaml_use_then_ignore() -> None:
    build = {"variant": {"use_keys": ["libpng", "python", "nope"], "ignore_keys": ["python"]}}
    # rattler-build adds the forced keys first, then drops the ignored ones
    assert force_recipe_yaml_keys(frozenset({"zlib"}), build, VARIANT) == {"zlib", "libpng"}
    assert force_recipe_yaml_keys(frozenset({"zlib"}), {"variant": None}, VARIANT) == {"zlib"}
    assert force_recipe_yaml_keys(frozenset({"zlib"}), None, VARIANT) == {"zlib"}


def test_recipe_yaml_use_keys_of_every_output() -> None:
    builds = [None, {"variant": {"use_keys": ["python"]}}, {"variant": {"use_keys": "libpng"}}, {}]
    assert recipe_yaml_use_keys(builds, VARIANT) == {"python", "libpng"}


def test_recipe_yaml_variant_lists_of_the_top_level_and_each_output() -> None:
    def output(name: str, use: object, ignore: object) -> dict[str, object]:
        variant = {"use_keys": use, "ignore_keys": ignore}
        return {"package": {"name": name}, "build": {"variant": variant}}

    data = {
        "build": {"variant": {"use_keys": ["zlib"]}},
        "outputs": [
            output("lib", ["python"], "libpng"),
            {"staging": {"name": "lib"}, "build": {"variant": {"use_keys": ["staged"]}}},
            output("lib", "numpy", None),  # a second output of that name adds its lists
            output("other", None, ["zlib"]),
            "not a mapping",
        ],
    }
    lists = RecipeYamlVariantLists.of(data)
    assert lists.output("lib") == VariantLists(
        frozenset({"zlib", "python", "numpy"}), frozenset({"libpng"})
    )
    assert lists.output("other") == VariantLists(frozenset({"zlib"}), frozenset({"zlib"}))
    assert lists.output("core-build") == VariantLists(frozenset({"zlib"}))
    assert RecipeYamlVariantLists.of({}).output("x") == VariantLists()
