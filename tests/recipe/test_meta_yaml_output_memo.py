"""Outputs shared between builds of different final texts equal what a full build makes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from smithy.recipe import meta_yaml, meta_yaml_memo
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.meta_yaml_memo import BuildMemo
from smithy.recipe.model import RenderedRecipe
from tests.recipe.test_meta_yaml import LINUX, render, specs, text_recipe


@pytest.fixture(autouse=True)
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meta_yaml_memo, "_builds", BuildMemo())


def renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, values: list[dict[str, str]]
) -> list[RenderedRecipe]:
    """Renders of ``text`` for each set of values in one session; each equals a full build."""
    raw = text_recipe(tmp_path, text)
    known = frozenset(LINUX) | {key for value in values for key in value}
    with render_session():
        shared = [render(raw, variant={**LINUX, **value}, known=known) for value in values]
    with monkeypatch.context() as patch:
        patch.setattr(meta_yaml, "_shared_build", lambda *args: None)
        alone = [render(raw, variant={**LINUX, **value}, known=known) for value in values]
    assert shared == alone
    for one, other in zip(shared, alone, strict=True):  # spans are compared too
        assert [o.span for o in one.outputs] == [o.span for o in other.outputs]
    return shared


PINNED = """\
package:
  name: top
  version: {{ version }}
outputs:
  - name: lib
    build:
      number: {{ number }}
    requirements:
      run:
        - zlib
  - name: tool
    build:
      number: 0
    requirements:
      run:
        - {{ pin_subpackage('lib', max_pin=max_pin) }}
        - bzip2
"""


def test_an_output_unchanged_in_another_text_is_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = renders(
        tmp_path,
        monkeypatch,
        PINNED,
        [
            {"version": "1", "number": "0", "max_pin": "x"},
            {"version": "1", "number": "1", "max_pin": "x"},
        ],
    )
    assert first.outputs[0] != second.outputs[0]  # lib's number changed the text
    assert specs(first, "run", 1) == specs(second, "run", 1) == ["lib >=1,<2.0a0", "bzip2"]
    assert second.outputs[1] is first.outputs[1]  # tool: built once, shared


def tool_pins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, values: list[dict[str, str]]
) -> list[str]:
    """The spec tool's pin of lib gives in each render (its plain data says the same)."""
    found = []
    for recipe in renders(tmp_path, monkeypatch, text, values):
        spec = specs(recipe, "run", 1)[0]
        assert recipe.data["outputs"][1]["requirements"]["run"][0] == spec
        found.append(spec)
    return found


def test_a_pin_reading_an_other_output_is_not_shared_when_that_output_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tool's text is the same in both; the pin reads lib's version, which changed.
    text = PINNED.replace("version: {{ version }}", "version: 1").replace(
        "  - name: lib\n", "  - name: lib\n    version: {{ version }}\n"
    )
    values = {"number": "0", "max_pin": "x"}
    assert tool_pins(
        tmp_path, monkeypatch, text, [{**values, "version": "1"}, {**values, "version": "2"}]
    ) == ["lib >=1,<2.0a0", "lib >=2,<3.0a0"]


def test_a_pin_whose_arguments_changed_is_not_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = [
        {"version": "1.2", "number": "0", "max_pin": "x"},
        {"version": "1.2", "number": "1", "max_pin": "x.x"},
    ]
    assert tool_pins(tmp_path, monkeypatch, PINNED, values) == [
        "lib >=1.2,<2.0a0",
        "lib >=1.2,<1.3.0a0",
    ]


def test_an_inherited_version_or_top_level_skip_is_not_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "build:\n  skip: {{ skip }}\n" + PINNED
    values = {"version": "1", "number": "0", "max_pin": "x", "skip": "false"}
    first, second, third = renders(
        tmp_path,
        monkeypatch,
        text,
        [values, {**values, "version": "2"}, {**values, "skip": "true"}],
    )
    assert [first.outputs[1].version, second.outputs[1].version] == ["1", "2"]
    assert [first.outputs[1].skip, third.outputs[1].skip] == [False, True]


SHIFTED = """\
package:
  name: top
  version: 1
outputs:
{% if flavor == "a" %}
  - name: one
    requirements:
      run:
        - zlib
{% else %}
  - name: one
    requirements:
      run:
        - zlib
{% endif %}
  - name: two
    requirements:
      run:
        - bzip2 {{ flavor }}
"""


def test_the_same_output_text_from_other_template_lines_gets_its_own_spans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = renders(tmp_path, monkeypatch, SHIFTED, [{"flavor": "a"}, {"flavor": "b"}])
    assert first.outputs[0].requirements.run[0].span.line == 9
    assert second.outputs[0].requirements.run[0].span.line == 14
    assert second.outputs[0].span.line == 11


def test_the_same_output_text_from_the_same_lines_is_shared_with_its_spans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = renders(tmp_path, monkeypatch, SHIFTED, [{"flavor": "b"}, {"flavor": "c"}])
    assert second.outputs[0] is first.outputs[0]
    assert second.outputs[0].requirements.run[0].span.line == 14


# The deferred pins' numbers differ between the two builds: "first" defers numpy's pin
# before "second" in one of them only; "second" has the same text and lines in both.
COMPATIBLE = """\
{% set pin_numpy = pin_compatible('numpy') %}
{% set pin_python = pin_compatible('python', max_pin='x.x') %}
package:
  name: top
  version: 1
outputs:
  - name: first
    requirements:
      host:
        - numpy
      run:
        - {{ pin_numpy if extra == "yes" else "zlib" }}
  - name: second
    requirements:
      host:
        - python
        - numpy
      run:
        - {{ pin_python }}
        - {{ pin_numpy }}
"""


def test_outputs_holding_a_deferred_pin_are_not_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = {"numpy": "2.0", "python": "3.12"}
    first, second = renders(
        tmp_path, monkeypatch, COMPATIBLE, [{**values, "extra": "no"}, {**values, "extra": "yes"}]
    )
    assert specs(first, "run", 1) == ["python >=3.12,<3.13.0a0", "numpy >=2.0,<3.0a0"]
    assert specs(second, "run", 1) == specs(first, "run", 1)


def test_an_output_named_like_the_package_reads_the_top_level_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The output's own text is the same; the host it inherits from the top level is not.
    text = (
        "package:\n  name: top\n  version: 1\nrequirements:\n  host:\n    - numpy {{ hv }}\n"
        "outputs:\n  - name: top\n    requirements:\n      run:\n"
        "        - {{ pin_compatible('numpy') }}\n    test:\n"
        "      requires:\n        - {{ pin_compatible('numpy') }}\n"
    )
    values = [{"numpy": "2.0", "hv": "1.26"}, {"numpy": "2.0", "hv": "2.1"}]
    first, second = renders(tmp_path, monkeypatch, text, values)
    assert specs(first, "run") == ["numpy >=1.26,<2.0a0"]
    assert specs(second, "run") == ["numpy >=2.1,<3.0a0"]
    assert second.data["outputs"][0]["test"]["requires"] == ["numpy >=2.1,<3.0a0"]


def test_an_output_named_like_the_package_inherits_the_top_level_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing the output makes a span for changed: only the test section it inherits.
    text = (
        "package:\n  name: top\n  version: 1\noutputs:\n  - name: top\n"
        "    requirements:\n      run:\n        - zlib\n"
        "test:\n  commands:\n    - echo {{ flavor }}\n"
    )
    first, second = renders(tmp_path, monkeypatch, text, [{"flavor": "a"}, {"flavor": "b"}])
    assert [first.outputs[0].tests, second.outputs[0].tests] == [
        ({"commands": ["echo a"]},),
        ({"commands": ["echo b"]},),
    ]


def test_a_line_without_a_mark_takes_its_source_line_from_the_marked_line_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The item's first line comes out of an expression (no line mark of its own): its source
    # line counts on from "outputs:", which comes from another template line in each flavor.
    text = (
        "package:\n  name: top\n  version: 1\n{% if flavor == 'a' %}\n"
        'outputs:{{ "\\n  - name: one" }}{% else %}\n'
        'outputs:{{ "\\n  - name: one" }}{% endif %}\n'
        "    requirements:\n      run:\n        - zlib\n"
        "  - name: two\n    requirements:\n      run:\n        - bzip2 {{ flavor }}\n"
    )
    first, second = renders(tmp_path, monkeypatch, text, [{"flavor": "a"}, {"flavor": "b"}])
    assert [first.outputs[0].span.line, second.outputs[0].span.line] == [6, 7]


def test_an_exact_pin_reads_the_build_number_of_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = PINNED.replace("max_pin=max_pin", "exact=True")
    values = {"version": "1", "max_pin": "x"}
    assert tool_pins(
        tmp_path, monkeypatch, text, [{**values, "number": "0"}, {**values, "number": "3"}]
    ) == ["lib 1 *_0", "lib 1 *_3"]


def test_outputs_inheriting_the_top_level_build_number_are_not_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "old" has no build section (conda-build < 3.0.26 style: the top-level one); "new" has
    # one without a number. The top-level build comes last: no span of theirs moves.
    text = (
        "package:\n  name: top\n  version: 1\noutputs:\n  - name: old\n"
        "  - name: new\n    build:\n      string: abc\nbuild:\n  number: {{ number }}\n"
    )
    first, second = renders(tmp_path, monkeypatch, text, [{"number": "1"}, {"number": "2"}])
    assert [o.build_number for o in first.outputs] == [1, 1]
    assert [o.build_number for o in second.outputs] == [2, 2]


def test_a_top_level_section_reading_a_changed_output_is_converted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        PINNED.replace("version: {{ version }}", "version: 1").replace(
            "  - name: lib\n", "  - name: lib\n    version: {{ version }}\n"
        )
        + "about:\n  summary: {{ pin_subpackage('lib', max_pin='x.x') }}\n"
    )
    values = {"number": "0", "max_pin": "x"}
    first, second = renders(
        tmp_path, monkeypatch, text, [{**values, "version": "1.1"}, {**values, "version": "2.1"}]
    )
    assert [first.data["about"]["summary"], second.about["summary"]] == [
        "lib >=1.1,<1.2.0a0",
        "lib >=2.1,<2.2.0a0",
    ]
    assert second.data["about"]["summary"] == "lib >=2.1,<2.2.0a0"


def test_the_same_text_in_another_recipe_gets_spans_naming_that_recipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variant = {**LINUX, "version": "1", "number": "0", "max_pin": "x"}
    raws = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        raw = text_recipe(tmp_path / name, PINNED)
        raws.append(replace(raw, display_path=f"{name}/meta.yaml"))
    with render_session():
        first, second = (render(raw, variant=variant, known=frozenset(variant)) for raw in raws)
    assert first.outputs[1].span.path == "one/meta.yaml"
    assert second.outputs[1].span.path == "two/meta.yaml"
    assert second.outputs[1].requirements.run[1].span.path == "two/meta.yaml"


def test_a_text_that_looks_like_a_pin_stays_as_written_in_a_render_without_pins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a pin call nothing is resolved; with one, the same item's text is.
    text = (
        "package:\n  name: top\n  version: 1\noutputs:\n  - name: lib\n    test:\n"
        "      commands:\n        - echo \ue0000\ue001\n  - name: tool\n    requirements:\n"
        "      run:\n        - {{ pin_subpackage('lib') if pin == 'yes' else 'zlib' }}\n"
    )
    first, second = renders(tmp_path, monkeypatch, text, [{"pin": "no"}, {"pin": "yes"}])
    assert first.outputs[0].tests == ({"commands": ["echo \ue0000\ue001"]},)
    assert second.outputs[0].tests == ({"commands": ["echo lib >=1,<2.0a0"]},)
    assert second.data["outputs"][0]["test"]["commands"] == ["echo lib >=1,<2.0a0"]
