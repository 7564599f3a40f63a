"""meta.yaml text -> recipe.yaml text: each construct, and what is refused with its line."""

from __future__ import annotations

from smithy.convert.expressions import convert_jinja_expression, convert_selector
from smithy.convert.recipe_text import convert_recipe_text
from tests.convert.recipes import CONSTRUCTS, MULTI_OUTPUT, STAGED, load_yaml


def test_every_construct_lands_under_its_v1_name() -> None:
    converted = convert_recipe_text(CONSTRUCTS, frozenset({"meta.yaml"}))
    assert converted.issues == ()
    doc = load_yaml(converted.text)
    assert list(doc)[:3] == ["schema_version", "context", "package"]
    assert doc["schema_version"] == 1
    assert list(doc["context"].items()) == [
        ("name", "demo"),
        ("version", "1.2.3"),
        ("major", "${{ (version | split('.'))[0] }}"),
        ("build_number", 2),
    ]
    assert doc["package"] == {"name": "${{ name|lower }}", "version": "${{ version }}"}
    assert doc["source"]["patches"] == [{"if": "win", "then": "fix-win.patch"}]
    build = doc["build"]
    assert build["number"] == "${{ build_number }}"
    assert build["skip"] == ["match(python, '<3.12')", "osx and arm64"]
    assert build["script"] == (
        '${{ (PYTHON) ~ " -m pip install . -vv" if unix else '
        '("%PYTHON% -m pip install . -vv" if win) }}'
    )
    assert build["python"] == {"entry_points": ["demo = demo.cli:main"]}
    assert build["dynamic_linking"] == {
        "missing_dso_allowlist": [{"if": "linux", "then": "*/libcuda.so*"}]
    }
    requirements = doc["requirements"]
    assert list(requirements) == [
        "build", "host", "run", "run_constraints", "run_exports", "ignore_run_exports",
    ]  # fmt: skip
    assert requirements["build"] == ["${{ compiler('c') }}", "${{ stdlib('c') }}"]
    assert requirements["run_exports"] == ["${{ pin_subpackage(name, upper_bound='x.x') }}"]
    assert requirements["ignore_run_exports"] == {"by_name": ["zlib"]}
    assert requirements["run_constraints"] == ["demo-extras ${{ major }}.*"]
    assert doc["tests"] == [
        {"python": {"imports": ["demo"], "pip_check": True}},
        {
            "script": ["demo --help", {"if": "unix", "then": "test -f $PREFIX/bin/demo"}],
            "requirements": {"run": ["pip"]},
        },
    ]
    assert doc["about"] == {
        "homepage": "https://example.org",
        "license": "MIT",
        "license_file": "LICENSE",
        "summary": "A demo package",
        "repository": "https://github.com/example/demo",
        "documentation": "https://demo.example.org",
    }
    assert doc["extra"] == {"recipe-maintainers": ["someone"]}


def test_comments_stay_next_to_what_they_describe() -> None:
    text = convert_recipe_text(CONSTRUCTS).text
    assert "    # zlib is only needed for the C extension\n    - zlib\n" in text


def test_outputs_keep_their_own_scripts_requirements_and_tests() -> None:
    converted = convert_recipe_text(MULTI_OUTPUT)
    assert converted.issues == ()
    doc = load_yaml(converted.text)
    assert doc["recipe"] == {"name": "multi-split", "version": "${{ version }}"}
    assert doc["build"] == {"number": 1}
    lib, tools = doc["outputs"]
    assert lib["package"] == {"name": "libmulti"}
    assert list(lib) == ["package", "build", "requirements", "tests"]
    assert lib["build"]["script"] == '${{ "build-lib.sh" if unix else ("build-lib.bat" if win) }}'
    assert lib["requirements"]["run_exports"] == [
        "${{ pin_subpackage('libmulti', upper_bound='x') }}"
    ]
    assert tools["build"] == {"script": "build-tools.sh"}
    assert tools["requirements"]["run"] == [
        "${{ pin_subpackage('libmulti', exact=true) }}",
        {"if": "not win", "then": "zlib"},
    ]


def test_run_test_files_become_script_tests() -> None:
    recipe = 'package:\n  name: t\n  version: "1"\ntest:\n  requires:\n    - pytest\n'
    files = frozenset({"meta.yaml", "run_test.py", "run_test.sh", "run_test.bat"})
    doc = load_yaml(convert_recipe_text(recipe, files).text)
    assert doc["tests"] == [
        {"script": {"file": "run_test"}, "requirements": {"run": ["pytest"]}},
        {"script": {"file": "run_test.py"}, "requirements": {"run": ["pytest"]}},
    ]


def test_output_under_a_selector_skips_instead() -> None:
    recipe = """\
package:
  name: top
  version: "1"
outputs:
  - name: only-linux  # [linux]
    requirements:  # [linux]
      - zlib  # [linux]
  - name: everywhere
"""
    doc = load_yaml(convert_recipe_text(recipe).text)
    first, second = doc["outputs"]
    assert first == {
        "package": {"name": "only-linux"},
        "build": {"skip": ["not linux"]},
        "requirements": {"host": ["zlib"], "run": ["zlib"]},  # a plain list: host and run
    }
    assert second == {"package": {"name": "everywhere"}}


def test_build_key_renames() -> None:
    recipe = """\
package:
  name: keys
  version: "1"
build:
  script_env:
    - TOKEN
    - LEVEL=3
  script: make install
  force_use_keys:
    - zlib
  rpaths:
    - lib/
  binary_relocation: false
  detect_binary_files_with_prefix: true
  has_prefix_files:
    - share/a.txt
  noarch: generic
  ignore_run_exports_from:
    - zlib
"""
    converted = convert_recipe_text(recipe)
    assert converted.issues == ()
    build = load_yaml(converted.text)["build"]
    assert build["script"] == {
        "content": "make install",
        "env": {"TOKEN": '${{ env.get("TOKEN", default="") }}', "LEVEL": "3"},
    }
    assert build["variant"] == {"use_keys": ["zlib"]}
    assert build["dynamic_linking"] == {"rpaths": ["lib/"], "binary_relocation": False}
    assert build["prefix_detection"] == {
        "ignore_binary_files": False,
        "force_file_type": {"text": ["share/a.txt"]},
    }
    assert build["noarch"] == "generic"


def test_what_cannot_convert_is_reported_with_its_line() -> None:
    recipe = """\
{% set data = load_setup_py_data() %}
package:
  name: loop
  version: "1"
requirements:
  run:
{% for dep in data.get("install_requires", []) %}
    - {{ dep }}
{% endfor %}
build:
  unknown_key: 1
"""
    issues = convert_recipe_text(recipe).issues
    assert [(i.line, i.message) for i in issues] == [
        (1, "'load_setup_py_data' has no recipe.yaml equivalent"),
        (7, "a jinja for-loop over a list only known when rendering"),
        (11, "build key 'unknown_key' has no recipe.yaml equivalent"),
    ]
    assert all(i.suggestion for i in issues)


def test_text_that_is_not_yaml_is_an_issue_not_a_crash() -> None:
    (issue,) = convert_recipe_text("package:\n  name: [x\n").issues
    assert issue.line == 2
    assert "not YAML" in issue.message


def test_loops_over_literal_lists_are_written_out() -> None:
    recipe = """\
{% set libs = [
    "a",  # the core
    "b",
] %}
package:
  name: loop
  version: "1"
test:
  commands:
{% for lib in libs %}
    - test -f $PREFIX/lib/{{ lib }}.so  # [unix]
    - if not exist %LIBRARY_BIN%\\{{ lib|upper }}.dll exit 1  # [win]
{% endfor %}
"""
    converted = convert_recipe_text(recipe)
    assert converted.issues == ()
    doc = load_yaml(converted.text)
    assert doc["context"] == {"libs": '${{ ["a", "b"] }}'}
    assert doc["tests"] == [
        {
            "script": [
                {"if": "unix", "then": "test -f $PREFIX/lib/a.so"},
                {"if": "win", "then": 'if not exist %LIBRARY_BIN%\\${{ "a"|upper }}.dll exit 1'},
                {"if": "unix", "then": "test -f $PREFIX/lib/b.so"},
                {"if": "win", "then": 'if not exist %LIBRARY_BIN%\\${{ "b"|upper }}.dll exit 1'},
            ]
        }
    ]


def test_conditional_set_keeps_earlier_value_and_reads_itself() -> None:
    recipe = """\
{% set build = 4 %}
{% if win %}
{% set build = build + 100 %}
{% endif %}
{% set cuda = "12" %}  # [linux]
package:
  name: c
  version: "1"
"""
    context = load_yaml(convert_recipe_text(recipe).text)["context"]
    assert context == {
        "build": "${{ 4 + (100 if win else 0) }}",
        "cuda": '${{ ("12") if linux else "" }}',
    }


def test_selector_rewrites() -> None:
    assert convert_selector("py<311") == "match(python, '<3.11')"
    assert convert_selector("311 <= py") == "match(python, '>=3.11')"
    assert convert_selector("np >= 122") == "match(numpy, '>=1.22')"
    assert convert_selector("py36") == "match(python, '==3.6')"
    assert convert_selector("linux64 or win32") == "(linux and x86_64) or (win and x86)"
    assert convert_selector("py3k") == "true"
    assert convert_selector('environ.get("A", "b") == "b"') == "env.get('A', default='b') == 'b'"
    assert convert_selector("x is not defined") == "x is not defined"


def test_jinja_expression_rewrites() -> None:
    assert convert_jinja_expression("pin_compatible('x', max_pin='x.x', min_pin='x')") == (
        "pin_compatible('x', upper_bound='x.x', lower_bound='x')"
    )
    assert convert_jinja_expression('".".join(v.split(".")[:2])') == (
        "(v | split('.'))[:2] | join('.')"
    )
    assert convert_jinja_expression('environ["PREFIX"]') == "PREFIX"
    assert convert_jinja_expression('environ["TOKEN"]') == 'env.get("TOKEN")'
    assert convert_jinja_expression("name.startswith('py')") == "(name is startingwith('py'))"
    assert convert_jinja_expression("(a + b).upper()") == "(a + b) | upper"
    assert convert_jinja_expression("name|lower ~ 'x'") == "name|lower ~ 'x'"  # left alone


def test_top_level_build_of_outputs_becomes_a_staging_output() -> None:
    converted = convert_recipe_text(STAGED, frozenset({"meta.yaml", "build.sh"}))
    assert converted.issues == ()
    doc = load_yaml(converted.text)
    assert doc["build"] == {"number": 0, "variant": {"down_prioritize_variant": 1}}
    assert "requirements" not in doc
    staging, lib, tools = doc["outputs"]
    assert staging == {
        "staging": {"name": "top-level-build"},
        "requirements": {
            "build": ["${{ compiler('c') }}", "${{ stdlib('c') }}"],
            "host": ["zlib"],
        },
    }
    assert lib["inherit"] == tools["inherit"] == "top-level-build"
    assert lib["build"] == {"files": ["lib/libstaged*"]}
    # a selector on a mapping key moves onto the lists inside it
    assert lib["requirements"]["run_exports"] == {
        "weak": [{"if": "unix", "then": ["${{ pin_subpackage('libstaged') }}"]}]
    }


def test_without_a_top_level_build_its_requirements_are_dropped() -> None:
    doc = load_yaml(convert_recipe_text(STAGED, frozenset({"meta.yaml"})).text)
    assert [next(iter(output)) for output in doc["outputs"]] == ["package", "package"]
    assert "requirements" not in doc


def test_conda_build_names_and_conditional_track_features() -> None:
    recipe = """\
{% set build = 3 %}
package:
  name: names
  version: "1.5"
build:
  number: {{ build }}
  string: h{{ PKG_HASH }}_{{ PKG_BUILDNUM }}
  track_features:
    - names_slow  # [win]
requirements:
  run:
    - other {{ PKG_VERSION }}.*
    - py-{{ CONDA_PY }}
"""
    doc = load_yaml(convert_recipe_text(recipe).text)
    assert doc["build"]["string"] == "h${{ hash }}_${{ (build) }}"
    assert doc["build"]["variant"] == {"down_prioritize_variant": "${{ (1 if win else 0) }}"}
    assert doc["requirements"]["run"] == [
        'other ${{ "1.5" }}.*',
        'py-${{ ((python | split("."))[0] ~ (python | split("."))[1]) }}',
    ]


def test_selector_followed_by_a_comment_is_a_condition() -> None:
    """conda-build reads `- x  # [osx]  # why` as selected (the renderer's own pattern)."""
    text = (
        "package:\n  name: demo\n  version: 1.0\n"
        "requirements:\n  run:\n    - python\n    - appnope  # [osx]  # macOS only\n"
    )
    converted = convert_recipe_text(text, frozenset({"meta.yaml"}))
    assert converted.issues == ()
    assert load_yaml(converted.text)["requirements"]["run"] == [
        "python",
        {"if": "osx", "then": "appnope"},
    ]


def test_comment_lines_before_a_list_under_an_if_block_stay_before_it() -> None:
    """libarchive: ruamel wrote `then:   -` (not YAML) with the comments inside the branch."""
    meta = (
        'package:\n  name: a\n  version: "1"\n'
        "requirements:\n  host:\n    - zlib\n"
        "{% if license_family != 'gpl' %}\n"
        "  run_constrained:\n    # why one\n    # why two\n    - lzo <0.0a0\n"
        "{% endif %}\n"
    )
    converted = convert_recipe_text(meta)
    assert "  run_constraints:\n    # why one\n    # why two\n    - if: " in converted.text
    constraints = load_yaml(converted.text)["requirements"]["run_constraints"]
    assert constraints == [{"if": "license_family != 'gpl'", "then": ["lzo <0.0a0"]}]


def test_pin_subpackage_bounds_given_by_position_become_keywords() -> None:
    """conda-build's pin_subpackage(name, min_pin, max_pin, exact); rattler-build's takes
    only the name by position (libffi: `pin_subpackage('libffi', "x.x")`)."""
    assert convert_jinja_expression("pin_subpackage('libffi', \"x.x\")") == (
        "pin_subpackage('libffi', lower_bound='x.x')"
    )
    assert convert_jinja_expression("pin_subpackage(name, 'x.x', 'x', True)") == (
        "pin_subpackage(name, lower_bound='x.x', upper_bound='x', exact=true)"
    )
    assert convert_jinja_expression("pin_subpackage(name, max_pin='x')") == (
        "pin_subpackage(name, upper_bound='x')"
    )


def test_percent_formatting_beyond_s_and_d_is_an_issue_at_its_line() -> None:
    """sqlite: `"%03d" % minor` (rattler-build has no `%` on strings, no format filter)."""
    meta = (
        '{% set minor = 46 %}\n{% set coded = "3" ~ ("%03d" % minor) %}\n'
        '{% set tag = "v%s" % minor %}\n'
        "package:\n  name: a\n  version: {{ coded }}\n"
    )
    (issue,) = convert_recipe_text(meta).issues
    assert issue.line == 2
    assert "'%03d' has no recipe.yaml spelling" in issue.message
    # cupy: a windows variable in a string, then the `%}` ending the statement
    windows = '{% set PYTHON = "%PREFIX%\\\\python" %}  # [win]\npackage:\n  name: a\n'
    assert convert_recipe_text(windows).issues == ()
