"""conda-build semantics the converter spells out: the output named like the package, and
variant values compared with whole numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.convert.expressions import convert_selector
from smithy.convert.recipe_text import convert_recipe_text
from tests.convert.recipes import load_yaml

SAME_NAMED = """\
package:
  name: libdemo
  version: "1.0"

build:
  number: 0
  string: h{{ PKG_HASH }}_0
  run_exports:
    - {{ pin_subpackage('libdemo', max_pin='x') }}

requirements:
  build:
    - {{ compiler('c') }}
  host:
    - zlib
  run:
    - zlib

test:
  commands:
    - test -f $PREFIX/lib/libdemo.so

outputs:
  - name: libdemo
    files:
      - lib/libdemo*
    requirements:
      run:
        - libgcc
  - name: demo-tools
    requirements:
      run:
        - {{ pin_subpackage('libdemo', exact=True) }}
"""


def test_output_named_like_the_package_gets_the_top_level_parts() -> None:
    converted = convert_recipe_text(SAME_NAMED, frozenset({"meta.yaml"}))
    assert converted.issues == ()
    doc = load_yaml(converted.text)
    lib, tools = (o for o in doc["outputs"] if "package" in o)
    assert lib["package"]["name"] == "libdemo"
    # the top-level sections, the output's own `run` winning
    assert lib["requirements"]["build"] == ["${{ compiler('c') }}"]
    assert lib["requirements"]["host"] == ["zlib"]
    assert lib["requirements"]["run"] == ["libgcc"]
    assert lib["requirements"]["run_exports"] == [
        "${{ pin_subpackage('libdemo', upper_bound='x') }}"
    ]
    assert lib["build"]["string"] == "h${{ hash }}_0"
    assert lib["tests"] == [{"script": ["test -f $PREFIX/lib/libdemo.so"]}]
    # the shared top level does not get them; the other output has no build section, so
    # conda-build builds it with the top-level one (run_exports included)
    assert tools["requirements"]["run_exports"] == lib["requirements"]["run_exports"]
    assert "string" not in doc.get("build", {})
    assert "tests" not in doc and "requirements" not in doc
    assert "&id" not in converted.text  # copied, not aliased, beside the staging output


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("qt_version == 6", '(qt_version ~ "") == "6"'),
        ('qt_version == "6"', '(qt_version ~ "") == "6"'),
        ("6 != qt_version", '(qt_version ~ "") != "6"'),
        ('mpi == "nompi"', "mpi == 'nompi'"),
        ("py == 311", "match(python, '==3.11')"),
    ],
)
def test_whole_number_comparisons_compare_text(selector: str, expected: str) -> None:
    assert convert_selector(selector) == expected


def test_rattler_build_reads_the_text_comparison_for_int_and_text_values(tmp_path: Path) -> None:
    rattler_build = pytest.importorskip("rattler_build")
    condition = convert_selector("qt_version == 6")
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(
        'package:\n  name: foo\n  version: "1.0"\nrequirements:\n  host:\n'
        f"    - if: {condition}\n      then: qt6-main\n"
    )
    stage0 = rattler_build.Stage0Recipe.from_file(str(recipe))
    for value in ("6", "'6'"):  # an integer and a text value in the variant config
        config = tmp_path / "conda_build_config.yaml"
        config.write_text(f"qt_version:\n  - none\n  - {value}\n")
        variants = stage0.render(
            rattler_build.VariantConfig.from_file(str(config)), rattler_build.RenderConfig()
        )
        hosts = sorted(str(v.recipe.requirements.host) for v in variants)
        assert hosts == ["['qt6-main']", "[]"], value


SPLIT = """\
package:
  name: demo-split
  version: "1.0"

outputs:
  - name: demo
    requirements:
      - python
      - zlib
  - name: demo-tools
    requirements:
      run:
        - demo
"""


def test_plain_list_requirements_are_host_and_run() -> None:
    doc = load_yaml(convert_recipe_text(SPLIT, frozenset({"meta.yaml"})).text)
    assert doc["outputs"][0]["requirements"] == {
        "host": ["python", "zlib"],
        "run": ["python", "zlib"],
    }


def test_run_test_files_go_to_the_top_level_package_only() -> None:
    files = frozenset({"meta.yaml", "run_test.py"})
    # no output is the top-level package: conda-build runs the file for none of them
    doc = load_yaml(convert_recipe_text(SPLIT, files).text)
    assert "tests" not in doc and all("tests" not in output for output in doc["outputs"])
    # the output named like the package is the top-level package: it runs the file
    named = SPLIT.replace("- name: demo\n", "- name: demo-split\n")
    doc = load_yaml(convert_recipe_text(named, files).text)
    assert doc["outputs"][0]["tests"] == [{"script": {"file": "run_test.py"}}]
    assert "tests" not in doc and "tests" not in doc["outputs"][1]


DEFAULTED = """\
{% set build = 3 %}
{% if level is undefined %}
{% set level = "1" %}
{% endif %}
{% set build = build + 25 * (level | int - 1) %}

package:
  name: demo
  version: "1.0"

build:
  number: {{ build }}
"""


def test_is_undefined_default_keeps_the_variant_value() -> None:
    assert convert_selector("level is undefined") == "level is not defined"
    assert convert_selector("level is not undefined") == "level is defined"
    context = load_yaml(convert_recipe_text(DEFAULTED, frozenset({"meta.yaml"})).text)["context"]
    assert context["level"] == '${{ level if level is defined else ("1") }}'


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("win and int(float(vc)) < 14", "win and vc | int < 14"),
        ("int(vc) >= 14", "vc | int >= 14"),
    ],
)
def test_python_int_and_float_become_the_int_filter(selector: str, expected: str) -> None:
    assert convert_selector(selector) == expected


def test_rattler_build_reads_the_int_filter_of_a_float_text(tmp_path: Path) -> None:
    rattler_build = pytest.importorskip("rattler_build")
    recipe = tmp_path / "recipe.yaml"
    condition = convert_selector("int(float(vc)) < 15")
    recipe.write_text(
        'package:\n  name: foo\n  version: "1.0"\nrequirements:\n  host:\n'
        f"    - if: {condition}\n      then: old-vc\n"
    )
    stage0 = rattler_build.Stage0Recipe.from_file(str(recipe))
    variants = stage0.render(
        rattler_build.VariantConfig({"vc": ["14.3"]}), rattler_build.RenderConfig()
    )
    assert [str(v.recipe.requirements.host) for v in variants] == ["['old-vc']"]


# xz's shape: top-level run_exports, no output named like the package; `tools` has no build
# section of its own, `lib` has one.
BUILDLESS = """\
package:
  name: demo-split
  version: "1.0"

build:
  number: 0
  run_exports:
    - {{ pin_subpackage('demo-tools') }}

outputs:
  - name: lib
    build:
      run_exports:
        - {{ pin_subpackage('lib') }}
  - name: demo-tools
    requirements:
      run:
        - {{ pin_subpackage('lib', exact=True) }}
"""


def test_top_level_run_exports_go_to_each_output_without_a_build_section() -> None:
    """conda-build's get_output_metadata starts an output from the top-level build section and
    replaces it only with the output's own: run_exports included."""
    doc = load_yaml(convert_recipe_text(BUILDLESS).text)
    lib, tools = doc["outputs"]
    assert lib["requirements"]["run_exports"] == ["${{ pin_subpackage('lib') }}"]
    assert tools["requirements"]["run_exports"] == ["${{ pin_subpackage('demo-tools') }}"]
    assert "requirements" not in doc  # no top-level requirements in a multi-output recipe


def test_an_output_named_like_a_templated_package_name_is_the_package() -> None:
    """lz4-c: `name: {{ pkg_name }}` at the top and `name: lz4-c` on the output."""
    meta = SAME_NAMED.replace("  name: libdemo\n  version", "  name: {{ pkg }}\n  version")
    doc = load_yaml(convert_recipe_text('{% set pkg = "libdemo" %}\n' + meta).text)
    lib = next(o for o in doc["outputs"] if o.get("package", {}).get("name") == "libdemo")
    assert lib["requirements"]["build"] == ["${{ compiler('c') }}"]
    assert lib["requirements"]["host"] == ["zlib"]
