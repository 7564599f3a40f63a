"""One compile per recipe for every choice of selector lines: same names, keys and output."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from smithy.errors import SmithyError
from smithy.platforms import MAIN_PLATFORMS, selector_namespace
from smithy.recipe.jinja import compile_recipe, names_set_anywhere, render_compiled
from smithy.recipe.jinja_selected import (
    KEPT_LINES,
    compiled_for,
    kept_lines_variable,
    selected_template,
    set_anywhere,
)
from smithy.recipe.selectors import apply_line_selectors

DATA = Path(__file__).resolve().parents[1] / "data"
RECIPES = sorted(DATA.rglob("meta.yaml"))

SELECTORS = """\
{% set version = "1.0" %}
early: {{ flavour }}  # [linux]
{% set flavour = "cpu" %}
{% if feature is not defined %}
{% set feature = "x" %}
{% endif %}
package:
  name: demo
  version: {{ version }}
requirements:
  build:
    - {{ compiler('c') }}
    - {{ compiler('cuda') }}  # [cuda]
    - {{ stdlib('c') }}  # [linux]
  host:
    - python
    - libfoo {{ foo_version }}  # [linux]
    - libbar {{ version }}  # [osx]
    - {{ feature }}  # [win]
    - late {{ flavour }}  # [osx]
    # {{ comment_only }}  [not a selector: a comment line]
    - {{ pin_compatible('numpy') }}  # [py>=312]
about:
  summary: "{{ summary_text }}"  # [unix]
"""


def _values(text: str) -> dict[str, str]:
    names = ("foo_version", "feature", "flavour", "summary_text", "comment_only", "numpy")
    return {name: f"v-{name}" for name in names if name in text}


@pytest.mark.parametrize(
    ("platform", "cuda", "python"),
    list(itertools.product(MAIN_PLATFORMS, (True, False), ("3.11", "3.12"))),
)
def test_choice_matches_a_compile_of_the_selected_text(
    platform: str, cuda: bool, python: str
) -> None:
    namespace = {**selector_namespace(platform, {"python": python}), "cuda": cuda}
    selected = apply_line_selectors(SELECTORS, namespace, env={}, path="m")
    once = compiled_for(SELECTORS, selected, "m")
    direct = compile_recipe(selected, "m")
    assert once is not None
    assert once.names == direct.names
    assert once.implied_keys == direct.implied_keys
    assert once.comment_names == direct.comment_names
    variables = {**_values(SELECTORS), "compiler": str, "stdlib": str, "pin_compatible": str}
    expected = render_compiled(direct, {**variables}, "m").text
    kept = {KEPT_LINES: kept_lines_variable(SELECTORS, selected)}
    assert render_compiled(once, {**variables, **kept}, "m").text == expected


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda path: path.parent.name)
def test_fixture_recipes_analyse_alike_on_every_platform(recipe: Path) -> None:
    text = recipe.read_text(encoding="utf-8")
    for platform in MAIN_PLATFORMS:
        try:
            selected = apply_line_selectors(text, selector_namespace(platform), env={}, path="m")
            direct = compile_recipe(selected, "m")
        except SmithyError:
            continue  # selectors naming variant keys, or deliberately broken recipes
        once = compiled_for(text, selected, "m")
        if once is None:
            continue
        assert (once.names, once.implied_keys, once.comment_names) == (
            direct.names,
            direct.implied_keys,
            direct.comment_names,
        )


SETS = """\
{% set skips = "base" %}
{% set skips = skips ~ " or osx_only" %}  # [osx]
{% set skips = skips ~ " or " ~ extra %}  # [linux]
test:
  commands:
    - pytest -k "not ({{ skips }})"
    - echo {{ extra }}  # [win]
"""


# A name first set on a selector line: read from the variant where that line is dropped.
SETS_NEW = SETS + "flag: {{ flag }}\n{% set flag = 'x' %}  # [linux]\nagain: {{ flag }}\n"


@pytest.mark.parametrize(
    ("platform", "text"), list(itertools.product(MAIN_PLATFORMS, (SETS, SETS_NEW)))
)
def test_whole_tags_on_selector_lines_render_alike(platform: str, text: str) -> None:
    selected = apply_line_selectors(text, selector_namespace(platform), env={}, path="m")
    once = compiled_for(text, selected, "m")
    direct = compile_recipe(selected, "m")
    assert once is not None and once.template is not direct.template
    assert (once.names, once.comment_names) == (direct.names, direct.comment_names)
    kept = {KEPT_LINES: kept_lines_variable(text, selected)}
    expected = render_compiled(direct, {"extra": "e", "flag": "f"}, "m").text
    assert render_compiled(once, {"extra": "e", "flag": "f", **kept}, "m").text == expected


@pytest.mark.parametrize(
    "text",
    [
        "a: {{ x }}\n{%- set y = 1 %}  # [linux]\n",  # whitespace control
        "{% if y %}  # [linux]\na: 1\n{% endif %}\n",  # a block opened on a selector line
        "a: {{ x\n  ~ y }}  # [linux]\n",  # a selector line inside a multi-line expression
        "a: 1\r\nb: 2  # [linux]\r\n",  # CRLF
        "a: 1\n",  # no selector at all
    ],
)
def test_recipes_that_could_render_differently_compile_per_text(text: str) -> None:
    assert selected_template(text, "m") is None


# Selector lines that add to a name set earlier in their own block (faiss-split's test skips).
SETS_IN_BLOCK = """\
{% if flag %}
{% set skips = "base" %}
{% set skips = skips ~ " or win_only" %}  # [win]
{% set skips = skips ~ " or " ~ extra %}  # [linux]
{% endif %}
{% for item in items %}
{% set acc = item %}
{% set acc = acc ~ "-osx" %}  # [osx]
each: {{ acc }}
{% endfor %}
test:
  commands:
    - pytest -k "not ({{ skips }})"
"""

# A name set only on a selector line of a loop is read from the variant where that line is
# dropped, even when a later selector line of the loop sets it again.
SETS_IN_LOOP_ON_SELECTOR_LINES = """\
{% for item in items %}
{% set t = "x" %}  # [win]
{% set t = t ~ "y" %}  # [linux]
each: {{ t }}
{% endfor %}
"""


@pytest.mark.parametrize(
    ("platform", "text", "per_choice_parse"),
    [
        (platform, text, per_choice)
        for platform in MAIN_PLATFORMS
        for text, per_choice in ((SETS_IN_BLOCK, False), (SETS_IN_LOOP_ON_SELECTOR_LINES, True))
    ],
)
def test_sets_of_names_set_earlier_in_their_block_need_no_parse_per_choice(
    platform: str, text: str, per_choice_parse: bool
) -> None:
    template = selected_template(text, "m")
    assert template is not None
    assert template.tags_on_selector_lines is per_choice_parse
    selected = apply_line_selectors(text, selector_namespace(platform), env={}, path="m")
    once = compiled_for(text, selected, "m")
    direct = compile_recipe(selected, "m")
    assert once is not None
    assert (once.names, once.implied_keys, once.comment_names) == (
        direct.names,
        direct.implied_keys,
        direct.comment_names,
    )
    variables = {"flag": True, "extra": "e", "items": ["a", "b"], "t": "v"}
    kept = {KEPT_LINES: kept_lines_variable(text, selected)}
    expected = render_compiled(direct, {**variables}, "m").text
    assert render_compiled(once, {**variables, **kept}, "m").text == expected


# A selector's own text can hold a tag the every-line-kept parse no longer sees.
SELECTOR_TAG = "{% set a = 1 %}\nb: 1  # [x == '{% set z = 1 %}']\nc: 2  # [osx]\n"


@pytest.mark.parametrize(
    "text", [SELECTORS, SETS, SETS_NEW, SELECTOR_TAG, *(r.read_text("utf-8") for r in RECIPES)]
)
def test_names_set_anywhere_come_from_the_prepared_template_alike(text: str) -> None:
    selected_template(text, "m")
    assert set_anywhere(text) == names_set_anywhere(text)


def test_prepared_templates_keep_the_names_set_anywhere() -> None:
    template = selected_template(SETS_NEW, "m")
    assert template is not None
    assert template.set_anywhere == frozenset({"skips", "flag"})
    tagged = selected_template(SELECTOR_TAG, "m")
    assert tagged is not None
    assert tagged.set_anywhere is None  # `z` is set in a selector: the raw text is parsed
    assert set_anywhere(SELECTOR_TAG) == frozenset({"a", "z"})
