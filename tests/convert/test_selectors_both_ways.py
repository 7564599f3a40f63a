"""Every selector form, converted, keeps or drops the same items as meta.yaml on each platform.

Each form is rendered where it holds and where it does not (both directions), with smithy's
meta.yaml engine before and its recipe.yaml engine after the conversion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.convert.recipe_text import convert_recipe_text
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext
from smithy.recipe.render import render_recipe
from tests.convert.recipes import raw_recipe

# (platform, python variant) pairs covering both truth values of every form below.
CASES = [
    ("linux-64", "3.11.* *_cpython"),
    ("linux-64", "3.12.* *_cpython"),
    ("linux-aarch64", "3.12.* *_cpython"),
    ("osx-64", "3.11.* *_cpython"),
    ("osx-arm64", "3.12.* *_cpython"),
    ("win-64", "3.11.* *_cpython"),
]

SELECTORS = [
    "win",
    "not win",
    "linux",
    "osx",
    "unix",
    "linux64",
    "osx64",
    "win64",
    "aarch64",
    "arm64",
    "x86_64",
    "osx and arm64",
    "win or osx",
    "linux and not aarch64",
    "py<312",
    "py>=312",
    "py==311",
    "py!=311",
    "312<=py",
    "py3k and linux",
    "linux and py>=312",
    "(osx or win) and py<312",
    'os.environ.get("FOO", "x") == "x" and win',
    "target_platform == 'linux-aarch64'",
    "target_platform != 'linux-64'",
]


def _recipe(selector: str) -> str:
    return f"""\
package:
  name: sel
  version: "1.0"
build:
  number: 0
requirements:
  host:
    - python
    - zlib  # [{selector}]
    - bzip2  # [{selector}]
  run:
    - python
    - pkg-yes  # [{selector}]
    - pkg-no  # [not ({selector})]
"""


def _host_and_run(raw: RawRecipe, platform: str, python: str) -> tuple[list[str], list[str]]:
    context = RenderContext(
        platform=platform,
        build_platform=platform,
        variant={"python": python, "target_platform": platform},
        known_variables=frozenset({"python", "target_platform"}),
    )
    (output,) = render_recipe(raw, context).outputs
    return (
        [d.spec for d in output.requirements.host],
        [d.spec for d in output.requirements.run],
    )


@pytest.mark.parametrize("selector", SELECTORS)
def test_selector_keeps_the_same_items_both_ways(tmp_path: Path, selector: str) -> None:
    text = _recipe(selector)
    converted = convert_recipe_text(text)
    assert converted.issues == ()
    before = raw_recipe(tmp_path, RecipeFormat.V0, text)
    after = raw_recipe(tmp_path, RecipeFormat.V1, converted.text)
    outcomes = set()
    for platform, python in CASES:
        old = _host_and_run(before, platform, python)
        assert _host_and_run(after, platform, python) == old, (platform, python, converted.text)
        outcomes.add("pkg-yes" in old[1])
    assert outcomes == {True, False}, "the cases must make the selector both true and false"


def test_adjacent_lines_with_one_selector_share_one_if() -> None:
    converted = convert_recipe_text(_recipe("win")).text
    assert converted.count("if: win") == 2  # host (zlib+bzip2 merged) and run (pkg-yes)
    assert "    - if: win\n      then:\n        - zlib\n        - bzip2\n" in converted


def test_negated_neighbour_becomes_else() -> None:
    converted = convert_recipe_text(_recipe("linux")).text
    assert "    - if: linux\n      then: pkg-yes\n      else: pkg-no\n" in converted


def test_jinja_if_blocks_become_conditions(tmp_path: Path) -> None:
    text = """\
package:
  name: blocks
  version: "1.0"
requirements:
  run:
    - always
{% if win %}
    - only-win
{% elif osx %}
    - only-osx
{% else %}
    - only-linux  # [aarch64]
{% endif %}
"""
    converted = convert_recipe_text(text)
    assert converted.issues == ()
    before = raw_recipe(tmp_path, RecipeFormat.V0, text)
    after = raw_recipe(tmp_path, RecipeFormat.V1, converted.text)
    seen = []
    for platform, python in CASES:
        old = _host_and_run(before, platform, python)
        assert _host_and_run(after, platform, python) == old
        seen.append(old[1])
    assert ["always", "only-linux"] in seen and ["always"] in seen
    assert ["always", "only-win"] in seen and ["always", "only-osx"] in seen
