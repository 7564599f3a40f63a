"""Names first set on a selector line: each choice's names without parsing its text."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smithy.platforms import MAIN_PLATFORMS, selector_namespace
from smithy.recipe import jinja_selected, jinja_store
from smithy.recipe.jinja import compile_recipe, render_compiled
from smithy.recipe.jinja_selected import (
    KEPT_LINES,
    compiled_for,
    kept_lines_variable,
    selected_template,
)
from smithy.recipe.selectors import apply_line_selectors, split_selector_lines

# Every way a name first set on a selector line is read: before its set (at the top level, and
# in a loop body, where only a kept set hides it), in its own set's value, in a loop body after
# its set, in an if, on a comment line, after its set; two sets on one line.
FIRST_SETS = """\
{% set version = "1.0" %}
early: {{ suffix }} {{ z }}  # [a]
{% for item in items %}
each: {{ sep }}
{% endfor %}
{% set suffix = "" %}{% set z = 1 %}  # [b]
{% set suffix = suffix ~ "-x" %}  # [c]
{% set sep = "/" %}  # [g]
{% set export = "export" %}  # [d]
{% set export = "set" %}  # [not d]
{% for item in items %}
each: {{ export }} {{ item }} {{ suffix }} {{ sep }}
{% endfor %}
late: {{ suffix }}
{% set flag = flag or "x" %}  # [e]
{% if cond %}
in_if: {{ flag }} {{ z }}  # [f]
{% endif %}
# {{ export }} on a comment
"""

# The same shapes in a real recipe's style, for a render on each platform.
ONNX_LIKE = """\
{% set version = "1.2" %}
{% set suffix = "" %}  # [suffix == None]
{% set export = "export" %}  # [unix]
{% set export = "set" %}  # [not unix]
package:
  name: pkg{{ suffix }}
  version: {{ version }}
build:
  script:
    - {{ export }} FLAG=1
    - echo {{ mpi_prefix }}  # [linux]
{% set mpi_prefix = "nompi" %}  # [osx]
{% for lib in libs %}
    - {{ lib }}{{ suffix }}
{% endfor %}
"""


def _choices(text: str) -> list[tuple[tuple[bool, ...], str]]:
    """Every choice of selector lines with the text line selection leaves for it."""
    lines, selected = split_selector_lines(text)
    found = []
    for choice in itertools.product((False, True), repeat=len(selected)):
        out = list(lines)
        for (index, kept), keep in zip(selected, choice, strict=True):
            out[index] = kept if keep else ""
        found.append((choice, "\n".join(out)))
    return found


def _assert_every_choice_matches_a_parse(text: str) -> None:
    template = selected_template(text, "m")
    assert template is not None
    for choice, selected in _choices(text):
        once = template.for_choice(choice, selected)
        direct = compile_recipe(selected, "m")
        assert (once.names, once.implied_keys, once.comment_names) == (
            direct.names,
            direct.implied_keys,
            direct.comment_names,
        ), choice


@pytest.mark.parametrize("text", [FIRST_SETS, ONNX_LIKE])
def test_names_first_set_on_selector_lines_need_no_parse_per_choice(text: str) -> None:
    template = selected_template(text, "m")
    assert template is not None
    assert not template.tags_on_selector_lines
    assert template.where.selector_sets
    _assert_every_choice_matches_a_parse(text)


@pytest.mark.parametrize("platform", MAIN_PLATFORMS)
def test_first_sets_render_as_the_selected_text(platform: str) -> None:
    namespace = {**selector_namespace(platform), "suffix": None}
    selected = apply_line_selectors(ONNX_LIKE, namespace, env={}, path="m")
    once = compiled_for(ONNX_LIKE, selected, "m")
    direct = compile_recipe(selected, "m")
    assert once is not None and once.template is not direct.template
    assert once.names == direct.names
    variables = {"libs": ["a", "b"], "mpi_prefix": "mpi", "suffix": "_s"}
    variables = {name: value for name, value in variables.items() if name in direct.names}
    kept = {KEPT_LINES: kept_lines_variable(ONNX_LIKE, selected)}
    expected = render_compiled(direct, variables, "m").text
    assert render_compiled(once, {**variables, **kept}, "m").text == expected


# Shapes the line model does not cover: each choice is parsed, and still matches.
NOT_MODELLED = [
    # also set inside an if: where the selector line is dropped, the if makes it a read
    "{% set a = 1 %}  # [b]\n{% if c %}{% set a = 2 %}{% endif %}\nuse: {{ a }}\n",
    # a block reads the variant whatever the top level sets
    "{% set a = 1 %}  # [b]\n{% block x %}{{ a }}{% endblock %}\n",
    # a loop target, a tuple target, a namespace, a name jinja declares itself
    "{% set a = 1 %}  # [b]\n{% for a in l %}{{ a }}{% endfor %}\nuse: {{ a }}\n",
    "{% set a = 1 %}  # [b]\n{% set a, z = 1, 2 %}\nuse: {{ a }}\n",
    "{% set ns = namespace(x=1) %}  # [b]\n{% set ns.x = 2 %}\nuse: {{ ns.x }}\n",
    "{% set loop = 1 %}  # [b]\nuse: {{ loop }}\n",
    "{% set range = 1 %}  # [b]\nuse: {{ range }}\n",
    # a loop variable the top level also reads on a selector line (found by the property test)
    'x: {{ a }}\nx: {{ item }}  # [s0]\n{% for item in a %}\n{% set a = "v" %}'
    '{% set a = "v" %}\n{% for item in a %}\nx: {{ item }}  # [s1]\n{% endfor %}\n'
    '{% endfor %}\n{% set a = "v" %}{% set a = "v" %}\n',
    "x: {{ item }}  # [b]\n{% for item in l %}\nx: {{ item }}  # [c]\n{% endfor %}\n",
    "x: {{ y }}  # [b]\n{% macro m(y) %}\nx: {{ y }}  # [c]\n{% endmacro %}\nz: {{ m(1) }}\n",
]


@pytest.mark.parametrize("text", NOT_MODELLED)
def test_first_sets_the_model_does_not_cover_are_parsed_per_choice(text: str) -> None:
    template = selected_template(text, "m")
    assert template is not None
    assert template.tags_on_selector_lines
    _assert_every_choice_matches_a_parse(text)


def test_a_kept_record_gives_the_same_names_for_every_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jinja_selected._prepared.clear()
    with jinja_store.recipe_template_cache(tmp_path):
        fresh = selected_template(FIRST_SETS, "m")
        jinja_selected._prepared.clear()
        monkeypatch.setattr(jinja_selected, "_prepare", None)  # loaded, never prepared again
        loaded = selected_template(FIRST_SETS, "m")
    jinja_selected._prepared.clear()
    assert fresh is not None and loaded is not None and loaded is not fresh
    assert loaded.where == fresh.where
    for choice, selected in _choices(FIRST_SETS):
        assert loaded.for_choice(choice, selected).names == fresh.for_choice(choice, selected).names


_SET_VALUES = st.sampled_from(['"v"', 'a ~ "x"', "b", "c or 1", "a ~ b", "item"])
_READS = st.sampled_from(["{{ a }}", "{{ b }}", "{{ c }}", "{{ a ~ c }}", "{{ item }}", "z"])
_NAMES = st.sampled_from(["a", "b", "c"])


@st.composite
def _statements(draw: st.DrawFn, depth: int = 0) -> list[tuple[str, bool]]:
    """Lines of a template, each with whether a selector may end it (not a block's tags)."""
    kinds = ["set", "set", "read", "comment", *(["for", "if"] if depth < 2 else [])]
    lines: list[tuple[str, bool]] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        if kind == "set":
            sets = [f"{{% set {draw(_NAMES)} = {draw(_SET_VALUES)} %}}"]
            if draw(st.integers(0, 3)) == 0:  # now and then two on one line
                sets.append(f"{{% set {draw(_NAMES)} = {draw(_SET_VALUES)} %}}")
            lines.append(("".join(sets), True))
        elif kind == "read":
            lines.append((f"x: {draw(_READS)}", True))
        elif kind == "comment":
            lines.append((f"# {draw(_READS)}", False))  # a comment has no selector
        else:
            filtered = " if c" if draw(st.booleans()) else ""
            opening = (
                f"{{% for item in {draw(_NAMES)}{filtered} %}}" if kind == "for" else "{% if b %}"
            )
            closing = "{% endfor %}" if kind == "for" else "{% endif %}"
            lines += [(opening, False), *draw(_statements(depth + 1))]
            if draw(st.booleans()):  # an else branch (a loop's runs when it ran no item)
                lines += [("{% else %}", False), *draw(_statements(depth + 1))]
            lines.append((closing, False))
    return lines


@st.composite
def _templates(draw: st.DrawFn) -> str:
    lines = draw(_statements())
    out = []
    selectors = 0
    for line, selectable in lines:
        if selectable and selectors < 4 and draw(st.booleans()):
            line = f"{line}  # [s{selectors}]"
            selectors += 1
        out.append(line)
    assume(selectors)
    return "\n".join(out) + "\n"


@settings(max_examples=80, deadline=None)
@given(_templates())
def test_every_choice_of_a_generated_template_matches_a_parse(text: str) -> None:
    # Sets and reads of a few names at the top level, in loops and ifs, on and off selector
    # lines: the names worked out per choice are those a parse of the choice's text finds.
    _assert_every_choice_matches_a_parse(text)
