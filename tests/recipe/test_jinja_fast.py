"""The render's shortcuts: trusted functions, one line mark per text piece, one context copy.

Each shortcut is compared with the slow path it replaces (kept here as the reference), and the
sandbox is attacked through the functions that now skip jinja's checks.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from jinja2 import nodes
from jinja2.runtime import StrictUndefined

from smithy.errors import JinjaError
from smithy.platforms import selector_namespace
from smithy.recipe import jinja_sandbox
from smithy.recipe.jinja import LenientUndefined, compile_template, render_compiled
from smithy.recipe.jinja_functions import recipe_variables
from smithy.recipe.jinja_lines import SourceLines
from smithy.recipe.jinja_pins import PinRecorder
from smithy.recipe.jinja_sandbox import (
    LINE_MARK,
    LINE_MARK_END,
    MAX_CALLS,
    MAX_TEXT,
    RecipeSandbox,
    trusted,
)
from smithy.recipe.model import RenderContext

VARIANT = {"c_compiler": "gcc", "c_compiler_version": "15", "python": "3.12", "numpy": "2"}


def _variables(text: str, recorder: PinRecorder, **extra: Any) -> dict[str, Any]:
    context = RenderContext("linux-64", "linux-64", dict(VARIANT))
    compiled = compile_template(text, "meta.yaml")
    names = selector_namespace("linux-64", VARIANT, "linux-64")
    variables = recipe_variables(context, Path("/nonexistent"), names, recorder, compiled.names)
    variables.update(extra)
    return variables


def _render(text: str, **extra: Any) -> tuple[str, tuple[object, ...]]:
    recorder = PinRecorder()
    variables = _variables(text, recorder, **extra)
    rendered = render_compiled(compile_template(text, "meta.yaml"), variables, "meta.yaml")
    return rendered.text, tuple(recorder.requests)


CALLS = [
    "{{ pin_subpackage('a', exact=True) }} {{ pin_compatible('numpy', max_pin='x.x') }}",
    "{% for p in ['a', 'b'] %}{{ pin_subpackage(p ~ '-x', max_pin=None) }}\n{% endfor %}",
    "{% for c in ['c', 'cxx'] %}- {{ compiler(c) }} {{ stdlib(c) }}\n{% endfor %}",
    "{% macro m(x) %}{{ compiler(x) }}{% endmacro %}{{ m('c') }} {{ cdt('libx11') }}",
    "{% set s %}{{ pin_subpackage('b') }}{% endset %}[{{ s }}] {{ ccache('x') }}",
    "{{ resolved_packages('host')|length }} {{ load_str_data('{\"a\": 1}', 'json').a }}",
]


@pytest.mark.parametrize("text", CALLS)
def test_trusted_calls_render_as_jinja_would_call_them(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _render(text)
    monkeypatch.setattr(jinja_sandbox, "_TRUSTED_CODE", set())  # every call the slow way
    assert _render(text) == fast
    assert fast[0] and "None" not in fast[0]


def _stops(*_: object) -> str:
    raise StopIteration


def test_a_stop_iteration_is_undefined_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "[{{ stops() is defined }}]"
    slow = _render(text, stops=_stops)
    fast = _render(text, stops=trusted(_stops))
    assert slow == fast == ("[False]", ())


def _huge(*_: object) -> str:
    return "x" * (MAX_TEXT + 1)


def test_trusted_calls_still_count_and_are_size_checked() -> None:
    many = f"{{% for i in range({MAX_CALLS // 2 + 1}) %}}{{{{ pin_subpackage('a') }}}}"
    many += "{{ compiler('c') }}{% endfor %}"
    with pytest.raises(JinjaError, match=f"more than {MAX_CALLS} calls"):
        _render(many)
    with pytest.raises(JinjaError, match="longer than"):
        _render("{{ huge() }}", huge=trusted(_huge))


class _Callable:
    def __call__(self) -> str:
        return ""


def replace(*_: object) -> str:  # named like the str method the sandbox checks by name
    return ""


def _passes_context(*_: object) -> str:
    return ""


_passes_context.jinja_pass_arg = "context"  # type: ignore[attr-defined]


def _marked_unsafe(*_: object) -> str:
    return "ran"


_marked_unsafe.unsafe_callable = True  # type: ignore[attr-defined]


def _alters_data(*_: object) -> str:
    return "ran"


_alters_data.alters_data = True  # type: ignore[attr-defined]
UNTRUSTABLE = [len, str.upper, _Callable(), replace, _passes_context, _marked_unsafe, _alters_data]


@pytest.mark.parametrize("function", UNTRUSTABLE)
def test_only_plain_functions_checked_by_nothing_can_be_trusted(function: Any) -> None:
    with pytest.raises(TypeError):
        trusted(function)


@pytest.mark.parametrize("function", [_marked_unsafe, _alters_data])
def test_a_function_jinja_refuses_is_still_refused(function: Any) -> None:
    # Not trusted (trusted() refuses it), so the call meets jinja's own checks.
    with pytest.raises(JinjaError, match="unsafe"):
        _render("{{ f() }}", f=function)


def _other_code(*_: object) -> str:
    return "ran"


def test_only_the_registered_code_skips_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    original = RecipeSandbox.is_safe_callable

    def watched(self: RecipeSandbox, obj: Any) -> bool:
        seen.append(obj)
        return original(self, obj)

    monkeypatch.setattr(RecipeSandbox, "is_safe_callable", watched)
    assert _render("{{ f() }} {{ compiler('c') }}", f=_other_code)[0] == "ran gcc_linux-64 15.*"
    assert seen == [_other_code]  # the untrusted function was checked, compiler() was not


TRUSTED_HOSTILE = [
    "{{ pin_subpackage.__globals__ }}",
    "{{ pin_subpackage.__code__ }}",
    "{{ compiler.__closure__ }}",
    "{{ compiler.__code__.co_consts }}",
    "{{ pin_subpackage|attr('__globals__') }}",
    "{{ pin_subpackage['__globals__'] }}",
    "{{ '{0.__globals__}'.format(pin_subpackage) }}",
    "{{ '{0.__code__}'.format(compiler) }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ ''.__class__.mro() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ load_file_data.__globals__['Path']('/etc/passwd').read_text() }}",
    "{{ compiler.__call__.__self__.__globals__ }}",
    "{{ environ.__class__.__mro__ }}",
    "{{ os.getenv.__func__.__globals__ }}",
]


@pytest.mark.parametrize("text", TRUSTED_HOSTILE)
def test_trusted_functions_give_no_way_out_of_the_sandbox(text: str) -> None:
    with pytest.raises(JinjaError, match=r"unsafe|undefined"):
        _render(text)


def test_range_stays_bounded() -> None:
    with pytest.raises(JinjaError, match="loop iterations"):
        _render("{{ range(10**9)|list|length }}")


def _mark_every_line(node: nodes.Node) -> None:
    """The sandbox's marking before: every newline of literal text (the reference)."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.TemplateData):
            pieces = child.data.split("\n")
            child.data = pieces[0] + "".join(
                f"\n{LINE_MARK}{child.lineno + index}{LINE_MARK_END}{piece}"
                for index, piece in enumerate(pieces[1:], 1)
            )
        elif not isinstance(child, jinja_sandbox._UNMARKED_BLOCKS):
            _mark_every_line(child)


MARKED = [
    "a\nb\n{{ x }}\nc\nd\n",
    "a\n{% for i in [1, 2] %}\n- {{ i }}\n  more\n{% endfor %}\nb\n",
    "a\n{% if x %}\nyes\nyes\n{% else %}\nno\n{% endif %}\nz\n",
    "{% set y = 'p\\nq' %}a\n{{ y }}\nb\nc\n{{ x }}{{ y }}\nd\n",
    "a\n  {%- if x %}\nb\n{%- endif %}\nc\n{# note\nmore #}\nd\n",
    "{% macro m() %}\nm1\nm2\n{% endmacro %}a\n{{ m() }}\nb\n",
    "\n\n{{ x }}\n\n{% for i in 'ab' %}{{ i }}\n\n{% endfor %}\n",
]


@pytest.mark.parametrize("text", MARKED)
def test_one_mark_per_text_piece_maps_every_line_as_marking_each(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = {"x": "v1\nv2"}
    ours = compile_template(text, "m")
    rendered = render_compiled(ours, variables, "m")
    monkeypatch.setattr(jinja_sandbox, "_mark_lines", _mark_every_line)
    reference = RecipeSandbox(undefined=StrictUndefined, keep_trailing_newline=True)
    marked = dataclasses.replace(ours, template=reference.from_string(text))
    full = render_compiled(marked, variables, "m")
    assert rendered.text == full.text
    assert LINE_MARK not in full.text and full.source_lines != rendered.source_lines
    count = rendered.text.count("\n") + 1
    assert [rendered.source_line(n) for n in range(1, count + 1)] == [
        full.source_line(n) for n in range(1, count + 1)
    ]


def _number_from_slice(lines: list[str], start: int, index: int) -> int:
    """The source line of rendered line ``index`` read from ``lines[start:index + 1]`` alone."""
    first = lines[start]
    if first.startswith(LINE_MARK):
        return int(first[1 : first.index(LINE_MARK_END)]) + index - start
    assert start == 0  # no mark above: lines count from the top
    return index + 1


@pytest.mark.parametrize("text", MARKED)
def test_a_slice_from_the_mark_above_decides_the_line_numbers(text: str) -> None:
    # The output memo compares such slices of two renders (meta_yaml_output_memo).
    rendered = render_compiled(compile_template(text, "m"), {"x": "v1\nv2"}, "m")
    source = rendered.source_lines
    assert isinstance(source, SourceLines)
    for index in range(len(source)):
        start = source.mark_above(index)
        lines = source.marked(0, len(source))
        assert source.marked(start, index + 1) == lines[start : index + 1]
        assert start <= index and not any(
            line.startswith(LINE_MARK) for line in lines[start + 1 : index + 1]
        )
        assert _number_from_slice(lines, start, index) == source[index]


def test_rendering_reads_globals_and_lets_names_shadow_them() -> None:
    text = "{{ range(2)|list }} {{ dict(a=1).a }} {{ namespace(v=3).v }} {{ joiner is defined }}"
    assert _render(text)[0] == "[0, 1] 1 3 True"
    assert _render("{{ dict }}", dict="mine")[0] == "mine"


def test_names_set_elsewhere_are_worked_out_only_for_an_unknown_name() -> None:
    asked: list[int] = []

    def set_somewhere() -> frozenset[str]:
        asked.append(1)
        return frozenset({"p"})

    context = RenderContext("linux-64", "linux-64", dict(VARIANT))
    names = selector_namespace("linux-64", VARIANT, "linux-64")

    def variables(read: frozenset[str]) -> dict[str, Any]:
        return recipe_variables(
            context, Path("/x"), names, PinRecorder(), read, set_elsewhere=set_somewhere
        )

    assert "p" not in variables(frozenset({"python", "linux", "PKG_NAME"}))
    assert asked == []  # every name the template reads is known: no parse of the recipe
    found = variables(frozenset({"python", "p", "q"}))
    assert asked and isinstance(found["p"], LenientUndefined) and "q" not in found
