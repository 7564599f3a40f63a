"""Builds shared by the variants of one final text give what a build per variant gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smithy.errors import JinjaError
from smithy.recipe import meta_yaml, meta_yaml_memo
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.meta_yaml_build import build as build_tree
from smithy.recipe.meta_yaml_memo import BuildMemo
from smithy.recipe.model import RenderedRecipe
from smithy.recipe.yaml_plain import plain_resolved
from smithy.recipe.yaml_tree import parse_tree, to_plain
from tests.recipe.test_meta_yaml import LINUX, render, specs, text_recipe

# numpy reaches this recipe only through pin_compatible: every numpy shares one final text.
RECIPE = """\
{% set version = "1.2.3" %}
package:
  name: split
  version: {{ version }}
source:
  url: https://example.org/{{ pin_compatible('numpy') | replace(' ', '_') }}.tar.gz
requirements:
  host:
    - numpy
    - zlib 1.3
outputs:
  - name: libsplit
    script: echo "{{ pin_compatible('numpy') }}"
    build:
      run_exports:
        - {{ pin_subpackage('libsplit', max_pin='x.x') }}
        - {{ pin_compatible('numpy') }}
      ignore_run_exports:
        - {{ pin_compatible('zlib') }}
    requirements:
      host:
        - numpy
        - zlib 1.3
      run:
        - {{ pin_compatible('numpy') }}
        - {{ pin_compatible('zlib', max_pin='x.x') }}
    test:
      requires:
        - {{ pin_compatible('numpy', min_pin='x.x') }}
      commands:
        - echo "{{ pin_compatible('numpy') }}"
  - name: py-split
    requirements:
      host:
        - numpy 1.26.4
      run:
        - {{ pin_compatible('numpy') }}
        - {{ pin_subpackage('libsplit', exact=True) }}
about:
  summary: built against {{ pin_compatible('numpy') }}
"""


def variant(numpy: str) -> dict[str, str]:
    return {**LINUX, "numpy": numpy}


def per_variant(raw: Any, numpy: str, monkeypatch: pytest.MonkeyPatch) -> RenderedRecipe:
    """The render with nothing shared: a full build for this variant alone."""
    with monkeypatch.context() as patch:
        patch.setattr(meta_yaml, "_shared_build", lambda *args: None)
        return render(raw, variant=variant(numpy))


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Counts builds (True: shared, with deferred pins); the memo starts empty."""
    made: list[bool] = []
    build = build_tree
    monkeypatch.setattr(meta_yaml_memo, "_builds", BuildMemo())

    def counting(*args: Any, defer_variant: bool, **options: Any) -> Any:
        made.append(defer_variant)
        return build(*args, defer_variant=defer_variant, **options)

    monkeypatch.setattr(meta_yaml, "build", counting)
    yield made


def test_variants_of_one_text_share_a_build_and_get_their_own_pins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[bool]
) -> None:
    raw = text_recipe(tmp_path, RECIPE)
    with render_session():
        shared = {numpy: render(raw, variant=variant(numpy)) for numpy in ("1.26", "2.0", "1.26")}
    assert builds == [True]  # one build for three renders
    assert specs(shared["1.26"], "run")[0] == "numpy >=1.26,<2.0a0"
    assert specs(shared["2.0"], "run")[0] == "numpy >=2.0,<3.0a0"
    # An output whose host names the version does not read the variant.
    assert specs(shared["2.0"], "run", 1)[0] == "numpy >=1.26.4,<2.0a0"
    for numpy, rendered in shared.items():
        assert rendered == per_variant(raw, numpy, monkeypatch)


def test_variants_with_equal_pins_share_the_filled_outputs(
    tmp_path: Path, builds: list[bool]
) -> None:
    raw = text_recipe(tmp_path, RECIPE)
    with render_session():
        first, other, again = (render(raw, variant=variant(n)) for n in ("1.26", "2.0", "1.26"))
    assert builds == [True]
    assert again.outputs[0] is first.outputs[0]  # filled once for numpy 1.26
    assert other.outputs[0] != first.outputs[0]
    assert again.data == first.data and again.data is not first.data  # plain data: fresh


def test_every_place_a_pin_lands_is_filled(tmp_path: Path, builds: list[bool]) -> None:
    raw = text_recipe(tmp_path, RECIPE)
    with render_session():
        render(raw, variant=variant("1.26"))
        rendered = render(raw, variant=variant("2.0"))
    assert builds == [True]
    output = rendered.outputs[0]
    assert output.script == 'echo "numpy >=2.0,<3.0a0"'
    assert output.run_exports["weak"][1] == "numpy >=2.0,<3.0a0"
    assert output.ignore_run_exports == {"by_name": ("zlib",)}  # no host here: the variant's
    assert output.tests[0]["requires"] == ["numpy >=2.0,<3.0a0"]
    # jinja's replace() saw the placeholder, not the spec
    assert rendered.sources[0].url == ("https://example.org/numpy >=2.0,<3.0a0.tar.gz",)
    assert rendered.about["summary"] == "built against numpy >=2.0,<3.0a0"
    assert rendered.data["outputs"][0]["requirements"]["run"][0] == "numpy >=2.0,<3.0a0"
    assert "\ue002" not in repr(rendered)


def test_a_later_session_finds_the_builds_of_an_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[bool]
) -> None:
    raw = text_recipe(tmp_path, RECIPE)
    found = []
    for numpy in ("1.26", "2.0"):
        with render_session():  # a rerender each: jinja renders again, the build is found
            found.append(render(raw, variant=variant(numpy)))
    assert builds == [True]
    assert found == [per_variant(raw, numpy, monkeypatch) for numpy in ("1.26", "2.0")]


def test_the_same_text_from_other_source_lines_is_built_again(
    tmp_path: Path, builds: list[bool]
) -> None:
    # Both flavors render the same text; the kept lines come from different template lines.
    text = (
        "package:\n  name: p\n  version: 1\n{% if flavor == 'a' %}\nrequirements:\n"
        "  run:\n    - zlib\n{% else %}\nrequirements:\n  run:\n    - zlib\n{% endif %}\n"
    )
    raw = text_recipe(tmp_path, text)
    known = frozenset({"flavor"})
    lines = []
    for flavor in ("a", "b"):
        with render_session():
            rendered = render(raw, variant={**variant("2.0"), "flavor": flavor}, known=known)
        lines.append(rendered.outputs[0].requirements.run[0].span.line)
    assert lines == [7, 11]
    assert builds == [True, True]


def test_nothing_is_shared_outside_a_render_session(tmp_path: Path, builds: list[bool]) -> None:
    raw = text_recipe(tmp_path, RECIPE)
    first, second = (render(raw, variant=variant(numpy)) for numpy in ("1.26", "2.0"))
    assert builds == [False, False]
    assert specs(first, "run")[0] != specs(second, "run")[0]


def test_each_render_gets_plain_data_of_its_own(tmp_path: Path, builds: list[bool]) -> None:
    raw = text_recipe(tmp_path, RECIPE)
    with render_session():
        first = render(raw, variant=variant("2.0"))
        first.data["about"]["summary"] = "changed"
        second = render(raw, variant=variant("2.0"))
    assert builds == [True]
    assert second.data["about"]["summary"] == "built against numpy >=2.0,<3.0a0"


def test_a_pin_that_fails_for_one_variant_fails_as_a_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[bool]
) -> None:
    raw = text_recipe(tmp_path, RECIPE)
    with render_session():
        assert specs(render(raw, variant=variant("2.0")), "run")[0] == "numpy >=2.0,<3.0a0"
        with pytest.raises(JinjaError) as shared:
            render(raw, variant=variant("1..2"))
    with pytest.raises(JinjaError) as alone:
        per_variant(raw, "1..2", monkeypatch)
    assert str(shared.value) == str(alone.value)


def test_recipe_text_holding_the_marker_is_built_per_variant(
    tmp_path: Path, builds: list[bool]
) -> None:
    text = RECIPE.replace("summary: built", "summary: \ue0020\ue003 built")
    raw = text_recipe(tmp_path, text)
    rendered = render(raw, variant=variant("2.0"))
    assert builds == [False]
    assert rendered.about["summary"] == "\ue0020\ue003 built against numpy >=2.0,<3.0a0"


def test_a_pin_argument_holding_the_marker_is_built_per_variant(
    tmp_path: Path, builds: list[bool]
) -> None:
    text = RECIPE.replace("pin_subpackage('libsplit', max_pin='x.x')", "pin_subpackage(odd)")
    raw = text_recipe(tmp_path, text)
    with render_session():
        rendered = render(raw, variant={**variant("2.0"), "odd": "\ue0020\ue003"})
    assert builds == [False]
    assert rendered.outputs[0].run_exports["weak"][0] == "\ue0020\ue003"


def test_plain_copies_equal_a_full_conversion_and_are_fresh() -> None:
    text = "a:\n  b: [x, \ue0001\ue001]\n  c: {d: e}\nf: [1, {g: h}]\n"
    tree = parse_tree(text, "m")

    def resolve(value: str) -> str:
        return value.replace("\ue0001\ue001", "pinned")

    for _ in range(3):  # first conversion, then the cached blobs
        assert plain_resolved(tree, resolve) == to_plain(tree, resolve)
        assert plain_resolved(tree, None) == to_plain(tree, None)
    copy = plain_resolved(tree, resolve)
    copy["f"][1]["g"] = "changed"
    assert plain_resolved(tree, resolve)["f"][1]["g"] == "h"
