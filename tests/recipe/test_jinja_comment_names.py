"""Undefined jinja names on YAML comment lines render empty; elsewhere they are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.errors import JinjaError
from smithy.recipe.jinja import compile_recipe
from tests.recipe.test_meta_yaml import render, text_recipe

RECIPE = """\
package:
  name: commented
  version: 1.0
test:
  commands:
    # version correspondence is 0.{{ CLANG_MAJOR }}
    - echo ok
"""


def test_compile_records_names_read_only_on_comment_lines() -> None:
    text = "# {{ only_here }} and {{ both }}\nx: {{ both }}  # {{ trailing }}\n"
    compiled = compile_recipe(text, "meta.yaml")
    assert compiled.comment_names == {"only_here"}
    assert {"only_here", "both", "trailing"} <= compiled.names


def test_undefined_name_in_a_comment_line_renders_empty(tmp_path: Path) -> None:
    recipe = render(text_recipe(tmp_path, RECIPE))
    assert recipe.name == "commented"
    assert recipe.data["test"]["commands"] == ["echo ok"]


def test_undefined_name_outside_comments_is_still_an_error(tmp_path: Path) -> None:
    text = RECIPE.replace("    - echo ok", "    - echo {{ CLANG_MAJOR }}")
    with pytest.raises(JinjaError, match="CLANG_MAJOR"):
        render(text_recipe(tmp_path, text))
