"""Converted recipes render to the same requirements with smithy's v1 engine and rattler-build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smithy.convert.recipe_text import convert_recipe_text
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext
from smithy.recipe.render import render_recipe
from tests.convert.recipes import COMPILED, CONSTRUCTS, MULTI_OUTPUT, STAGED
from tests.convert.test_jinja_constructs import RECIPES as JINJA_RECIPES
from tests.convert.test_selectors_both_ways import SELECTORS, _recipe

rattler_build = pytest.importorskip("rattler_build")

VARIANTS = {
    "linux-64": {"c_compiler": "gcc", "c_compiler_version": "13", "c_stdlib": "sysroot"},
    "osx-arm64": {"c_compiler": "clang", "c_compiler_version": "18",
                  "c_stdlib": "macosx_deployment_target"},
    "win-64": {"c_compiler": "vs2022", "c_stdlib": "vs"},
}  # fmt: skip
STDLIB_VERSION = {"linux-64": "2.17", "osx-arm64": "11.0", "win-64": "2022"}
SECTIONS = ("build", "host", "run")
SKIPPED = {("constructs", "osx-arm64"), ("compiled", "win-64")}  # build.skip holds there


def _variant(platform: str) -> dict[str, str]:
    return {
        **VARIANTS[platform],
        "c_stdlib_version": STDLIB_VERSION[platform],
        "python": "3.12.* *_cpython",
        "zlib": "1.3",
        "target_platform": platform,
    }


def _rattler(text: str, platform: str) -> dict[str, dict[str, list[str]]]:
    recipe = rattler_build.Stage0Recipe.from_yaml(text)
    config = rattler_build.VariantConfig({k: [v] for k, v in _variant(platform).items()})
    render = rattler_build.RenderConfig(
        platform=rattler_build.PlatformConfig(target_platform=platform)
    )
    found: dict[str, dict[str, list[str]]] = {}
    for variant in recipe.render(config, render):
        requirements = variant.recipe.to_dict().get("requirements", {})
        found[variant.recipe.package.name] = {
            section: sorted(_rattler_spec(item) for item in requirements.get(section, []))
            for section in SECTIONS
        }
    return found


def _rattler_spec(item: Any) -> str:
    if isinstance(item, dict):  # pins stay symbolic until the build
        (kind, args), *_ = item.items()
        return f"{args['name']} ({kind})"
    return " ".join(str(item).split())


def _smithy(text: str, platform: str, tmp_path: Path) -> dict[str, dict[str, list[str]]]:
    path = tmp_path / "recipe.yaml"
    path.write_text(text)
    raw = RawRecipe(path=path, format=RecipeFormat.V1, text=text, display_path="recipe.yaml")
    variant = _variant(platform)
    context = RenderContext(platform, platform, variant, known_variables=frozenset(variant))
    rendered = render_recipe(raw, context)
    return {
        output.name: {
            section: sorted(" ".join(d.spec.split()) for d in output.requirements.section(section))
            for section in SECTIONS
        }
        for output in rendered.outputs
        if not output.skip  # rattler-build's Python render does not apply build.skip
    }


def _pins_by_name(rattler: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    return {
        spec.split()[0]: spec
        for sections in rattler.values()
        for specs in sections.values()
        for spec in specs
        if spec.endswith("(pin_subpackage)") or spec.endswith("(pin_compatible)")
    }


def _with_pins(smithy: dict[str, dict[str, list[str]]], pins: dict[str, str]) -> dict:
    return {
        name: {
            s: sorted(pins.get(spec.split()[0], spec) for spec in specs)
            for s, specs in sections.items()
        }
        for name, sections in smithy.items()
    }


RECIPES = {
    "constructs": CONSTRUCTS,
    "multi-output": MULTI_OUTPUT,
    "compiled": COMPILED,
    "staged": STAGED,
    **JINJA_RECIPES,
    **{f"selector {s}": _recipe(s) for s in SELECTORS},
}


@pytest.mark.parametrize("platform", sorted(VARIANTS))
@pytest.mark.parametrize("name", sorted(RECIPES))
def test_smithy_and_rattler_build_render_the_same_requirements(
    name: str, platform: str, tmp_path: Path
) -> None:
    converted = convert_recipe_text(RECIPES[name])
    assert converted.issues == ()
    rattler = _rattler(converted.text, platform)
    smithy = _with_pins(_smithy(converted.text, platform, tmp_path), _pins_by_name(rattler))
    assert smithy == {name: rattler[name] for name in smithy}
    assert bool(smithy) != ((name, platform) in SKIPPED)
