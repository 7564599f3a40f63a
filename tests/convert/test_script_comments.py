"""A commented build script moved under ``script.content`` stays YAML, comments kept."""

from __future__ import annotations

from ruamel.yaml import YAML

from smithy.convert.recipe_text import convert_recipe_text

RECIPE = """\
package:
  name: demo
  version: "1.0"

build:
  number: 0
  script_env:
    - CUDA_HOME
  script:
    # find nvcc first
    # (it lives elsewhere on the CI images)
    - export NVCC="$(which nvcc)"  # [linux]
    - make install
"""


def test_commented_script_with_script_env_stays_yaml() -> None:
    converted = convert_recipe_text(RECIPE, frozenset({"meta.yaml"}))
    assert converted.issues == ()
    script = YAML(typ="safe").load(converted.text)["build"]["script"]
    assert script["content"] == [
        {"if": "linux", "then": 'export NVCC="$(which nvcc)"'},
        "make install",
    ]
    assert "# find nvcc first" in converted.text
    assert "# (it lives elsewhere on the CI images)" in converted.text


def test_text_after_a_selector_is_a_comment_not_part_of_the_value() -> None:
    recipe = RECIPE.replace(
        "    - make install\n", "    - make install\n\nrequirements:\n  build:\n"
        "    - m2-autoconf2.72      # [win] 2.71\n    - cmake  # [unix]  # why\n"
    )  # fmt: skip
    converted = convert_recipe_text(recipe, frozenset({"meta.yaml"}))
    build = YAML(typ="safe").load(converted.text)["requirements"]["build"]
    # conda-build reads everything after `#` as comment: " 2.71" is no version bound
    assert build == [{"if": "win", "then": "m2-autoconf2.72"}, {"if": "unix", "then": "cmake"}]
