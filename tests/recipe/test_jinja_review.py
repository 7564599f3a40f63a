"""Review attacks on the jinja sandbox and render path: forged line marks, hidden text weight."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from smithy import cli
from smithy.errors import JinjaError
from smithy.recipe.jinja import compile_template, render_compiled
from smithy.recipe.jinja_functions import recipe_variables
from smithy.recipe.jinja_pins import PinRecorder
from smithy.recipe.model import RenderContext

MARK, MARK_END = "\ue002", "\ue003"
RECIPE = """\
package:
  name: foo
  version: "1.0"
source:
  url: https://example.org/foo-1.0.tar.gz
  sha256: 5b3b022489f3ced82384f06db1e13ba148cbce38c7941e424d6cb414416acd18
build:
  number: 0
about:
  home: https://example.org
  license: MIT
  license_file: LICENSE
  summary: foo
extra:
  recipe-maintainers:
    - someone
"""


def _render(text: str) -> str:
    compiled = compile_template(text, "meta.yaml")
    context = RenderContext("linux-64", "linux-64", {})
    variables = recipe_variables(context, Path("/nonexistent"), {}, PinRecorder(), compiled.names)
    return render_compiled(compiled, variables, "meta.yaml").text


def _feedstock(root: Path, text: str) -> Path:
    (root / "recipe").mkdir(parents=True)
    (root / "recipe" / "meta.yaml").write_text(text, encoding="utf-8")
    (root / "conda-forge.yml").write_text("{}\n", encoding="utf-8")
    return root


FORGED = MARK + "9" * 5000 + MARK_END  # more digits than int() takes


@pytest.mark.parametrize("command", ["lint", "rerender"])
@pytest.mark.parametrize(
    "first",
    [
        f"x: \"{{{{ '\\n{FORGED}' }}}}\"\n",  # a quoted scalar may go on at a line start
        f"x: \"{{{{ '{FORGED}' }}}}\"\n",
        f'x: "a\n{FORGED}"\n',
    ],
)
def test_a_forged_line_mark_with_many_digits_is_plain_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, first: str
) -> None:
    text = first + RECIPE + "bad: [\n"
    root = _feedstock(tmp_path / "fs", text)
    assert cli.main([command, str(root)]) == 3
    out = capsys.readouterr()
    assert "internal error" not in out.out + out.err
    # The YAML error at the end of the file, its line counted on past the forged mark.
    assert f"meta.yaml:{text.count(chr(10)) + 1}:1: " in out.out + out.err


NS = "{% set ns = namespace(a='x' * 900000) %}"
HIDDEN_WEIGHT = [
    NS + "{{ [ns] * 30 }}",  # a namespace prints its attributes
    NS + "{{ ('%s' * 30) % ((ns,) * 30) }}",
    "{% set d = {'a': 'x' * 900000} %}{{ [d.items()] * 30 }}",  # dict views print their items
    "{% set d = {'a': 'x' * 900000} %}{{ [d.values()] * 30 }}",
    "{{ [environ] * 100000 }}",  # a mapping proxy prints its items
    "{{ [os] * 100000 }}",  # a record prints its fields
]


@pytest.mark.parametrize("text", HIDDEN_WEIGHT)
def test_values_whose_text_shows_what_they_hold_are_weighed(text: str) -> None:
    with pytest.raises(JinjaError, match="exceeds a limit"):
        _render(text)


def test_yaml_aliases_in_loaded_data_are_weighed_as_printed(tmp_path: Path) -> None:
    aliases = "a: &a " + "x" * 100000 + "\nb: [" + "*a, " * 50 + "]\n"
    (tmp_path / "data.yaml").write_text(aliases, encoding="utf-8")
    compiled = compile_template("{{ load_file_data('data.yaml').b }}", "meta.yaml")
    context = RenderContext("linux-64", "linux-64", {})
    variables = recipe_variables(context, tmp_path, {}, PinRecorder(), compiled.names)
    with pytest.raises(JinjaError, match="more than 2000000 characters"):
        render_compiled(compiled, variables, "meta.yaml")
    text = "{% set y = 'a: &a ' ~ 'x' * 100000 ~ '\\nb: [' ~ '*a, ' * 50 ~ ']' %}"
    with pytest.raises(JinjaError, match="more than 2000000 characters"):
        _render(text + "{{ load_str_data(y, 'yaml').b }}")
    # A file's own strings are never longer than the file: a big real one still loads.
    (tmp_path / "big.json").write_text('{"a": "' + "x" * 1900000 + '"}', encoding="utf-8")
    compiled = compile_template("{{ load_file_data('big.json').a|length }}", "meta.yaml")
    variables = recipe_variables(context, tmp_path, {}, PinRecorder(), compiled.names)
    assert render_compiled(compiled, variables, "meta.yaml").text == "1900000"


S = "{% set s = 'x' * 100000 %}"
BUILT_BEFORE_WEIGHED = [  # each built ~100 MB before the result's size was checked
    S + "{{ ('{0}' * 1000).format(s) }}",
    S + "{{ ('{a}' * 1000).format_map({'a': s}) }}",
    S + "{{ ('%(a)s' * 1000) % {'a': s} }}",
    S + "{{ ('%s' * 1000) % ((s,) * 1000) }}",
    S + "{{ ('%(a)s' * 1000)|format(a=s) }}",
    "{{ ('%9999d' * 10000) % ((1,) * 10000) }}",
    "{{ ('%d' * 1000) % ((10 ** 4000,) * 1000) }}",
    "{{ '%(a)099999999d' % {'a': 1} }}",  # a width after a mapping key
    "{{ ('\\t' * 100000).expandtabs(9999) }}",
    "{{ ('a\\n' * 1000)|indent('y' * 100000) }}",
    "{{ ('a\\n' * 100000)|indent(9999) }}",
    "{{ ('a ' * 100000)|wordwrap(1, wrapstring='y' * 1000) }}",
]


def _peak_while_refused(text: str, reason: str) -> int:
    """Peak bytes allocated while rendering ``text`` fails with ``reason``."""
    tracemalloc.start()
    try:
        with pytest.raises(JinjaError, match=reason):
            _render(text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("text", BUILT_BEFORE_WEIGHED)
def test_growth_through_format_fields_and_padding_is_refused_unbuilt(text: str) -> None:
    assert _peak_while_refused(text, "exceeds a limit") < 20_000_000


REAL_FORMATS = {
    "{{ '%s-%s' % ('foo', '1.0') }}": "foo-1.0",
    "{{ '{}.{}'.format(1, 22) }}": "1.22",
    "{{ '{v:>6}'.format(v='1.0') }}": "   1.0",
    "{{ '%(n)s %5.2f' % {'n': 'x', 'f': 1} if false else '%05.1f'|format(2.5) }}": "002.5",
    "{{ 'a\\nb'|indent(2, first=true) }}": "  a\n  b",
    "{{ 'aa bb'|wordwrap(2, wrapstring='\\n  ') }}": "aa\n  bb",
    "{{ 'a\\tb'.expandtabs(4) }}": "a   b",
}


@pytest.mark.parametrize(("text", "expected"), REAL_FORMATS.items())
def test_ordinary_formatting_still_renders(text: str, expected: str) -> None:
    assert _render(text) == expected


MANY_PIECES = [  # each piece is small enough; together 100,000 loop steps of them are not
    "{% set s = 'x' * 999999 %}{% for i in range(60) %}{{ s }}{% endfor %}",
    "{% set s = 'x' * 999999 %}{% set b %}{% for i in range(60) %}{{ s }}{% endfor %}{% endset %}",
    "{% set s = 'x' * 999999 %}{% macro m() %}{% for i in range(30) %}{{ s }}{% endfor %}"
    "{% endmacro %}{% for i in range(3) %}{{ m()|length }}{% endfor %}",
    "{% for i in range(45000) %}" + "literal text " * 40 + "{% endfor %}",
    "{% set s = 'x' * 9999 %}{% for i in range(3000) %}{{ s ~ s }}{% endfor %}",
]


@pytest.mark.parametrize("text", MANY_PIECES)
def test_the_text_a_render_emits_in_all_is_bounded(text: str) -> None:
    assert _peak_while_refused(text, "characters of text rendered") < 60_000_000


def test_a_long_recipe_without_loops_renders_whole() -> None:
    text = "a: b\n" * 800_000  # 4 MB, the default file size cap
    assert _render(text) == text


@pytest.mark.parametrize("command", ["lint", "rerender"])
def test_too_much_text_is_a_one_line_error_naming_the_loop_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    loop = "{% set s = 'x' * 999999 %}\n{% for i in range(40) %}\n{{ s }}\n{% endfor %}\n"
    root = _feedstock(tmp_path / "fs", RECIPE + loop)
    assert cli.main([command, str(root)]) == 3
    out = capsys.readouterr()
    message = [line for line in (out.out + out.err).splitlines() if "characters of text" in line]
    assert len(message) == 1
    assert "meta.yaml:19: " in message[0]


UNCOUNTED_WORK = [  # seconds of CPU each at this size; hours at the size a recipe may have
    "{{ ('y' * 100000)" + "|map('lower')" * 20 + "|join|length }}",
    "{{ ('y' * 100000)" + "|select" * 20 + "|list|length }}",
    "{% set s = 'y' * 999999 %}"
    "{% for x in [1] * 20 recursive %}{% if x == 1 %}{{ loop(s) }}{% endif %}{% endfor %}",
]


@pytest.mark.parametrize("text", UNCOUNTED_WORK)
def test_items_of_filter_iterators_and_recursive_loops_are_counted(text: str) -> None:
    with pytest.raises(JinjaError, match="loop iterations"):
        _render(text)


def test_counted_filters_and_recursive_loops_still_render() -> None:
    text = (
        "{% for x in [1, [2, [3]]] recursive %}<{{ x if x is number else loop(x) }}>{% endfor %}"
        " {{ ['B', 'a']|map('lower')|join(',') }} {{ [3, 1, 3]|unique|list }}"
        " {{ [1, 2, 3]|reverse|list }} {{ [1, 0, 2]|select|list }}"
    )
    assert _render(text) == "<1><<2><<3>>> b,a [3, 1] [3, 2, 1] [1, 2]"


def test_the_work_of_slow_filters_over_long_text_is_bounded() -> None:
    text = "{% set s = 'y ' * 50000 %}{% for i in range(8) %}{{ (s|urlize)|length }}{% endfor %}"
    started = time.process_time()
    try:
        _render(text)
    except JinjaError:
        return
    # 8 calls over 100,000 characters: the budget a real recipe never needs.
    assert time.process_time() - started < 0.05


SLOW_OR_LONG_WORK = [  # each call within the size limits; the work they do together is not
    "{% set s = 'y ' * 50000 %}{{ s|urlize|length }}",
    "{% set s = 'y ' * 400000 %}{% for i in range(8) %}{{ s|title|length }}{% endfor %}",
    "{% set s = 'x' * 9999 %}{% for i in range(3000) %}{{ s.ljust(9999)|length }}{% endfor %}",
    "{% set s = 'x' * 999999 %}{% for i in range(50) %}{{ s.upper()|length }}{% endfor %}",
    "{% set l = range(50000)|list %}{% for i in range(99) %}{{ l|sort|length }}{% endfor %}",
]


@pytest.mark.parametrize("text", SLOW_OR_LONG_WORK)
def test_the_text_handed_to_filters_and_methods_is_bounded(text: str) -> None:
    started = time.process_time()
    with pytest.raises(JinjaError, match="characters handed to filters and string methods"):
        _render(text)
    assert time.process_time() - started < 2.0  # refused before the work, not after hours


def test_ordinary_filter_work_stays_within_the_budget() -> None:
    text = (
        "{% set s = 'a-b ' * 2500 %}{% for i in range(10) %}"
        "{{ s|replace('-', '_')|upper|length }}{{ s.split(' ')|sort|first }}{% endfor %}"
    )
    assert _render(text).startswith("10000")
