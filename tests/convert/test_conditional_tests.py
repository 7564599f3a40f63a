"""A conditional test section (or kind of test) converts to conditional ``tests`` items.

When the condition is false the converted recipe has no test left (not an empty one), on
smithy's v1 engine and on rattler-build alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smithy.convert.recipe_text import convert_recipe_text
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext
from smithy.recipe.render import render_recipe
from tests.convert.test_rattler_parity import _variant

rattler_build = pytest.importorskip("rattler_build")

_HEAD = """\
package:
  name: demo
  version: "1.0"
requirements:
  host:
    - python
  run:
    - python
"""
WHOLE_SECTION = (
    _HEAD
    + """\
{% if unix %}
test:
  requires:
    - pytest
  imports:
    - demo
  commands:
    - pytest -q
{% endif %}
"""
)
ONE_KIND = (
    _HEAD
    + """\
test:
  requires:
    - pytest
{% if unix %}
  imports:
    - demo
{% endif %}
  commands:
    - pytest -q
"""
)
PYTHON = {"python": {"imports": ["demo"], "pip_check": False}}
SCRIPT = {"script": ["pytest -q"], "requirements": {"run": ["pytest"]}}
EXPECTED = {
    ("whole section", "linux-64"): [PYTHON, SCRIPT],
    ("whole section", "win-64"): [],
    ("one kind", "linux-64"): [PYTHON, SCRIPT],
    ("one kind", "win-64"): [SCRIPT],
}
RECIPES = {"whole section": WHOLE_SECTION, "one kind": ONE_KIND}


def _rattler_tests(text: str, platform: str) -> list[Any]:
    recipe = rattler_build.Stage0Recipe.from_yaml(text)
    config = rattler_build.VariantConfig({k: [v] for k, v in _variant(platform).items()})
    render = rattler_build.RenderConfig(
        platform=rattler_build.PlatformConfig(target_platform=platform)
    )
    (variant,) = recipe.render(config, render)
    tests: list[Any] = variant.recipe.to_dict().get("tests") or []
    # rattler-build gives a one-line script as a string
    return [
        {**t, "script": [t["script"]]} if isinstance(t.get("script"), str) else t for t in tests
    ]


def _smithy_tests(text: str, platform: str, tmp_path: Path) -> list[Any]:
    path = tmp_path / "recipe.yaml"
    path.write_text(text)
    raw = RawRecipe(path=path, format=RecipeFormat.V1, text=text, display_path="recipe.yaml")
    variant = _variant(platform)
    context = RenderContext(platform, platform, variant, known_variables=frozenset(variant))
    (output,) = render_recipe(raw, context).outputs
    return list(output.tests)


@pytest.mark.parametrize(("name", "platform"), sorted(EXPECTED))
def test_conditional_tests_leave_nothing_when_false(
    name: str, platform: str, tmp_path: Path
) -> None:
    converted = convert_recipe_text(RECIPES[name])
    assert converted.issues == ()
    assert _rattler_tests(converted.text, platform) == EXPECTED[name, platform]
    assert _smithy_tests(converted.text, platform, tmp_path) == EXPECTED[name, platform]
