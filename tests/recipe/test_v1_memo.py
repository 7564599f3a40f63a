"""recipe.yaml outputs rendered once per distinct set of the values they read, as if alone."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from smithy.recipe import recipe_yaml
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe
from smithy.recipe.recipe_yaml import render_recipe_yaml
from smithy.recipe.v1_lookups import fingerprint
from smithy.recipe.v1_memo import OutputMemo

RECIPE = """\
schema_version: 1
context:
  version: "2.4.0"
  py_tag: ${{ python | replace('.', '') }}
recipe:
  name: split-demo
  version: ${{ version }}
source:
  url: https://example.org/demo-${{ version }}.tar.gz
  sha256: 2222222222222222222222222222222222222222222222222222222222222222
build:
  number: 2
outputs:
  - staging:
      name: core-build
    requirements:
      build:
        - ${{ compiler('c') }}
        - if: linux
          then: ${{ cdt('mesa-libgl-devel') }}
      host:
        - libpng
        - zlib
  - package:
      name: libdemo
    inherit: core-build
    requirements:
      build:
        - ${{ compiler('c') }}
      run_exports:
        - ${{ pin_subpackage('libdemo', upper_bound='x.x') }}
  - package:
      name: demo-tools
    build:
      string: ${{ "mkl" if blas_impl == "mkl" else "plain" }}_${{ env.get("FLAVOUR", default="x") }}
    requirements:
      run:
        - ${{ pin_subpackage('libdemo', exact=True) }}
        - if: linux
          then: linux-only-${{ python }}
  - package:
      name: py-demo
    build:
      string: py${{ py_tag }}
      skip: match(python, "<3.12") and win
      variant:
        use_keys:
          - numpy
        ignore_keys:
          - libpng
    requirements:
      host:
        - python
        - libpng
      run:
        - ${{ pin_subpackage('libdemo', exact=True) }}
  - package:
      name: blas-demo
    requirements:
      run:
        - if: blas_impl == "mkl"
          then: mkl
          else: openblas
  - package:
      name: noarch-demo
    build:
      noarch: python
    requirements:
      run:
        - python >=${{ python_min }}
"""
VALUES = {
    "python": ("3.11", "3.12", "3.13"),
    "c_compiler_version": ("13", "14"),
    "blas_impl": ("openblas", "mkl"),
    "libpng": ("1.6", "1.7"),
    "cdt_name": ("cos7", "el8"),
}
FIXED = {"c_compiler": "gcc", "python_min": "3.10", "numpy": "2"}
PLATFORMS = ("linux-64", "osx-arm64", "win-64")


def _raw(text: str = RECIPE) -> RawRecipe:
    return RawRecipe(Path("/nowhere/recipe/recipe.yaml"), RecipeFormat.V1, text, "recipe.yaml")


def _contexts(env: dict[str, str], values: dict[str, tuple[str, ...]] = VALUES) -> list[Any]:
    keys = sorted(values)
    known = frozenset(values) | frozenset(FIXED)
    return [
        RenderContext(
            platform, platform, {**FIXED, **dict(zip(keys, combo, strict=True))}, env, known
        )
        for platform in PLATFORMS
        for combo in itertools.product(*(values[key] for key in keys))
    ]


def _comparable(recipe: RenderedRecipe) -> tuple[object, ...]:
    return (recipe.name, recipe.version, recipe.outputs, recipe.data, recipe.used_variables)


def assert_shared_renders_match_alone(raw: RawRecipe, contexts: list[Any]) -> None:
    """Every variant renders in a session, first and again, exactly as it does alone."""
    alone = [_comparable(render_recipe_yaml(raw, context)) for context in contexts]
    with render_session():
        shared = [_comparable(render_recipe_yaml(raw, context)) for context in contexts]
        again = [_comparable(render_recipe_yaml(raw, context)) for context in contexts]
    assert shared == alone
    assert again == alone


def _counting_packages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = recipe_yaml._Render._package

    def counting(self: Any, *args: Any) -> Any:
        calls.append(args[1].get("package").get("name").value)
        return original(self, *args)

    monkeypatch.setattr(recipe_yaml._Render, "_package", counting)
    return calls


@pytest.mark.parametrize("env", [{}, {"FLAVOUR": "fast"}])
def test_a_session_renders_every_variant_as_a_render_alone(env: dict[str, str]) -> None:
    assert_shared_renders_match_alone(_raw(), _contexts(env))


def test_outputs_render_once_per_distinct_values_they_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_packages(monkeypatch)
    contexts = [c for c in _contexts({}) if c.platform == "osx-arm64"]
    with render_session():
        for context in contexts:
            render_recipe_yaml(_raw(), context)
    # libdemo reads c_compiler_version (inside compiler('c')); demo-tools blas_impl (python
    # only on linux); py-demo python; noarch-demo python_min alone. libpng and cdt_name
    # (read by the staging output on linux only) split nothing.
    assert calls.count("libdemo") == 2
    assert calls.count("demo-tools") == 2
    assert calls.count("py-demo") == 3
    assert calls.count("blas-demo") == 2  # read by its condition only
    assert calls.count("noarch-demo") == 1
    assert len(contexts) == 3 * 2 * 2 * 2 * 2


def test_a_key_read_in_one_branch_keeps_variants_apart_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting_packages(monkeypatch)
    contexts = [c for c in _contexts({}) if c.platform == "linux-64"]
    with render_session():
        rendered = [render_recipe_yaml(_raw(), context) for context in contexts]
    assert calls.count("demo-tools") == 2 * 3  # blas_impl x python (read under `if: linux`)
    runs = {
        (r.variant["python"], r.outputs[2].requirements.run[-1].spec)
        for r in rendered
        if r.outputs[2].name == "demo-tools"
    }
    assert runs == {(py, f"linux-only-{py}") for py in VALUES["python"]}


def test_a_key_read_inside_a_reused_template_keeps_variants_apart() -> None:
    # libdemo's `${{ compiler('c') }}` is the staging output's text too: the render reuses
    # it within one variant, and must still count c_compiler_version as read by libdemo.
    base = {**FIXED, **{key: values[0] for key, values in VALUES.items()}}
    contexts = [
        RenderContext("linux-64", "linux-64", {**base, "c_compiler_version": v}) for v in "78"
    ]
    with render_session():
        first, second = (render_recipe_yaml(_raw(), context) for context in contexts)
    assert first.outputs[1].requirements.build[0].spec == "gcc_linux-64 7.*"
    assert second.outputs[1].requirements.build[0].spec == "gcc_linux-64 8.*"


def test_a_function_under_a_context_name_keeps_variants_apart() -> None:
    text = RECIPE.replace("  py_tag:", "  cc: ${{ compiler }}\n  py_tag:").replace(
        "        - ${{ compiler('c') }}\n      run_exports:",
        "        - ${{ cc('c') }}\n      run_exports:",
    )
    base = {**FIXED, **{key: values[0] for key, values in VALUES.items()}}
    specs = []
    with render_session():
        for version in ("7", "8"):
            variant = {**base, "c_compiler_version": version}
            recipe = render_recipe_yaml(_raw(text), RenderContext("osx-64", "osx-64", variant))
            specs.append(recipe.outputs[1].requirements.build[0].spec)
    assert specs == ["gcc_osx-64 7.*", "gcc_osx-64 8.*"]


def test_types_of_equal_looking_values_are_kept_apart() -> None:
    assert len({fingerprint(v) for v in ("1", 1, True, 1.0, None, "None", [1], ["1"])}) == 8
    assert fingerprint(object()) is None
    assert fingerprint([object()]) is None


def test_a_memo_entry_needs_every_read_value_equal_and_comparable() -> None:
    memo = OutputMemo()
    values: dict[tuple[str, str], object] = {("var", "python"): "3.12", ("var", "x"): "a"}
    lookups = set(values)
    entry = memo.store(("k",), lookups, values.get, "rendered", {"python"})
    assert entry is not None and entry.used == frozenset({"python"})
    assert memo.find(("k",), values.get) is entry
    assert memo.find(("other",), values.get) is None
    assert memo.find(("k",), {**values, ("var", "x"): "b"}.get) is None
    assert memo.find(("k",), {("var", "python"): "3.12"}.get) is None  # x missing: None
    uncomparable = {("var", "python"): None}
    assert memo.store(("k2",), set(uncomparable), uncomparable.get, "r", ()) is None
    assert memo.find(("k2",), uncomparable.get) is None


SINGLE = """\
context:
  version: "1.0"
  mpi: ${{ mpi | default('nompi') }}
  flavour: ${{ mpi ~ "-" ~ scalar }}
  tag: ${{ flavour | upper }}
package:
  name: single-demo
  version: ${{ version }}
build:
  string: ${{ tag }}_h${{ hash }}
  skip: scalar == "complex" and osx
requirements:
  host:
    - hdf5
    - ${{ mpi }}
"""
SINGLE_VALUES = {
    "mpi": ("mpich", "openmpi"),
    "scalar": ("real", "complex"),
    "hdf5": ("1.14", "2"),  # a bare host requirement: used, yet read by nothing
}


def test_whole_renders_are_reused_when_the_context_reads_the_same_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    original = recipe_yaml._Render.run

    def counting(self: Any) -> Any:
        calls.append(self.context.platform)
        return original(self)

    monkeypatch.setattr(recipe_yaml._Render, "run", counting)
    contexts = _contexts({}, SINGLE_VALUES)
    alone = [render_recipe_yaml(_raw(SINGLE), context) for context in contexts]
    calls.clear()
    with render_session():
        shared = [render_recipe_yaml(_raw(SINGLE), context) for context in contexts]
    assert shared == alone
    assert [r.variant for r in shared] == [c.variant for c in contexts]
    assert len(calls) == len(PLATFORMS) * 2 * 2  # mpi x scalar, not hdf5
    tags = {
        (r.variant["mpi"], r.variant["scalar"], r.outputs[0].build_string)
        for r in shared
        if r.platform == "linux-64"
    }
    assert len(tags) == 4
    assert ("openmpi", "complex", "OPENMPI-COMPLEX_h${{ hash }}") in tags
    assert {"hdf5", "mpi", "scalar"} <= shared[0].used_variables
