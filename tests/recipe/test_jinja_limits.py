"""Size bombs built from references: small in memory, huge once joined, summed or printed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import ImmutableSandboxedEnvironment

from smithy.errors import JinjaError
from smithy.recipe.jinja import compile_template, render_compiled
from smithy.recipe.jinja_functions import recipe_variables
from smithy.recipe.jinja_limits import MAX_TEXT, text_weight
from smithy.recipe.jinja_pins import PinRecorder
from smithy.recipe.model import RenderContext


def _render(text: str, recipe_dir: Path = Path("/nonexistent")) -> str:
    compiled = compile_template(text, "meta.yaml")
    context = RenderContext("linux-64", "linux-64", {})
    variables = recipe_variables(context, recipe_dir, {}, PinRecorder(), compiled.names)
    return render_compiled(compiled, variables, "meta.yaml").text


def test_text_weight_counts_characters_and_items() -> None:
    assert text_weight("abc") == 3
    assert text_weight(["ab", ("c", 1)]) == 2 + 2 + 2 + 1
    assert text_weight({"k": ["v"]}) == 2 + 1 + 1 + 1
    assert text_weight(7) == 0


def _weight_walked_naively(value: object) -> int:
    """text_weight's definition, every repeated item walked again (no limit)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return 2 * len(value) + sum(map(_weight_walked_naively, [*value, *value.values()]))
    if isinstance(value, list | tuple):
        return len(value) + sum(map(_weight_walked_naively, value))
    return 0


_LEAVES = st.none() | st.integers() | st.text(max_size=5) | st.binary(max_size=3)


def _shared(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    # Containers that hold the same object several times, as [l] * n and dict values do.
    repeated = st.tuples(children, st.integers(1, 4)).map(lambda pair: [pair[0]] * pair[1])
    return (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=3), children, max_size=3)
        | repeated
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(_LEAVES, _shared, max_leaves=40))
def test_text_weight_weighs_shared_objects_as_the_naive_walk(value: object) -> None:
    assert text_weight(value) == _weight_walked_naively(value)


def test_a_container_holding_itself_weighs_more_than_any_limit() -> None:
    loop: list[object] = ["x"]
    loop.append([loop])
    assert text_weight(loop) > MAX_TEXT
    assert text_weight({"a": loop}, limit=10) > 10


def test_a_list_shown_many_times_is_walked_once() -> None:
    # ([l] * 1000)|sum(start=[]) weighed ~1M items six times: seconds on a slow machine.
    shared = [1] * 999
    started = time.process_time()
    assert text_weight([shared] * 1000) == 1000 + 1000 * 999
    assert time.process_time() - started < 0.1


def test_text_weight_stops_soon_past_the_limit_on_shared_items() -> None:
    inner = ["x"] * 1000
    shared = [inner] * 1000  # a million items through a thousand references
    started = time.process_time()
    assert text_weight([shared] * 1000, limit=5000) > 5000
    assert time.process_time() - started < 1.0
    assert text_weight(shared, limit=10**7) == 1000 + 1000 * (1000 + 1000)
    assert MAX_TEXT < text_weight(shared) < 2 * MAX_TEXT  # counted only up to the limit


BIG = "{% set s = 'x' * 1000000 %}"
HALF = "{% set s = 'x' * 500000 %}"
BOMBS = [
    "{{ ['x' * 1000000] * 1000 }}",
    "{{ (['x' * 1000000] * 1000)|join|length }}",
    BIG + "{{ [s, s, s, s, s, s, s, s, s, s]|length }}",
    BIG + "{{ (s, s, s)|length }}",
    BIG + "{{ {'a': s, 'b': s}|length }}",
    HALF + "{% set l = [s] %}{{ (l + l + l)|length }}",
    HALF + "{% set l = [s] %}{{ ('y' * 3000).join(l + l)|length }}",
    "{% set s = 'x' * 999999 %}{{ ('y' * 3000).join(s)|length }}",
    "{% set s = 'x' * 999999 %}{{ s.join(['a', 'b', 'c'])|length }}",
    "{% set s = 'x' * 999 %}{{ (s * 1000).join(s.split('x'))|length }}",
    "{{ ('x' * 1000000).translate({120: 'y' * 1000000})|length }}",
    "{% set l = [1] * 999 %}{{ ([l] * 1000)|sum(start=[])|length }}",
    "{% set s = 'x' * 2000 %}{{ ([{'a': s}] * 490)|join(s, attribute='a')|length }}",
    "{% set l = [1] * 990 %}{{ ([{'a': l}] * 999)|sum(attribute='a', start=[])|length }}",
    "{{ ('x' * 1000000)|replace('x', 'yy')|length }}",
    HALF + "{{ dict(a=s, b=s, c=s)|length }}",
    HALF + "{{ [s]|batch(3, s)|list|length }}",
    HALF + "{% set ns = namespace() %}{% set ns.a = s %}{% set ns.b = s %}{{ ns }}",
    HALF + "{{ (namespace(a=s, b=s, c=s)|string)|length }}",
]


@pytest.mark.parametrize("text", BOMBS)
def test_bombs_made_of_references_are_refused_before_they_are_built(text: str) -> None:
    # CPU time of this process: a loaded machine stretches wall time, not the work done.
    started = time.process_time()
    with pytest.raises(JinjaError, match="exceeds a limit"):
        _render(text)
    assert time.process_time() - started < 2.0


ORDINARY = [
    "{{ [1, 2]|join('-') }} {{ ['a', 'b']|join }} {{ ['a', 'b']|join(d=', ') }}",
    "{{ [[1], [2]]|sum(start=[]) }} {{ [1, 2, 3]|sum }} {{ [1, 2]|sum(start=10) }}",
    "{{ [{'a': 'q'}, {'a': 'r'}]|join(',', attribute='a') }}",
    "{{ [{'p': 1}, {'p': 2}]|sum(attribute='p') }} {{ [(1,), (2,)]|sum(start=()) }}",
    "{{ 'ab'.join('xyz') }} {{ '-'.join(['a', 'b']) }} {{ ', '.join(['a', 'b']|map('upper')) }}",
    "{{ 'abc'.translate({97: 'zz', 98: None}) }} {{ 'a-b'.replace('-', '_') }}",
    "{% for a, b in [(1, 2), (3, 4)] %}{{ a }}{{ b }}{% endfor %}{% set c, d = 5, 6 %}{{ c ~ d }}",
    "{{ dict(a=1, b=[1, 2]) }} {{ {'k': [1, (2, 3)]} }} {{ [x, (x, x), {x: x}] }}",
    "{{ ('x' * 1000)|replace('x', 'yy')|length }} {{ ['x' * 1000] * 999 == [] }}",
    "{% set ns = namespace(a=1) %}{% set ns.b = [x, 2] %}{{ ns }} {{ ns.b ~ ns.a }}",
    "{{ dict(a=x) }} {{ [1, 2, 3]|batch(2, 0)|list }} {{ 'a b'.split() }}",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_joins_sums_and_literals_render_as_plain_jinja(text: str) -> None:
    plain = ImmutableSandboxedEnvironment().from_string(text)
    assert _render("{% set x = 'v' %}" + text) == plain.render(x="v")


def test_a_joined_weight_just_inside_the_limit_is_allowed() -> None:
    text = "{% set s = 'x' * 999 %}{{ ([s] * 1000)|join|length }}"
    assert _render(text) == str(999 * 1000)
    assert MAX_TEXT >= 999 * 1000 + 1000


def test_an_iterator_given_to_join_is_joined_once() -> None:
    # The items are listed to be weighed: a generator must not come out empty.
    assert _render("{{ '-'.join(['a', 'b']|map('upper')) }}") == "A-B"
    assert _render("{{ (['a', 'b']|map('upper'))|join('+') }}") == "A+B"


def test_data_read_from_the_recipe_folder_is_bounded_by_the_file_cap(tmp_path: Path) -> None:
    # One key holding 1.2 million characters: smithy's own function passes it on (the file
    # size cap bounds it), while the same value built by the template would be refused.
    (tmp_path / "big.json").write_text('{"a": "%s"}' % ("x" * 1_200_000))
    assert _render("{{ load_file_data('big.json').a|length }}", tmp_path) == "1200000"
    with pytest.raises(JinjaError, match="exceeds a limit"):
        _render("{{ dict(a=load_file_data('big.json').a) }}", tmp_path)
