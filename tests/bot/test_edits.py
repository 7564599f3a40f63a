"""Build-number bumps in both recipe formats, pinning folds and conda-forge.yml patches."""

from __future__ import annotations

import pytest

from smithy.bot.bump import bump_meta_yaml, bump_recipe_yaml
from smithy.bot.cfyml import patch_conda_forge_yml
from smithy.bot.close import fold_migration
from smithy.errors import RecipeParseError

META_SET = """\
{% set version = "1.0" %}
{%- set build_number = "4" -%}  {# bumped by bots #}
package:
  name: x
build:
  number: {{ build_number }}  # [not win]
"""
META_OUTPUTS = """\
build:
  number: 2   # top
outputs:
  - name: a
    build:
      number: 2
"""
RECIPE_CONTEXT = """\
context:
  build_number: 3   # bump me
  version: "1.0"
package:
  name: x
  version: ${{ version }}
build:
  number: ${{ build_number }}
"""
RECIPE_OUTPUTS = """\
recipe:
  name: x
build:
  number: 1  # top
outputs:
  - package:
      name: a
    build:
      number: 1
    requirements:
      host:
        - number
"""


def test_meta_yaml_set_build_number_keeps_jinja_and_comments() -> None:
    bumped = bump_meta_yaml(META_SET, 1, "meta.yaml")
    assert bumped.text == META_SET.replace('"4"', '"5"')
    assert (bumped.old, bumped.new, bumped.lines) == (4, 5, (2,))


def test_meta_yaml_every_literal_number_line() -> None:
    bumped = bump_meta_yaml(META_OUTPUTS, 2, "meta.yaml")
    assert bumped.text == META_OUTPUTS.replace("number: 2", "number: 4")
    assert bumped.lines == (2, 6)


def test_recipe_yaml_context_and_output_numbers() -> None:
    assert bump_recipe_yaml(RECIPE_CONTEXT, 1, "r").text == RECIPE_CONTEXT.replace(
        "build_number: 3", "build_number: 4"
    )
    bumped = bump_recipe_yaml(RECIPE_OUTPUTS, 1, "r")
    assert bumped.text == RECIPE_OUTPUTS.replace("number: 1", "number: 2")


def test_no_build_number_is_an_error() -> None:
    with pytest.raises(RecipeParseError, match="no build number to bump"):
        bump_meta_yaml("package:\n  name: x\nbuild:\n  number: {{ n }}\n", 1, "meta.yaml")
    with pytest.raises(RecipeParseError, match="no build number to bump"):
        bump_recipe_yaml("package:\n  name: x\n", 1, "recipe.yaml")
    with pytest.raises(RecipeParseError, match="not valid YAML"):
        bump_recipe_yaml("a: [\n", 1, "recipe.yaml")


CBC = """\
# header comment
zlib:
  - '1.3'   # keep

libffi:
  - '3.4'
  - '3.3'  # [win]
# about python
python:
- 3.12.* *_cpython
zip_keys:
  - [python, numpy]
"""


def test_fold_replaces_sections_keeps_every_other_byte() -> None:
    migration = (
        "__migrator:\n  kind: version\nlibffi:\n  - '3.5'  # [unix]\n"
        "new_key:\n  - 'x'\nmigrator_ts: 1\n"
    )
    folded, added = fold_migration(CBC, migration, ("libffi", "new_key"))
    assert added == ["new_key"]
    assert folded == CBC.replace("  - '3.4'\n  - '3.3'  # [win]\n", "  - '3.5'  # [unix]\n") + (
        "new_key:\n  - 'x'\n"
    )


def test_conda_forge_yml_patch_keeps_comments() -> None:
    text = "# my settings\nprovider:\n  linux_64: github_actions  # fast\nbot:\n  automerge: true\n"
    patched = patch_conda_forge_yml(text, {"provider.linux_aarch64": "default", "bot": None}, "c")
    assert patched == (
        "# my settings\nprovider:\n  linux_64: github_actions  # fast\n  linux_aarch64: default\n"
    )
