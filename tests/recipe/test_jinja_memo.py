"""Variants that read the same values share one jinja render, and render exactly as alone."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from smithy.platforms import MAIN_PLATFORMS
from smithy.recipe import jinja_memo, meta_yaml
from smithy.recipe.jinja_memo import current_memo, render_session, template_identifiers
from smithy.recipe.meta_yaml import render_meta_yaml
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe

RECIPE = """\
{% set version = "2.1" %}
{% set cuda_major = (cuda_compiler_version or "0").split(".")[0] | int %}
package:
  name: memo-demo
  version: {{ version }}
build:
  number: 3
  string: {{ environ.get("BUILD_FLAVOUR", "plain") }}_py{{ CONDA_PY }}  # [not win]
  string: win_{{ os.getenv("WIN_FLAVOUR", "plain") }}  # [win]
requirements:
  build:
    - {{ compiler('c') }}
    - {{ compiler('cuda') }}  # [cuda_compiler_version != "None"]
    - {{ stdlib('c') }}  # [linux]
  host:
    - python
    - numpy
    - cuda-version {{ cuda_compiler_version }}  # [cuda_major >= 12]
  run:
    - python
    - {{ pin_compatible('numpy') }}
    - "{{ 'cudnn' if cuda_major >= 12 else 'none' }}"
about:
  summary: "{{ 'mkl' if blas_impl == 'mkl' else 'open' }}"  # [linux]
"""

VALUES = {
    "python": ("3.11.* *_cpython", "3.12.* *_cpython"),
    "numpy": ("2.0", "2.2", "2.3"),
    "cuda_compiler_version": ("None", "12.6"),
    "c_compiler_version": ("13", "14"),
    "blas_impl": ("openblas", "mkl"),
    "libpng": ("1.6", "1.7"),  # read by nothing: never splits a render
}
FIXED = {"c_compiler": "gcc", "c_stdlib": "sysroot", "c_stdlib_version": "2.17"}
FIXED |= {"cuda_compiler": "cuda-nvcc"}


def _raw(tmp_path: Path, text: str = RECIPE) -> RawRecipe:
    path = tmp_path / "recipe" / "meta.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return RawRecipe(path, RecipeFormat.V0, text, "recipe/meta.yaml")


def _variants() -> list[dict[str, str]]:
    keys = sorted(VALUES)
    return [
        {**FIXED, **dict(zip(keys, combo, strict=True))}
        for combo in itertools.product(*(VALUES[key] for key in keys))
    ]


def _contexts(env: dict[str, str]) -> list[RenderContext]:
    known = frozenset(VALUES) | frozenset(FIXED)
    return [
        RenderContext(platform, platform, variant, env, known)
        for platform in MAIN_PLATFORMS
        for variant in _variants()
    ]


def _comparable(recipe: RenderedRecipe) -> tuple[object, ...]:
    return (recipe.outputs, recipe.data, recipe.used_variables, recipe.selected_text)


@pytest.mark.parametrize("env", [{}, {"BUILD_FLAVOUR": "fast", "WIN_FLAVOUR": "w"}])
def test_a_session_renders_every_variant_as_a_render_alone(
    tmp_path: Path, env: dict[str, str]
) -> None:
    raw = _raw(tmp_path)
    contexts = _contexts(env)
    alone = [_comparable(render_meta_yaml(raw, context)) for context in contexts]
    with render_session():
        shared = [_comparable(render_meta_yaml(raw, context)) for context in contexts]
    assert shared == alone


def test_variants_reading_equal_values_share_one_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _raw(tmp_path)
    calls: list[str] = []
    original = meta_yaml.render_compiled

    def counting(*args: object) -> object:
        calls.append("render")
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(meta_yaml, "render_compiled", counting)
    contexts = [c for c in _contexts({}) if c.platform == "linux-64"]
    with render_session():
        for context in contexts:
            render_meta_yaml(raw, context)
    # numpy (pinned after jinja) and libpng are read by no tag: python x cuda x the c
    # compiler version (read inside compiler('c')) x blas_impl remain.
    assert len(calls) == 2 * 2 * 2 * 2
    assert len(contexts) == len(calls) * 3 * 2


def test_a_key_read_only_inside_a_function_keeps_variants_apart(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    base = {**FIXED, **{key: values[0] for key, values in VALUES.items()}}
    contexts = [
        RenderContext("linux-64", "linux-64", {**base, "c_compiler_version": version})
        for version in ("13", "14")
    ]
    with render_session():
        first, second = (render_meta_yaml(raw, context) for context in contexts)
    assert first.outputs[0].requirements.build[0].spec == "gcc_linux-64 13.*"
    assert second.outputs[0].requirements.build[0].spec == "gcc_linux-64 14.*"


def test_an_environment_value_read_keeps_renders_apart(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    variant = {**FIXED, **{key: values[0] for key, values in VALUES.items()}}
    with render_session():
        strings = [
            render_meta_yaml(
                raw, RenderContext("linux-64", "linux-64", variant, {"BUILD_FLAVOUR": flavour})
            )
            .outputs[0]
            .build_string
            for flavour in ("a", "b")
        ]
    assert strings == ["a_py311", "b_py311"]


def test_no_memo_outside_a_session_and_none_left_after() -> None:
    assert current_memo() is None
    with render_session():
        assert current_memo() is not None
    assert current_memo() is None


def test_identifiers_are_the_names_in_tags_not_string_literals() -> None:
    names = template_identifiers("a: {{ pin_compatible('numpy') }} numpy {% if x %}{% endif %}")
    assert names == ("endif", "if", "pin_compatible", "x")  # keywords are name tokens too
    assert template_identifiers("{% if %}") is not None  # lexes; the render reports the error
    assert template_identifiers("{{ 'unterminated }}") is None


def test_a_render_that_iterates_the_variant_is_not_reused() -> None:
    memo = jinja_memo.JinjaMemo()
    reads = jinja_memo.Reads()
    recording = jinja_memo.RecordingMapping({"a": "1"}, "variant", reads)
    assert list(recording) == ["a"]
    memo.store(("k",), reads, jinja_memo.JinjaResult(meta_yaml.RenderedText("x"), ()))
    assert memo.find(("k",), {"variant": {"a": "1"}}) is None


V1_RECIPE = """\
context:
  version: "3.2.1"
  major: ${{ (version | split('.'))[0] }}
recipe:
  name: memo-split
  version: ${{ version }}
source:
  url: https://example.org/memo-${{ version }}.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111
outputs:
  - package:
      name: libmemo
    build:
      string: h${{ major }}_${{ blas_impl }}
    requirements:
      build:
        - ${{ compiler('c') }}
        - if: linux
          then: ${{ stdlib('c') }}
      host:
        - libpng
        - ${{ "mkl" if blas_impl == "mkl" else "openblas" }}
      run_exports:
        - ${{ pin_subpackage('libmemo', upper_bound='x.x') }}
  - package:
      name: py-memo
    build:
      string: py${{ python | replace('.', '') }}
      script: ${{ PYTHON }} -m pip install . -vv
    requirements:
      host:
        - python
        - numpy
        - ${{ pin_subpackage('libmemo', exact=True) }}
      run:
        - ${{ pin_compatible('numpy', upper_bound='x') }}
        - env-${{ env.get("MEMO_FLAVOUR", default="plain") }}
"""
V1_VALUES = {
    "python": ("3.11", "3.12"),
    "numpy": ("2.0", "2.2"),
    "blas_impl": ("openblas", "mkl"),
    "libpng": ("1.6",),
    "c_compiler_version": ("13", "14"),
}
V1_FIXED = {"c_compiler": "gcc", "c_stdlib": "sysroot", "c_stdlib_version": "2.17"}


def _v1_contexts(env: dict[str, str]) -> list[RenderContext]:
    keys = sorted(V1_VALUES)
    variants = [
        {**V1_FIXED, **dict(zip(keys, combo, strict=True))}
        for combo in itertools.product(*(V1_VALUES[key] for key in keys))
    ]
    known = frozenset(V1_VALUES) | frozenset(V1_FIXED)
    return [
        RenderContext(platform, platform, variant, env, known)
        for platform in MAIN_PLATFORMS
        for variant in variants
    ]


@pytest.mark.parametrize("env", [{}, {"MEMO_FLAVOUR": "fast"}])
def test_a_session_renders_recipe_yaml_as_alone_with_fewer_template_renders(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from smithy.recipe import v1_expressions
    from smithy.recipe.recipe_yaml import render_recipe_yaml

    raw = RawRecipe(Path("/nowhere/recipe.yaml"), RecipeFormat.V1, V1_RECIPE, "recipe.yaml")
    contexts = _v1_contexts(env)
    calls: list[str] = []
    original = v1_expressions._render

    def counting(*args: object) -> str:
        calls.append("render")
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(v1_expressions, "_render", counting)
    alone = [_comparable(render_recipe_yaml(raw, context)) for context in contexts]
    alone_calls, calls[:] = len(calls), []
    with render_session():
        shared = [_comparable(render_recipe_yaml(raw, context)) for context in contexts]
    assert shared == alone
    assert len(calls) < alone_calls / 3  # 1,200 alone
