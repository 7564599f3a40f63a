"""The meta.yaml jinja sandbox: conda-build context functions, undefined names, hostile input."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from smithy.errors import JinjaError
from smithy.platforms import selector_namespace
from smithy.recipe.jinja import (
    CompiledRecipe,
    _strip_line_marks,
    compile_recipe,
    render_compiled,
)
from smithy.recipe.jinja_functions import parse_data, recipe_variables, with_star
from smithy.recipe.jinja_pins import PinRecorder, PinRequest
from smithy.recipe.jinja_sandbox import LINE_MARK, LINE_MARK_END
from smithy.recipe.model import RenderContext

VARIANT = {
    "c_compiler": "gcc",
    "c_compiler_version": "15",
    "c_stdlib": "sysroot",
    "c_stdlib_version": "2.28",
    "fortran_compiler": "gfortran",
    "python": "3.13.* *_cp313",
    "numpy": "2.1",
}


def render(
    text: str,
    platform: str = "linux-64",
    variant: Mapping[str, str] = VARIANT,
    *,
    recipe_dir: Path | None = None,
    known: frozenset[str] = frozenset(),
    env: Mapping[str, str] | None = None,
) -> str:
    context = RenderContext(platform, platform, dict(variant), dict(env or {}), known)
    compiled = compile_recipe(text, "meta.yaml")
    names = selector_namespace(platform, variant, platform)
    variables = recipe_variables(
        context, recipe_dir or Path("/nonexistent"), names, PinRecorder(), compiled.names
    )
    return render_compiled(compiled, variables, "meta.yaml").text


@pytest.mark.parametrize(
    ("template", "platform", "expected"),
    [
        ("{{ compiler('c') }}", "linux-aarch64", "gcc_linux-aarch64 15.*"),
        ("{{ compiler('c') }}", "osx-arm64", "gcc_osx-arm64 15.*"),
        ("{{ compiler('fortran') }}", "linux-64", "gfortran_linux-64"),
        ("{{ compiler('cxx') }}", "linux-64", "gxx_linux-64"),
        ("{{ compiler('cxx') }}", "osx-64", "clangxx_osx-64"),
        ("{{ compiler('rust') }}", "win-64", "rust_win-64"),
        ("{{ stdlib('c') }}", "linux-ppc64le", "sysroot_linux-ppc64le 2.28.*"),
        ("{{ stdlib('m2') }}", "win-64", "m2_win-64"),
        ("{{ cdt('libx11-devel') }}", "linux-ppc64le", "libx11-devel-conda-ppc64le"),
        ("{{ cdt('libx11-devel 1.6') }}", "linux-64", "libx11-devel-conda-x86_64 1.6"),
        ("{{ ccache('sccache') }}", "linux-64", "ccache"),
        ("{{ resolved_packages('host') | length }}", "linux-64", "0"),
        ("{{ PY_VER }} {{ CONDA_PY }} {{ NPY_VER }} {{ PY3K }}", "linux-64", "3.13 313 2.1 1"),
        ("{{ SHLIB_EXT }} {{ ARCH }} {{ SUBDIR }}", "osx-arm64", ".dylib arm64 osx-arm64"),
        ("{{ target_platform }}/{{ build_platform }}", "win-64", "win-64/win-64"),
        ("{% if linux and x86_64 %}L{% elif win %}W{% endif %}", "win-64", "W"),
        ("{{ py }} {{ np }}", "linux-64", "313 21"),
        ("{{ PKG_NAME }}|{{ CPU_COUNT }}", "linux-64", "|"),
    ],
)
def test_context_functions_and_values(template: str, platform: str, expected: str) -> None:
    assert render(template, platform) == expected


def test_compiler_uses_the_variant_target_platform() -> None:
    variant = {**VARIANT, "target_platform": "linux-aarch64"}
    assert render("{{ compiler('c') }}", "linux-64", variant) == "gcc_linux-aarch64 15.*"


def test_compiler_versions_with_a_star_or_build_are_kept() -> None:
    assert with_star("gcc_linux-64 15") == "gcc_linux-64 15.*"
    assert with_star("gcc_linux-64 15.*") == "gcc_linux-64 15.*"
    assert with_star("gcc_linux-64 >=15") == "gcc_linux-64 >=15"
    assert with_star("vs2022_win-64 19.29 h1") == "vs2022_win-64 19.29 h1"
    assert with_star("vs2022_win-64") == "vs2022_win-64"


def test_environ_and_os_read_only_the_given_mapping() -> None:
    template = "{{ environ.get('A', '-') }} {{ os.environ.get('B', '-') }} {{ os.getenv('A') }}"
    assert render(template, env={"A": "1"}) == "1 - 1"
    assert render("{{ os.sep }}{{ os.pathsep }}", "win-64") == "\\;"
    with pytest.raises(JinjaError, match="no attribute 'update'"):
        render("{{ environ.update({'A': '2'}) }}", env={"A": "1"})


def test_undefined_name_is_an_error_with_its_line() -> None:
    with pytest.raises(JinjaError, match="undefined jinja variable 'nope'") as info:
        render("a\nb\n{{ nope }}\n")
    assert info.value.span is not None and info.value.span.line == 3


def test_known_name_missing_from_the_variant_is_lenient() -> None:
    template = "[{{ cuda }}][{{ cuda.split('.')[0] }}][{{ cuda|int }}][{% if cuda %}x{% endif %}]"
    assert render(template, known=frozenset({"cuda"})) == "[][][0][]"
    assert render("{{ cuda is defined }}", known=frozenset({"cuda"})) == "False"


def test_undefined_name_with_a_default_is_fine() -> None:
    assert render("{{ nope | default('d') }} {{ nope is defined }}") == "d False"


def test_syntax_error_names_its_line() -> None:
    with pytest.raises(JinjaError, match="syntax") as info:
        render("ok\n{% if x %}\nnever closed\n")
    assert info.value.span is not None and info.value.span.line >= 2
    with pytest.raises(JinjaError, match="syntax") as info:
        render("a\n{{ 1 + }}\n")
    assert info.value.span is not None and info.value.span.line == 2


def test_compiled_templates_are_cached_and_report_implied_keys() -> None:
    text = "{{ compiler('cxx') }} {{ stdlib('c') }} {{ cdt('x') }}"
    text += " {{ pin_compatible('numpy') }} {{ v }}"
    first = compile_recipe(text, "meta.yaml")
    assert isinstance(first, CompiledRecipe)
    assert compile_recipe(text, "meta.yaml") is first
    assert first.implied_keys == {
        "cxx_compiler", "cxx_compiler_version", "c_stdlib", "c_stdlib_version",
        "cdt_name", "cdt_arch", "numpy",
    }  # fmt: skip
    assert "v" in first.names and "compiler" in first.names


def test_loop_output_lines_map_to_their_source_lines() -> None:
    compiled = compile_recipe("a\n{% for i in [1, 2] %}\n- {{ i }}\n{% endfor %}\nb\n", "m")
    variables = recipe_variables(
        RenderContext("linux-64", "linux-64"), Path("/x"), {}, PinRecorder(), compiled.names
    )
    rendered = render_compiled(compiled, variables, "m")
    lines = rendered.text.split("\n")
    assert [rendered.source_line(n) for n, line in enumerate(lines, 1) if line.startswith("-")] == [
        3,
        3,
    ]
    assert rendered.source_line(lines.index("b") + 1) == 5


def test_load_str_data_formats() -> None:
    assert parse_data('{"a": [1, 2]}', "json") == {"a": [1, 2]}
    assert parse_data("a = 1\n", "toml") == {"a": 1}
    assert parse_data("a: [x]\n", "yaml") == {"a": ["x"]}
    with pytest.raises(JinjaError, match="unknown data format"):
        parse_data("x", "xml")
    with pytest.raises(JinjaError, match="cannot parse json"):
        parse_data("{", "json")
    assert render("{{ load_str_data('{\"v\": 3}', 'json')['v'] }}") == "3"


def test_load_file_regex_missing_file_is_lenient(tmp_path: Path) -> None:
    template = "[{{ load_file_regex(load_file='setup.cfg', regex_pattern='x').group(1) }}]"
    assert render(template, recipe_dir=tmp_path) == "[]"
    assert render("{{ load_file_data('pyproject.toml') }}", recipe_dir=tmp_path) == "{}"


@pytest.mark.parametrize(
    "name",
    ["/etc/passwd", "../x.json", "a/../../x.json", "C:\\Windows\\win.ini", "\\\\srv\\share\\x"],
)
def test_file_functions_refuse_paths_outside_the_recipe(tmp_path: Path, name: str) -> None:
    with pytest.raises(JinjaError, match="refused"):
        render(f"{{{{ load_file_data({name!r}, 'json') }}}}", recipe_dir=tmp_path)
    with pytest.raises(JinjaError, match="refused"):
        render(f"{{{{ load_file_regex({name!r}, 'x') }}}}", recipe_dir=tmp_path)


HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].system('touch X') }}",
    "{{ joiner.__init__.__globals__.os.system('touch X') }}",
    "{{ compiler.__globals__ }}",
    "{{ environ.__class__.__init__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ load_file_data.__closure__ }}",
    "{{ range.__self__ }}",
    "{{ (1).__class__.__base__.__subclasses__() }}",
    "{{ [].append(1) }}",
    "{% set d = {} %}{{ d.update({'a': 1}) }}",
    "{{ 'x'.format.__globals__ }}",
    "{{ '{0.__class__}'.format('') }}",
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_templates_are_refused(
    tmp_path: Path, template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(JinjaError, match=r"unsafe|undefined"):
        render(template, recipe_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


EXPENSIVE = [
    "{% for i in range(10**9) %}{% endfor %}",
    "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
    "{% for i in 'x' * 1000 %}{% for j in 'y' * 1000 %}{% endfor %}{% endfor %}",
    "{{ 'x' * 10**9 }}",
    "{{ ['x'] * 10**9 }}",
    "{{ 10 ** (10 ** 10) }}",
    "{{ 'x'|center(1000000000) }}",
    *(
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = "
        + grow
        + " %}{% endfor %}"
        for grow in ("ns.s ~ ns.s", "ns.s + ns.s", "[ns.s, ns.s]|join", "ns.s|replace('a', 'aa')")
    ),
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ '%0999999999d'|format(1) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ ('x' * 999999).replace('', 'y' * 999999) }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
]


@pytest.mark.parametrize("template", EXPENSIVE)
def test_expensive_templates_fail_fast(template: str) -> None:
    # CPU time of this process: a loaded machine stretches wall time, not the work done.
    started = time.process_time()
    with pytest.raises(JinjaError) as info:
        render(template)
    assert time.process_time() - started < 2.0
    assert info.value.span is not None and info.value.span.line == 1


def test_ordinary_loops_and_string_work_is_allowed() -> None:
    template = "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'ab' * 3 }}"
    template += " {{ 2 ** 10 }} {{ 'x'|center(5) }}"
    assert render(template) == "012 ababab 1024   x  "


def test_lipsum_and_random_are_not_available() -> None:
    with pytest.raises(JinjaError, match="undefined"):
        render("{{ lipsum() }}")
    with pytest.raises(JinjaError, match="random"):
        render("{{ [1, 2]|random }}")


def _walked(text: str) -> tuple[str, list[int]]:
    # The straightforward definition: a line opening with a mark restarts the count there.
    current, lines, kept = 0, [], []
    for line in text.split("\n"):
        found = re.match(f"{LINE_MARK}(\\d+){LINE_MARK_END}", line)
        current = int(found.group(1)) if found else current + 1
        lines.append(current)
        kept.append(line[found.end() :] if found else line)
    return "\n".join(kept), lines


@pytest.mark.parametrize(
    "text",
    [
        "a\nb\n",
        f"a\n{LINE_MARK}7{LINE_MARK_END}b\nc\n{LINE_MARK}3{LINE_MARK_END}d",
        f"{LINE_MARK}5{LINE_MARK_END}x\n\n{LINE_MARK}5{LINE_MARK_END}{LINE_MARK}9{LINE_MARK_END}y",
        f"a {LINE_MARK}4{LINE_MARK_END}b\nc\n",
    ],
)
def test_source_lines_bisect_the_marks(text: str) -> None:
    rendered = _strip_line_marks(text)
    stripped, expected = _walked(text)
    assert [rendered.source_line(i) for i in range(1, len(expected) + 1)] == expected
    assert rendered.text == stripped


@pytest.mark.parametrize(
    "text",
    [
        "a\nb\nc\nd\n",
        f"a\nb\n{LINE_MARK}7{LINE_MARK_END}c\nd\ne\n{LINE_MARK}3{LINE_MARK_END}f\ng\n",
        f"{LINE_MARK}2{LINE_MARK_END}x\ny\n{LINE_MARK}2{LINE_MARK_END}z\nw\n",
        f"{LINE_MARK}10{LINE_MARK_END}a\nb\nc\nd\ne\nf\ng\nh\n",
    ],
)
@pytest.mark.parametrize("order", ["forward", "backward", "shuffled", "every_third_first"])
def test_source_lines_do_not_depend_on_the_order_asked(text: str, order: str) -> None:
    # Answers are reused by later questions: asked in any order, each line gets the same one.
    _, expected = _walked(text)
    lines = list(range(1, len(expected) + 1))
    if order == "backward":
        lines.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(lines)
    elif order == "every_third_first":
        lines = lines[::3] + [line for line in lines if line not in lines[::3]]
    rendered = _strip_line_marks(text)
    assert {line: rendered.source_line(line) for line in lines} == {
        line: expected[line - 1] for line in lines
    }


def _pin_requests(text: str) -> list[PinRequest]:
    compiled = compile_recipe(text, "meta.yaml")
    recorder = PinRecorder()
    context = RenderContext("linux-64", "linux-64", dict(VARIANT))
    variables = recipe_variables(context, Path("/nonexistent"), {}, recorder, compiled.names)
    render_compiled(compiled, variables, "meta.yaml")
    return recorder.requests


def test_kept_pin_requests_tell_arguments_of_other_types_apart() -> None:
    # Requests are kept by their arguments: equal values of other types (1 == True) and a
    # value printed alike ("x" and "x") must each give what a first call gives.
    calls = [
        "{{ pin_subpackage('a', max_pin='x') }}",
        "{{ pin_subpackage('a', max_pin='x', exact=1) }}",
        "{{ pin_subpackage('a', max_pin='x', exact=True) }}",
        "{{ pin_subpackage(' a ', max_pin='x.x', exact='') }}",
        "{{ pin_compatible('a', max_pin='x') }}",
    ]
    first = [_pin_requests(call) for call in calls]
    assert [_pin_requests(call) for call in reversed(calls)] == first[::-1]
    assert first[1] == first[2] and first[0] != first[1]
    assert first[3][0].name == "a" and first[3][0].max_pin == "x.x" and not first[3][0].exact


def test_a_bad_pin_call_fails_every_time() -> None:
    for _ in range(2):
        with pytest.raises(JinjaError, match="takes a package name"):
            _pin_requests("{{ pin_subpackage(' ') }}")
