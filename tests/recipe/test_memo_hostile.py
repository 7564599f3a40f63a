"""Hostile recipes render in a session (memos shared across variants and recipes) as alone.

Each recipe is rendered for every platform and variant outside a render session (no memo),
then inside one: alone, after the other recipes warmed the session's and the process's
memos, and again. Every rendered field must be equal, spans and errors included.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from smithy.errors import SmithyError
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe
from smithy.recipe.render import render_recipe

PLATFORMS = ("linux-64", "osx-arm64", "win-64")
VALUES = {"mykey": ("a", "b"), "other": ("x", "y"), "python": ("3.10", "3.12")}
KNOWN = frozenset({*VALUES, "only_some"})

# meta.yaml: names first set on selector lines, moved output items, pins read by reused outputs.
META = {
    "set_on_selector_read_on_selector": """\
{% set use_np = true %}  # [linux]
{% set use_np = false %}  # [not linux]
{% set sfx = mykey %}  # [osx]
package:
  name: sel
  version: 1.0
requirements:
  host:
    - numpy  # [use_np]
    - dep-{{ sfx }}  # [osx]
    - python
""",
    "set_in_both_branches_then_loop": """\
{% set pys = [python] %}  # [osx]
{% set pys = [] %}  # [not osx]
{% set other = "shadowed" %}  # [win]
package:
  name: loops
  version: 1.0
requirements:
  host:
{% for p in pys %}
    - python {{ p }}
{% endfor %}
{% for other in ["a"] %}
    - dep-{{ other }}
{% endfor %}
    - tail-{{ other }}
""",
    "outputs_moved_by_selectors": """\
{% set version = "1.2.3" %}
package:
  name: moved
  version: {{ version }}
build:
  number: 3
requirements:
  host:
    - zlib  # [linux]
    - libpng  # [linux]
    - openssl  # [osx]
outputs:
  - name: libmoved
    build:
      string: h{{ mykey }}_3
    requirements:
      host:
        - &z zlib
      run:
        - *z
        - {{ pin_subpackage('libmoved', exact=True) }}
  - name: moved-bin
    requirements:
      host:
        - {{ pin_subpackage('libmoved', exact=True) }}
      run:
        - {{ pin_subpackage('libmoved', max_pin='x') }}
  - name: moved-py
    version: 2.0  # [win]
    build:
      skip: true  # [other == "y"]
    requirements:
      host:
        - python
        - {{ pin_subpackage('moved-bin', exact=True) }}
      run:
        - python
        - {{ pin_compatible('numpy') }}
""",
    "build_number_from_variant": """\
{% set bn = 5 if mykey == "a" else 6 %}
package:
  name: bnv
  version: 1.0
build:
  number: {{ bn }}
outputs:
  - name: bnv-lib
    requirements:
      run:
        - zlib
  - name: bnv-dev
    requirements:
      run:
        - {{ pin_subpackage('bnv-lib', exact=True) }}
  - name: bnv
    number: 9  # [win]
    requirements:
      run:
        - {{ pin_subpackage('bnv-dev', exact=True) }}
""",
    "error_in_an_output_moved_by_selectors": """\
package:
  name: errm
  version: 1.0
requirements:
  host:
    - zlib  # [osx]
    - libpng  # [osx]
outputs:
  - name: errm-a
    requirements:
      host:
        - zlib
  - name: errm-b
    build:
      number: notanumber
""",
}

# recipe.yaml: package sections of other shapes, skips reading keys some variants lack, context
# values read by one output, exact pins of outputs whose versions read the variant.
V1 = {
    "package_section_shapes": """\
context:
  version: "1.0"
  lv: ${{ version }}.${{ mykey }}
recipe:
  name: shapes
  version: ${{ version }}
outputs:
  - package:
      name: shapes-lib
      version: ${{ lv }}
    build:
      string: h${{ other }}_0
  - package:
      version: ${{ version }}${{ "_b" if mykey == "b" else "" }}
      name: shapes-rev
  - package:
      name: shapes-${{ other }}
    requirements:
      run:
        - ${{ pin_subpackage('shapes-lib', exact=True) }}
        - ${{ pin_subpackage('shapes-rev', upper_bound='x.x') }}
""",
    "skip_reading_keys_some_variants_lack": """\
context:
  version: "2.0"
  suffix: ${{ "-" ~ only_some if only_some is defined else "" }}
recipe:
  name: skips
  version: ${{ version }}
outputs:
  - package:
      name: skips-a
    build:
      skip:
        - ${{ only_some == "p" }}
        - ${{ win and mykey == "b" }}
  - package:
      name: skips-b${{ suffix }}
    build:
      skip:
        - ${{ only_some == "p" }}
    requirements:
      host:
        - python
""",
    "same_names_other_version": """\
context:
  version: "4.1"
recipe:
  name: shapes
  version: ${{ version }}
outputs:
  - package:
      name: shapes-lib
    requirements:
      run_exports:
        - ${{ pin_subpackage('shapes-lib', upper_bound='x') }}
  - package:
      name: shapes-rev
    requirements:
      run:
        - ${{ pin_subpackage('shapes-lib', exact=True) }}
    build:
      skip: ${{ python == "3.10" }}
""",
}


def _variants() -> list[dict[str, str]]:
    keys = list(VALUES)
    found = [dict(zip(keys, values, strict=True)) for values in itertools.product(*VALUES.values())]
    # A key only some variants have (read as undefined by the others).
    return [{**v, "only_some": "p"} if v["mykey"] == "a" else v for v in found]


def _contexts() -> list[RenderContext]:
    return [
        RenderContext(platform, platform, variant, known_variables=KNOWN)
        for platform in PLATFORMS
        for variant in _variants()
    ]


def _raw(name: str) -> RawRecipe:
    if name in META:
        path = Path(f"/nowhere/{name}/recipe/meta.yaml")
        return RawRecipe(path, RecipeFormat.V0, META[name], "recipe/meta.yaml")
    path = Path(f"/nowhere/{name}/recipe/recipe.yaml")
    return RawRecipe(path, RecipeFormat.V1, V1[name], "recipe/recipe.yaml")


def _outcome(raw: RawRecipe, context: RenderContext) -> object:
    try:
        recipe: RenderedRecipe = render_recipe(raw, context)
    except SmithyError as exc:
        return ("error", type(exc).__name__, str(exc))
    outputs = tuple((output, output.span) for output in recipe.outputs)
    deps = tuple(
        (dep.spec, dep.span)
        for output in recipe.outputs
        for section in (output.requirements.build, output.requirements.host)
        for dep in section
    )
    return (recipe.name, recipe.version, outputs, deps, recipe.data, recipe.used_variables)


def _renders(raw: RawRecipe) -> list[object]:
    return [_outcome(raw, context) for context in _contexts()]


NAMES = sorted([*META, *V1])


@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_recipe_renders_in_a_warm_session_as_alone(name: str) -> None:
    raw = _raw(name)
    alone = _renders(raw)
    with render_session():
        first = _renders(raw)
    with render_session():
        for other in NAMES:  # the process's memos warmed by the others, this one last
            if other != name:
                _renders(_raw(other))
        warmed = _renders(raw)
        again = _renders(raw)
    assert first == alone
    assert warmed == alone
    assert again == alone
