"""jinja statements without a recipe.yaml equivalent, written out where the result is the same.

Each recipe is rendered from meta.yaml by smithy's v0 engine and, converted, by its v1 engine on
platforms where its conditions hold and where they do not (py-rattler-build renders the same
recipes in test_rattler_parity.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.convert.expressions import convert_jinja_expression, convert_selector
from smithy.convert.lines import split_recipe
from smithy.convert.recipe_text import convert_recipe_text
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext
from smithy.recipe.render import render_recipe
from tests.convert.recipes import load_yaml, raw_recipe

CASES = [
    ("linux-64", "3.11.* *_cpython"),
    ("linux-aarch64", "3.12.* *_cpython"),
    ("linux-ppc64le", "3.12.* *_cpython"),
    ("osx-arm64", "3.12.* *_cpython"),
    ("win-64", "3.11.* *_cpython"),
]

# A loop over a list whose items carry selectors, and an `in` test on the loop variable.
LOOP_WITH_SELECTED_ITEMS = """\
{% set libs = ["core", "extra"] %}
{% set libs = libs + ["simd"] %}  # [not ppc64le]
{% set win_libs = (target_platform == "win-64") * ["winapi"] %}
{% set static_only = ["bundled"] %}
package:
  name: loops
  version: "1.0"
build:
  number: 0
requirements:
  host:
    - python
  run:
    - python
{% for lib in libs + win_libs + static_only %}
    - lib{{ lib }}-dev  # [unix]
    - {{ lib }}-dll  # [win]
    {% if lib in static_only %}
    - {{ lib }}-static
    {% endif %}
{% endfor %}
"""

# Repeated `{% set %}` under selectors and `{% if %}` blocks: one context entry each.
REPEATED_SETS = """\
{% set skips = "test_a" %}  # tests failing everywhere
{% set skips = skips + " or test_b" %}  # [win]
{% set skips = skips ~ " or test_c" %}  # [osx]
{% if aarch64 or ppc64le %}
  {% set skips = skips + " or test_slow" %}
{% endif %}
{% set extras = [] %}
{% set extras = extras + ["zlib"] %}  # [linux]
{% set major, minor = "2.7".split(".") %}
package:
  name: sets
  version: "1.0"
build:
  number: 0
requirements:
  run:
    - python
    - dep-{{ skips | replace(" ", "") }}
    - mm-{{ major }}{{ minor }}
{% for extra in extras %}
    - {{ extra }}
{% endfor %}
"""

# A source whose kind is set by `{% if %}` blocks, an output whose name line is selected,
# and cross-compiler style outputs with `target` (built only for that platform).
TEMPLATED = """\
{% if os.environ.get("LOCAL_SOURCE", "") == "yes" %}
  {% set source_kind = "path" %}
  {% set source_hash = "" %}
{% else %}
  {% set source_kind = "url" %}
  {% set source_hash = "sha256" %}
{% endif %}
package:
  name: templated
  version: "1.0"
source:
  "{{ source_kind }}": "https://example.org/src.tar.gz"
  "{{ source_hash }}": "0000000000000000000000000000000000000000000000000000000000000000"
build:
  number: 0
outputs:
  - name: flavour-unix  # [unix]
  - name: flavour-win  # [not unix]
    requirements:
      run:
        - zlib
  - name: libcross
    target: {{ target_platform }}
    build:
      skip: true  # [target_platform != target_platform or win]
      rpaths_patcher: patchelf
    requirements:
      run:
        - bzip2
"""

# `{% if %}` inside values: a conditional expression in place.
INLINE_IF = """\
{% set v = "1.0" %}
package:
  name: inline
  version: {{ v }}
build:
  number: {% if win %}1{% else %}0{% endif %}
requirements:
  run:
    - foo{% if linux %}-linux{% elif osx %}-{{ v }}-mac{% endif %}
    - bar {% if win %}>=2{% else %}>=1{% endif %}
"""

# A loop over a dict entry chosen by the compiler's name (as conda-forge's compilers recipe).
LOOP_OVER_DICT = """\
{% set c_name = compiler('c').split('_')[0] %}
{% set tools = {
  'gcc': ['gcc', 'gcc-ar'],
  'clang': ['clang'],
  'vs2017': [],
  'vs2022': [],
}[c_name] %}
package:
  name: dict-loop
  version: "1.0"
build:
  number: 0
requirements:
  run:
    - python
{% for tool in tools %}
    - {{ tool }}-wrapper  # [unix]
{% endfor %}
"""

RECIPES = {
    "inline if": INLINE_IF,
    "loop over a dict": LOOP_OVER_DICT,
    "loop with selected items": LOOP_WITH_SELECTED_ITEMS,
    "repeated sets": REPEATED_SETS,
    "templated": TEMPLATED,
}


def _run(raw: RawRecipe, platform: str, python: str) -> list[str]:
    variant = {"python": python, "target_platform": platform}
    context = RenderContext(platform, platform, variant, known_variables=frozenset(variant))
    outputs = render_recipe(raw, context).outputs
    return [f"{o.name}: {d.spec}" for o in outputs if not o.skip for d in o.requirements.run]


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_written_out_statements_render_as_meta_yaml_did(name: str, tmp_path: Path) -> None:
    text = RECIPES[name]
    converted = convert_recipe_text(text)
    assert converted.issues == ()
    assert "{%" not in converted.text
    before = raw_recipe(tmp_path, RecipeFormat.V0, text)
    after = raw_recipe(tmp_path, RecipeFormat.V1, converted.text)
    seen = set()
    for platform, python in CASES:
        old = _run(before, platform, python)
        assert _run(after, platform, python) == old, (platform, converted.text)
        seen.add(tuple(old))
    assert len(seen) >= 2, "the cases must take the conditions both ways"


def test_loop_items_keep_their_conditions() -> None:
    run = load_yaml(convert_recipe_text(LOOP_WITH_SELECTED_ITEMS).text)["requirements"]["run"]
    assert run == [
        "python",
        {"if": "unix", "then": "libcore-dev"},
        {"if": "win", "then": "core-dll"},
        {"if": "unix", "then": "libextra-dev"},
        {"if": "win", "then": "extra-dll"},
        {"if": "(not ppc64le) and unix", "then": "libsimd-dev"},
        {"if": "(not ppc64le) and win", "then": "simd-dll"},
        {"if": "(target_platform == 'win-64') and unix", "then": "libwinapi-dev"},
        {"if": "(target_platform == 'win-64') and win", "then": "winapi-dll"},
        {"if": "unix", "then": "libbundled-dev"},
        {"if": "win", "then": "bundled-dll"},
        "bundled-static",  # `lib in static_only` known: only for "bundled"
    ]


def test_appending_sets_grow_one_term_each() -> None:
    context = load_yaml(convert_recipe_text(REPEATED_SETS).text)["context"]
    assert context["skips"] == (
        '${{ "test_a" + (" or test_b" if win else "") ~ (" or test_c" if osx else "")'
        ' + (" or test_slow" if aarch64 or ppc64le else "") }}'
    )
    assert context["extras"] == '${{ [] + (["zlib"] if linux else []) }}'
    assert context["major"] == "${{ ('2.7' | split('.'))[0] }}"
    assert context["minor"] == "${{ ('2.7' | split('.'))[1] }}"


def test_many_appends_stay_linear() -> None:
    sets = "".join(f'{{% set s = s + " or t{i}" %}}  # [win]\n' for i in range(300))
    recipe = '{% set s = "t" %}\n' + sets + 'package:\n  name: x\n  version: "1"\n'
    split = split_recipe(recipe)
    assert split.issues == []
    assert len(split.context["s"].expression) < 300 * 40


def test_comment_after_a_set_stays_on_its_context_entry() -> None:
    text = convert_recipe_text(REPEATED_SETS).text
    assert "  skips: " in text
    assert text.split("  skips: ", 1)[1].split("\n", 1)[0].endswith("# tests failing everywhere")


def test_multi_line_string_in_a_set_keeps_its_line_breaks() -> None:
    recipe = '{% set s = "a\n    b" + " c" %}\npackage:\n  name: x\n  version: "1"\n'
    split = split_recipe(recipe)
    assert split.issues == []
    assert split.context["s"].expression == '"a\\n    b" + " c"'


def test_comments_after_selectors_stay_with_their_items() -> None:
    recipe = """\
package:
  name: c
  version: "1"
requirements:
  run:
    - python
    # why the next ones
    - zlib  # [osx]  # for the compressor
    - bzip2  # [not osx]  # the other one
    - xz  # plain comment
    # `a line with [brackets]`: a comment, not a selector
"""
    converted = convert_recipe_text(recipe)
    assert converted.issues == ()
    assert "# why the next ones\n    - if: osx\n" in converted.text
    assert "then: zlib # for the compressor\n" in converted.text
    assert "else: bzip2 # the other one\n" in converted.text
    assert "- xz  # plain comment\n" in converted.text
    assert "# `a line with [brackets]`: a comment, not a selector" in converted.text


@pytest.mark.parametrize(
    ("jinja", "v1"),
    [
        ('"python%s" % py', '("python" ~ (py))'),
        ('"%s-%s" % (a, b)', '((a) ~ "-" ~ (b))'),
        ('"100%% %s" % x', '("100%" ~ " " ~ (x))'),
        ('"%5.2f" % x', '"%5.2f" % x'),
        ('"{}/src".format(d)', '((d) ~ "/src")'),
        ('"{x}".format(x=1)', '"{x}".format(x=1)'),
        (
            '("cuda" ~ v).replace(".", "") if cuda else "cpu"',
            '(("cuda" ~ v) | replace(".", "")) if cuda else "cpu"',
        ),
        ('" ".join(["a", "b"]) ~ x', '(["a", "b"] | join(" ")) ~ x'),
        (
            'environ.get("V", "11.2").split(".")[0]|int',
            '(env.get("V", default="11.2") | split("."))[0]|int',
        ),
        (
            'v.split(".")[-1].startswith("rc") ~ y',
            '((v | split("."))[-1] is startingwith("rc")) ~ y',
        ),
        ('"x.split(1)" ~ a', '"x.split(1)" ~ a'),
    ],
)
def test_formatting_and_methods_become_minijinja(jinja: str, v1: str) -> None:
    assert convert_jinja_expression(jinja) == v1


def test_printed_py_without_a_python_variant_is_reported() -> None:
    recipe = """\
{% set names = ["python%s" % py] %}
package:
  name: x
  version: "1"
requirements:
  host:
    - python 3.10.*
test:
  commands:
{% for name in names %}
    - test ! -f $PREFIX/lib/lib{{ name }}.so
{% endfor %}
"""
    (issue,) = convert_recipe_text(recipe).issues
    assert issue.line == 1
    assert "python is not a variant" in issue.message
    with_python = recipe.replace("python 3.10.*", "python")
    converted = convert_recipe_text(with_python)
    assert converted.issues == ()
    assert 'lib${{ ("python" ~ (((python | split("."))[0] ~ (python | split("."))[1]))) }}' in (
        converted.text
    )


def test_templated_source_keys_become_one_source_per_condition() -> None:
    converted = convert_recipe_text(TEMPLATED)
    assert converted.issues == ()
    doc = load_yaml(converted.text)
    assert doc["source"] == [
        {
            "if": "env.get('LOCAL_SOURCE', default='') == 'yes'",
            "then": {"path": "https://example.org/src.tar.gz"},
            "else": {"url": "https://example.org/src.tar.gz", "sha256": "0" * 64},
        }
    ]
    flavour, cross = doc["outputs"]
    assert flavour["package"] == {"name": '${{ "flavour-win" if not unix else ("flavour-unix") }}'}
    assert "target" not in cross and "rpaths_patcher" not in str(cross)


def test_target_of_an_output_built_elsewhere_is_refused() -> None:
    recipe = TEMPLATED.replace("target_platform != target_platform or win", "win")
    (issue,) = convert_recipe_text(recipe).issues
    assert issue.message == "output key 'target' has no recipe.yaml equivalent"


def test_templated_key_only_known_when_rendering_is_refused() -> None:
    recipe = TEMPLATED.replace('{{ source_kind }}"', '{{ kind_from_variant }}"')
    messages = [i.message for i in convert_recipe_text(recipe).issues]
    assert messages == [  # the mapping stays as written: both keys are reported
        "source key '${{ kind_from_variant }}' has no recipe.yaml equivalent",
        "source key '${{ source_hash }}' has no recipe.yaml equivalent",
    ]


def test_comments_before_a_script_list_stay_before_it() -> None:
    recipe = """\
package:
  name: c
  version: "1"
build:
  script:
    # why this variable
    - export A=1  # [linux]
    - make
  script_env:
    - TOKEN
"""
    converted = convert_recipe_text(recipe)
    assert converted.issues == ()
    assert "    # why this variable\n    content:\n      - if: linux\n" in converted.text
    assert load_yaml(converted.text)["build"]["script"]["content"][1] == "make"


def test_selector_methods_keep_their_operand_whole() -> None:
    """``(x or "").startswith("12")`` tests the whole ``or``, not just ``""``."""
    assert convert_selector('(v or "").startswith("12")') == "((v or '') is startingwith('12'))"


def test_inline_if_becomes_a_conditional_expression() -> None:
    doc = load_yaml(convert_recipe_text(INLINE_IF).text)
    assert doc["build"]["number"] == "${{ 1 if win else (0) }}"
    assert doc["requirements"]["run"] == [
        'foo${{ "-linux" if linux else ("-" ~ (v) ~ "-mac" if osx else ("")) }}',
        'bar ${{ ">=2" if win else (">=1") }}',
    ]


def test_inline_statement_with_whitespace_control_is_refused() -> None:
    recipe = INLINE_IF.replace("{% if win %}1", "{%- if win %}1")
    issue, *_ = convert_recipe_text(recipe).issues  # then: not YAML on that line
    assert (issue.line, issue.message) == (6, "a jinja statement inside a line")


def test_loop_over_a_dict_entry_takes_the_key_as_condition() -> None:
    converted = convert_recipe_text(LOOP_OVER_DICT)
    assert converted.issues == ()
    assert load_yaml(converted.text)["requirements"]["run"] == [
        "python",
        {"if": "(c_name == 'gcc') and unix", "then": ["gcc-wrapper", "gcc-ar-wrapper"]},
        {"if": "(c_name == 'clang') and unix", "then": "clang-wrapper"},
    ]


def test_a_set_whose_selector_reads_the_variant_key_it_sets_keeps_the_key_otherwise() -> None:
    # onnxruntime: `suffix` is a variant key ("" or "-novec"); the set only fills it in when
    # the key has no value, so "-novec" must survive into names and skips
    split = split_recipe('{% set suffix = "" %}  # [suffix == None]\npackage: {}\n')
    assert split.context["suffix"].expression == '("") if suffix == none else suffix'
    split = split_recipe('{% set flavour = "min" %}  # [win]\npackage: {}\n')
    assert split.context["flavour"].expression == '("min") if win else ""'
