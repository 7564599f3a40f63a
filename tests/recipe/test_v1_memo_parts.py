"""Parts of a recipe.yaml render reused across variants: context, pins, sections, requirements."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from smithy.recipe import recipe_yaml, v1_tree
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe
from smithy.recipe.recipe_yaml import render_recipe_yaml
from tests.recipe.test_v1_memo import assert_shared_renders_match_alone

RECIPE = """\
schema_version: 1
context:
  flavour: ${{ mpi | default("nompi") }}
  tag: ${{ flavour | upper }}
recipe:
  name: memo-parts
  version: "1.0"
about:
  summary: ${{ pin_subpackage('libx', exact=True) }}
outputs:
  - package:
      name: libx
      version: ${{ libx_version }}
  - package:
      name: tool
      version: ${{ tool_version }}
    requirements:
      run:
        - ${{ pin_subpackage('libx', exact=True) }}
        - if: mpi == "openmpi"
          then: openmpi-runtime
    tests:
      - script:
          - echo ${{ tag }}
  - package:
      name: plugin
    requirements:
      run:
        - ${{ pin_subpackage('tool', exact=True) }}
"""
VALUES = {
    "mpi": ("mpich", "openmpi"),
    "libx_version": ("1.0", "1.1"),
    "tool_version": ("2.0", "2.1"),
    "unread": ("a", "b"),  # read by nothing
}
PLATFORMS = ("linux-64", "win-64")
_TESTS_LINE = RECIPE.splitlines().index("    tests:") + 2  # the list's line: its first item


def _raw() -> RawRecipe:
    return RawRecipe(Path("/nowhere/recipe/recipe.yaml"), RecipeFormat.V1, RECIPE, "recipe.yaml")


def _contexts(values: dict[str, tuple[str, ...]] = VALUES) -> list[RenderContext]:
    """Every combination of ``values`` on each of PLATFORMS."""
    keys = sorted(values)
    return [
        RenderContext(platform, platform, dict(zip(keys, combo, strict=True)))
        for platform in PLATFORMS
        for combo in itertools.product(*(values[key] for key in keys))
    ]


def _comparable(recipe: RenderedRecipe) -> tuple[object, ...]:
    return (recipe.name, recipe.version, recipe.outputs, recipe.data, recipe.used_variables)


def _counted(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    original = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_each_variant_renders_as_it_does_alone() -> None:
    assert_shared_renders_match_alone(_raw(), _contexts())


def test_a_pin_read_before_the_outputs_are_pinned_is_read_again_after() -> None:
    # The top level's summary renders the text `tool` runs on before the outputs are pinned:
    # there it is `libx`, in `tool` libx's version of each variant.
    with render_session():
        runs = {
            (context.variant["libx_version"], recipe.outputs[1].requirements.run[0].spec)
            for context in _contexts()
            for recipe in [render_recipe_yaml(_raw(), context)]
        }
    assert runs == {("1.0", "libx ==1.0"), ("1.1", "libx ==1.1")}


def test_the_context_is_evaluated_once_per_distinct_value_it_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counted(monkeypatch, recipe_yaml, "evaluate_context")
    with render_session():
        for context in _contexts():
            render_recipe_yaml(_raw(), context)
    assert len(calls) == len(PLATFORMS) * len(VALUES["mpi"])


def test_an_output_reads_only_the_pin_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counted(monkeypatch, recipe_yaml._Render, "_package")
    with render_session():
        for context in _contexts():
            render_recipe_yaml(_raw(), context)
    names = [call[2].get("package").get("name").value for call in calls]
    # plugin pins tool only: libx's version, which tool pins, does not split it
    assert names.count("plugin") == len(PLATFORMS) * len(VALUES["tool_version"])
    assert names.count("tool") == len(PLATFORMS) * 2 * 2 * 2  # version, libx pin, mpi


def test_a_section_renders_once_per_distinct_value_it_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counted(monkeypatch, v1_tree.TreeRenderer, "value")
    with render_session():
        rendered = [render_recipe_yaml(_raw(), context) for context in _contexts()]
    tests = [c for c in calls if isinstance(c[1], v1_tree.Sequence) and c[1].line == _TESTS_LINE]
    assert len(tests) == len(PLATFORMS) * len(VALUES["mpi"])  # tag, not tool's version
    scripts = {(r.variant["mpi"], r.outputs[1].tests[0]["script"][0]) for r in rendered}
    assert scripts == {("mpich", "echo MPICH"), ("openmpi", "echo OPENMPI")}


def test_requirements_follow_the_section_they_are_rendered_from() -> None:
    with render_session():
        runs = {
            (context.variant["mpi"], tuple(d.spec for d in recipe.outputs[1].requirements.run))
            for context in _contexts()
            if context.variant["libx_version"] == "1.0"
            for recipe in [render_recipe_yaml(_raw(), context)]
        }
    assert runs == {("mpich", ("libx ==1.0",)), ("openmpi", ("libx ==1.0", "openmpi-runtime"))}


CHAINED = """\
schema_version: 1
recipe:
  name: chained
  version: "1.0"
about:
  summary: ${{ pin_subpackage('a', exact=True) }}
outputs:
  - package:
      name: a
      version: ${{ av }}
  - package:
      name: b
      version: ${{ pin_subpackage('a', exact=True) | replace("a ==", "") }}
  - package:
      name: c
    requirements:
      run:
        - ${{ pin_subpackage('b', exact=True) }}
"""


def test_a_version_pinned_from_an_earlier_output_follows_it() -> None:
    raw = RawRecipe(Path("/nowhere/recipe/recipe.yaml"), RecipeFormat.V1, CHAINED, "recipe.yaml")
    with render_session():
        runs = [
            render_recipe_yaml(raw, RenderContext("linux-64", "linux-64", {"av": av}))
            .outputs[2]
            .requirements.run[0]
            .spec
            for av in ("1.0", "2.0")
        ]
    assert runs == ["b ==1.0", "b ==2.0"]


TWO_COMPILING_OUTPUTS = """\
schema_version: 1
recipe:
  name: two
  version: "1.0"
outputs:
  - package:
      name: a
    requirements:
      build:
        - ${{ compiler('c') }}
  - package:
      name: b
    requirements:
      build:
        - ${{ compiler('c') }}
"""


@pytest.mark.parametrize("in_session", [False, True])
def test_a_reused_template_marks_its_function_keys_for_each_output(in_session: bool) -> None:
    """The second output's `compiler('c')` is the first one's render reused: still its keys."""
    raw = RawRecipe(
        Path("/nowhere/recipe/recipe.yaml"), RecipeFormat.V1, TWO_COMPILING_OUTPUTS, "recipe.yaml"
    )
    variant = {"c_compiler": "gcc", "c_compiler_version": "13"}
    context = RenderContext("linux-64", "linux-64", variant)
    if in_session:
        with render_session():
            rendered = render_recipe_yaml(raw, context)
    else:
        rendered = render_recipe_yaml(raw, context)
    used = {output.name: output.used_variables for output in rendered.outputs}
    assert used == {"a": frozenset(variant), "b": frozenset(variant)}


def test_a_pin_is_rendered_with_its_package_section(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pin of `libx` and its `package` section are one render per libx_version."""
    calls = _counted(monkeypatch, v1_tree.TreeRenderer, "scalar")
    with render_session():
        for context in _contexts():
            render_recipe_yaml(_raw(), context)
    versions = [c for c in calls if c[1].value == "${{ libx_version }}"]
    assert len(versions) == len(PLATFORMS) * len(VALUES["libx_version"])


SKIPS = """\
schema_version: 1
context:
  big: ${{ size == "big" }}
recipe:
  name: skips
  version: "1.0"
outputs:
  - package:
      name: a
      version: ${{ av }}
    build:
      skip: big
  - package:
      name: b
      version: ${{ av }}
    build:
      skip:
        - win
        - ${{ flavour == "x" }}
  - package:
      name: c
    build:
      skip: not big
"""
SKIP_VALUES = {"size": ("big", "small"), "flavour": ("x", "y"), "av": ("1", "2", "3")}


def _skip_contexts() -> list[RenderContext]:
    return _contexts(SKIP_VALUES)


def _skips_raw() -> RawRecipe:
    return RawRecipe(Path("/nowhere/recipe/recipe.yaml"), RecipeFormat.V1, SKIPS, "recipe.yaml")


def test_skips_render_as_alone() -> None:
    assert_shared_renders_match_alone(_skips_raw(), _skip_contexts())
    with render_session():
        rendered = [render_recipe_yaml(_skips_raw(), context) for context in _skip_contexts()]
    skipped = {
        (r.platform, r.variant["size"], r.variant["flavour"]): tuple(o.skip for o in r.outputs)
        for r in rendered
    }
    assert skipped[("linux-64", "big", "y")] == (True, False, False)
    assert skipped[("linux-64", "small", "x")] == (False, True, True)
    assert skipped[("win-64", "small", "y")] == (False, True, True)


def test_a_skip_is_evaluated_once_per_distinct_value_it_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from smithy.recipe import v1_body

    calls = _counted(monkeypatch, v1_body.BodyRenderer, "_skip")
    with render_session():
        for context in _skip_contexts():
            render_recipe_yaml(_skips_raw(), context)
    # not once per `av` (the version every output reads): a's and c's per size, b's per flavour
    sizes, flavours = len(SKIP_VALUES["size"]), len(SKIP_VALUES["flavour"])
    assert len(calls) == len(PLATFORMS) * (sizes + flavours + sizes)


KEY_SETS = """\
schema_version: 1
package:
  name: keysets
  version: ${{ b | default("0") }}
build:
  variant:
    use_keys:
      - c
requirements:
  host:
    - a ${{ a }}
    - b${{ b }}
"""


def test_variants_of_other_key_sets_render_as_alone() -> None:
    """Renders of one session whose variants have other keys (the key sets are kept per set)."""
    raw = RawRecipe(Path("/nowhere/recipe/recipe.yaml"), RecipeFormat.V1, KEY_SETS, "recipe.yaml")
    known = frozenset({"a", "b", "c"})
    contexts = [
        RenderContext(platform, platform, variant, known_variables=known)
        for platform in PLATFORMS
        for variant in ({"a": "1", "b": "2"}, {"a": "1"}, {"a": "1", "c": "3"})
    ]
    assert_shared_renders_match_alone(raw, contexts)
    with render_session():
        versions = [render_recipe_yaml(raw, context).version for context in contexts]
        used = [render_recipe_yaml(raw, context).used_variables for context in contexts]
    assert versions == ["2", "0", "0"] * len(PLATFORMS)
    assert used == [{"a", "b"}, {"a", "b"}, {"a", "b", "c"}] * len(PLATFORMS)
