"""Tests for rendering rattler-build recipe.yaml files (smithy.recipe.recipe_yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from smithy import yaml as smithy_yaml
from smithy.errors import JinjaError, RecipeParseError, SelectorError
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe
from smithy.recipe.recipe_yaml import render_recipe_yaml

V1 = Path(__file__).resolve().parent.parent / "data" / "recipes" / "v1"
LINUX_C = {"c_compiler_version": "14", "c_stdlib": "sysroot", "c_stdlib_version": "2.17"}


def raw_from(case: str) -> RawRecipe:
    path = V1 / case / "recipe.yaml"
    text = path.read_text(encoding="utf-8")
    return RawRecipe(path, RecipeFormat.V1, text, f"{case}/recipe.yaml")


def raw_text(text: str) -> RawRecipe:
    return RawRecipe(Path("/nowhere/recipe.yaml"), RecipeFormat.V1, text, "recipe.yaml")


def render(
    recipe: str | RawRecipe,
    platform: str = "linux-64",
    variant: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    known: frozenset[str] = frozenset(),
) -> RenderedRecipe:
    raw = recipe if isinstance(recipe, RawRecipe) else raw_from(recipe)
    context = RenderContext(
        platform=platform,
        build_platform=platform,
        variant=dict(variant or {}),
        env=dict(env or {}),
        known_variables=known,
    )
    return render_recipe_yaml(raw, context)


def specs(recipe: RenderedRecipe, section: str, output: int = 0) -> list[str]:
    return [dep.spec for dep in recipe.outputs[output].requirements.section(section)]


def test_c_library_linux() -> None:
    recipe = render("c_library", variant=LINUX_C, known=frozenset({"c_compiler", "zlib"}))
    out = recipe.outputs[0]
    assert (recipe.name, recipe.version) == ("libdemo", "1.10.2")
    assert (out.name, out.version, out.build_number, out.skip) == ("libdemo", "1.10.2", 1, False)
    assert specs(recipe, "build") == [
        "gcc_linux-64 14.*",
        "sysroot_linux-64 2.17.*",
        "cmake",
        "make",
    ]
    assert [d.span.line for d in out.requirements.build] == [23, 24, 25, 27]
    assert str(out.requirements.build[0].span) == "c_library/recipe.yaml:23"
    assert specs(recipe, "host") == ["zlib"]
    assert out.run_exports == {"weak": ("libdemo >=1.10.2,<1.11.0a0",)}
    assert out.script == (
        "cmake -S . -B build -DCMAKE_INSTALL_PREFIX=$PREFIX\ncmake --build build --target install"
    )
    assert out.span.line == 7
    source = recipe.sources[0]
    assert source.url == ("https://example.org/libdemo-1.10.2.tar.gz",)
    assert source.sha256 is not None and source.sha256.startswith("8c5dcb8e")
    assert source.span is not None and source.span.line == 12
    assert recipe.about["license"] == "MIT"
    assert recipe.maintainers == ("alice", "bob")
    assert out.tests == ({"package_contents": {"lib": ["demo"]}},)
    # zlib is a bare host requirement: its variant key is used; c_stdlib etc. come from stdlib('c')
    assert recipe.used_variables == {
        "c_compiler",
        "c_compiler_version",
        "c_stdlib",
        "c_stdlib_version",
        "zlib",
    }


def test_c_library_windows_default_compiler() -> None:
    variant = {"c_stdlib": "vs", "c_stdlib_version": "2022"}
    recipe = render("c_library", platform="win-64", variant=variant)
    assert specs(recipe, "build") == ["vs2022_win-64", "vs_win-64 2022.*", "cmake"]


def test_data_is_the_rendered_tree() -> None:
    recipe = render("c_library", variant=LINUX_C)
    assert recipe.data["package"] == {"name": "libdemo", "version": "1.10.2"}
    assert recipe.data["context"] == {"name": "libdemo", "version": "1.10.2"}
    assert recipe.data["schema_version"] == 1
    assert recipe.data["requirements"]["build"][3] == "make"
    assert recipe.data["source"][0]["url"] == "https://example.org/libdemo-1.10.2.tar.gz"


def test_noarch_python_with_python_min_from_variant() -> None:
    recipe = render("noarch_python", variant={"python_min": "3.10", "python": "3.12.* *_cpython"})
    out = recipe.outputs[0]
    assert out.noarch == "python"
    assert specs(recipe, "host") == ["python 3.10.*", "pip", "hatchling"]
    assert specs(recipe, "run") == ["python >=3.10"]
    assert out.script == "${{ PYTHON }} -m pip install . -vv --no-deps"
    assert out.tests == ({"python": {"imports": ["tinypkg"], "python_version": "3.10.*"}},)
    assert recipe.used_variables == {"python_min"}


def test_python_min_in_context_shadows_the_variant() -> None:
    text = raw_from("noarch_python").text.replace(
        "context:\n  name: tinypkg", 'context:\n  python_min: "3.9"\n  name: tinypkg'
    )
    recipe = render(raw_text(text), variant={"python_min": "3.10"})
    assert specs(recipe, "host")[0] == "python 3.9.*"
    assert recipe.used_variables == frozenset()


def test_multi_output_staging_and_pins() -> None:
    variant = {"cxx_compiler_version": "14", "zlib": "1.3"}
    recipe = render("multi_output_staging", variant=variant)
    assert (recipe.name, recipe.version) == ("widget-split", "3.2.1")
    names = [(o.name, o.version, o.is_staging) for o in recipe.outputs]
    assert names == [
        ("widget-build", "3.2.1", True),
        ("libwidget", "3.2.1", False),
        ("widget-tools", "3.2.1", False),
        ("widget-docs", "1.0.0", False),
    ]
    staging, lib, tools, docs = recipe.outputs
    assert specs(recipe, "build", 0) == ["gxx_linux-64 14.*", "ninja"]
    assert staging.script == "ninja install"
    assert lib.run_exports == {"weak": ("libwidget >=3.2.1,<3.3.0a0",)}
    assert [d.spec for d in tools.requirements.run] == ["libwidget ==3.2.1"]
    assert [d.spec for d in docs.requirements.run] == ["libwidget >=3.2.1,<4.0a0"]
    assert [d.span.line for d in docs.requirements.run] == [61]
    assert [o.span.line for o in recipe.outputs] == [22, 34, 44, 53]
    # top-level build.number is inherited unless the output sets its own
    assert [o.build_number for o in recipe.outputs] == [0, 2, 2, 2]
    assert docs.noarch == "generic"
    assert docs.tests == ({"script": ["test -d $PREFIX/share/widget"]},)
    outputs = recipe.data["outputs"]
    # staging-inheriting outputs take neither the top-level sources nor the top-level script
    assert "source" not in outputs[1]
    assert outputs[3]["source"][0]["url"] == "https://example.org/widget-3.2.1.tar.gz"
    assert outputs[2]["about"] == {
        "license": "Apache-2.0",
        "homepage": "https://example.org/widget",
        "summary": "command line tools",
    }
    assert outputs[0]["source"][0]["sha256"].startswith("5f4e3d2c")
    assert recipe.used_variables == {"cxx_compiler_version", "zlib"}


def test_nested_if_then_else_per_platform() -> None:
    variant = {"c_compiler_version": "14"}
    expected = {
        "linux-64": (["gcc_linux-64 14.*", "make", "patchelf", "ccache"], ["libuuid", "openssl"]),
        "osx-arm64": (["clang_osx-arm64 14.*", "make", "osx-arm-tool"], ["openssl"]),
        "osx-64": (["clang_osx-64 14.*", "make", "osx-intel-tool"], ["openssl"]),
        "win-64": (["vs2022_win-64 14.*", "m2-make"], ["openssl"]),
    }
    for platform, (build, host) in expected.items():
        recipe = render("nested_if", platform=platform, variant=variant)
        assert (specs(recipe, "build"), specs(recipe, "host")) == (build, host), platform
    win = render("nested_if", platform="win-64")
    assert (win.outputs[0].script, win.outputs[0].build_number) == ("bld.bat", 5)
    linux = render("nested_if")
    assert (linux.outputs[0].script, linux.outputs[0].build_number) == ("build.sh", 0)
    assert [d.span.line for d in linux.outputs[0].requirements.build] == [14, 17, 24, 27]


@pytest.mark.parametrize(
    ("platform", "python", "skipped"),
    [
        ("linux-64", "3.10.* *_cpython", True),
        ("linux-64", "3.11.* *_cpython", False),
        ("linux-64", "3.13", False),
        ("win-64", "3.12", True),
        ("osx-arm64", "3.9", True),
    ],
)
def test_skip_list(platform: str, python: str, skipped: bool) -> None:
    recipe = render("skip_list", platform=platform, variant={"python": python, "numpy": "2"})
    assert recipe.outputs[0].skip is skipped
    assert recipe.data["build"]["skip"] is skipped
    # a skipped output is not rendered further, so its requirements use no keys
    assert recipe.used_variables == ({"python"} if skipped else {"python", "numpy"})


def test_skipped_output_is_not_rendered_further() -> None:
    text = (
        "package: {name: a, version: '1'}\n"
        "build:\n  skip: win\n"
        "requirements:\n  build:\n    - ${{ stdlib('c') }}\n"
    )
    recipe = render(raw_text(text), platform="win-64")
    assert recipe.outputs[0].skip is True
    assert recipe.outputs[0].requirements.build == ()
    with pytest.raises(JinjaError, match="no stdlib for language 'c'"):
        render(raw_text(text), platform="linux-64")


@pytest.mark.parametrize(
    ("skip", "skipped"),
    [("true", True), ("false", False), ("'${{ true }}'", True), ("[linux, win]", True)],
)
def test_skip_forms(skip: str, skipped: bool) -> None:
    text = f"package: {{name: a, version: '1'}}\nbuild:\n  skip: {skip}\n"
    assert render(raw_text(text)).outputs[0].skip is skipped


def test_context_refers_to_earlier_context_and_filters() -> None:
    recipe = render("context_filters", variant={"python": "3.12.* *_cpython"})
    assert recipe.data["context"] == {
        "version": "3.12.4",
        "parts": ["3", "12", "4"],
        "major_minor": "3.12",
        "tag": "v3.12",
        "nodots": "3124",
        "py_tag": "py312",
        "count": 3,
        "loud": "DEMO",
    }
    assert recipe.about["summary"] == "v3.12 3124 DEMO 4"
    # `hash` is only known at build time: it stays symbolic
    assert recipe.outputs[0].build_string == "py312_${{ hash }}_3"
    assert recipe.used_variables == {"python"}


def test_env_get_reads_the_explicit_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_FLAVOR", "fancy")
    monkeypatch.setenv("DEMO_TOKEN", "secret")
    plain = render("env_get")
    assert plain.about["summary"] == "flavor plain"
    assert specs(plain, "run") == []
    fancy = render("env_get", env={"DEMO_FLAVOR": "fancy", "DEMO_TOKEN": "x"})
    assert fancy.about["summary"] == "flavor fancy"
    assert specs(fancy, "run") == ["fancy-dep", "token-dep"]


def test_undefined_env_var_without_default_is_an_error() -> None:
    text = "package: {name: a, version: '1'}\nabout:\n  summary: ${{ env.get('NOPE') }}\n"
    with pytest.raises(JinjaError, match="NOPE is not set") as info:
        render(raw_text(text))
    assert str(info.value).startswith("recipe.yaml:3: error:")


def test_bad_yaml_reports_its_line() -> None:
    text = "package:\n  name: a\n  version: '1'\nrequirements:\n  host: [a, b\n"
    with pytest.raises(RecipeParseError) as info:
        render(raw_text(text))
    # Where the unclosed flow list opens (line 5, column 9), not the end of the file.
    assert info.value.span is not None and info.value.span.line == 5
    assert str(info.value).startswith("recipe.yaml:5:9: error: invalid YAML")


def test_duplicate_key_is_an_error() -> None:
    with pytest.raises(RecipeParseError, match="duplicate key 'name'") as info:
        render(raw_text("package:\n  name: a\n  name: b\n"))
    assert info.value.span is not None and info.value.span.line == 3


def test_undefined_variable_reports_its_line() -> None:
    text = "package:\n  name: a\n  version: '1'\nabout:\n  summary: ${{ nope }}\n"
    with pytest.raises(JinjaError, match="'nope' is undefined") as info:
        render(raw_text(text))
    assert info.value.span is not None and info.value.span.line == 5


def test_known_but_unset_variant_key_reads_as_undefined() -> None:
    text = (
        "package: {name: a, version: '1'}\n"
        "requirements:\n  host:\n    - ${{ 'cuda-dep' if cuda_compiler_version }}\n"
        "    - if: cuda_compiler_version\n      then: other\n    - base\n"
    )
    recipe = render(raw_text(text), known=frozenset({"cuda_compiler_version"}))
    assert specs(recipe, "host") == ["base"]
    # a name no variant has is undefined too, as in rattler-build, not an error
    without = text.replace("    - ${{ 'cuda-dep' if cuda_compiler_version }}\n", "")
    unknown = render(raw_text(without))
    assert specs(unknown, "host") == ["base"]


@pytest.mark.parametrize("version", ["2", "'2'", "0", "[1]", "1.0"])
def test_bad_schema_version(version: str) -> None:
    text = f"schema_version: {version}\npackage: {{name: a, version: '1'}}\n"
    with pytest.raises(RecipeParseError, match="unsupported schema_version") as info:
        render(raw_text(text))
    assert info.value.span is not None and info.value.span.line == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("about: {}\n", "missing 'package'"),
        ("package: {version: '1'}\n", "needs a 'name'"),
        ("package: {name: a}\n", "needs a 'version'"),
        ("- a\n- b\n", "must be a YAML mapping"),
        ("recipe: {name: a, version: '1'}\noutputs: [x]\n", "exactly one of 'package'"),
        ("package: {name: a, version: '1'}\nrequirements: {run: [{a: 1}]}\n", "must be a string"),
        ("package: {name: a, version: '1'}\nbuild: {number: x1}\n", "must be an integer"),
        ("package: {name: a, version: '1'}\ncontext: {a-b: 1}\n", "not a valid name"),
        ("package: {name: a, version: '1'}\nabout: {x: '${{ 1 + }}'}\n", "bad jinja"),
        ("package: {name: a, version: '1'}\nabout: {x: '${{ x }}{% if %}'}\n", "bad jinja"),
        (
            "package: {name: a, version: '1'}\n"
            "about: {x: '{% for i in [1] %}${{ i }}{% endfor %}'}\n",
            "'{% for %}' blocks are not supported",
        ),
    ],
)
def test_recipe_errors(text: str, message: str) -> None:
    with pytest.raises(RecipeParseError, match=message):
        render(raw_text(text))


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "cycler.__init__.__globals__",
        "version.__class__",
        "'x' * 10000000000",
        "((2 ** 256) ** 256) ** 256",
        "version.split('.')",
        "'%s' % version",
        "range(10)",
    ],
)
def test_hostile_expressions_are_refused(expression: str) -> None:
    text = (
        'context:\n  version: "1"\npackage: {name: a, version: "1"}\n'
        f'about:\n  x: "${{{{ {expression} }}}}"\n'
    )
    with pytest.raises(JinjaError) as info:
        render(raw_text(text))
    assert info.value.span is not None and info.value.span.line == 5


def test_hostile_condition_is_refused() -> None:
    text = (
        "package: {name: a, version: '1'}\n"
        "requirements:\n  run:\n    - if: ().__class__\n      then: x\n"
    )
    with pytest.raises(SelectorError) as info:
        render(raw_text(text))
    assert info.value.span is not None and info.value.span.line == 4


def test_jinja_only_conditions_fall_back_to_the_sandbox() -> None:
    text = (
        "package: {name: a, version: '1'}\nrequirements:\n  run:\n"
        "    - if: cuda is defined\n      then: x\n"
        "    - if: (python | default('3.9')) == '3.12'\n      then: y\n"
    )
    recipe = render(raw_text(text), variant={"python": "3.12"})
    assert specs(recipe, "run") == ["y"]
    assert recipe.used_variables == {"python"}


def test_render_after_warm_up_parses_no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    # Speed without a clock: later renders of the same text reuse the parsed tree.
    raw = raw_from("multi_output_staging")
    variant = {"cxx_compiler_version": "14", "zlib": "1.3"}
    first = render(raw, variant=variant)
    composed: list[str] = []
    real_compose = smithy_yaml.compose

    def counting_compose(text: str, path: str) -> object:
        composed.append(path)
        return real_compose(text, path)

    monkeypatch.setattr(smithy_yaml, "compose", counting_compose)
    for _ in range(3):
        assert render(raw, variant=variant) == first
    assert composed == []


def test_inherit_forms_and_top_level_cache() -> None:
    text = """\
recipe: {name: split, version: "2.0"}
source: {url: https://example.org/s.tgz}
build: {number: 4, script: top.sh}
cache:
  requirements:
    build: [cmake]
  build:
    script: build-once.sh
outputs:
  - package: {name: from-top}
    inherit: null
  - package: {name: from-stage}
    inherit: {from: s, run_exports: false}
  - staging: {name: s}
"""
    recipe = render(raw_text(text))
    cache, top, staged, staging = recipe.outputs
    assert (cache.name, cache.is_staging, cache.script) == ("cache", True, "build-once.sh")
    assert [d.spec for d in cache.requirements.build] == ["cmake"]
    assert (top.script, top.build_number) == ("top.sh", 4)
    assert recipe.data["outputs"][1]["source"] == [{"url": "https://example.org/s.tgz"}]
    assert (staged.script, staged.build_number) == (None, 4)
    assert "source" not in recipe.data["outputs"][2]
    assert (staging.name, staging.is_staging, staging.version) == ("s", True, "2.0")


def test_substituted_bare_word_in_skip_is_undefined_not_an_error() -> None:
    # `${{ flavor }}` renders to the bare word `default`, a name nothing defines: minijinja
    # (2.19+, rattler-build 0.62.1+) fails comparing the undefined value, and rattler-build
    # drops a skip entry that fails, so linux-64 builds; elsewhere `linux` short-circuits.
    text = (
        "context:\n  flavor: default\n"
        "package: {name: a, version: '1'}\n"
        'build:\n  skip: not (linux and x86_64 and ${{ flavor }} == "default")\n'
    )
    assert render(raw_text(text)).outputs[0].skip is False
    assert render(raw_text(text), platform="osx-64").outputs[0].skip is True


@pytest.mark.parametrize(
    ("platform", "variant", "skipped"),
    [
        ("osx-arm64", {}, False),  # the label is unset there: the entry fails, no skip
        ("linux-64", {"labels": "default"}, False),
        ("linux-64", {"labels": "big-runner"}, True),
    ],
)
def test_skip_entry_testing_an_unset_key_does_not_skip(
    platform: str, variant: dict[str, str], skipped: bool
) -> None:
    # vllm: the runner label is a variant key on linux only; conda-smithy keeps the osx jobs
    text = (
        "package: {name: a, version: '1'}\n"
        "build:\n  skip:\n"
        '    - cuda == "None" and "default" != labels\n'
        "    - not labels\n"
    )
    recipe = render(raw_text(text), platform=platform, variant={"cuda": "None", **variant})
    assert recipe.outputs[0].skip is skipped
    assert "labels" in recipe.used_variables or not variant


def test_skip_entry_short_circuiting_before_an_unset_key_still_skips() -> None:
    text = "package: {name: a, version: '1'}\nbuild:\n  skip: win or labels == 'x'\n"
    assert render(raw_text(text), platform="win-64").outputs[0].skip is True
    assert render(raw_text(text), platform="linux-64").outputs[0].skip is False


def test_if_blocks_in_strings_render_the_branch_taken() -> None:
    # llama.cpp: the build string is chosen by `{% if %}`; only the taken branch reads keys
    text = (
        "package: {name: a, version: '1'}\n"
        'build:\n  string: \'{%- if cuda != "None" -%}cuda${{ cuda }}'
        "{%- elif osx -%}cpu_${{ blas }}{%- else -%}plain{%- endif -%}'\n"
    )
    cuda = render(raw_text(text), variant={"cuda": "12.9", "blas": "mkl"})
    assert cuda.data["build"]["string"] == "cuda12.9"
    assert "blas" not in cuda.used_variables
    osx = render(raw_text(text), platform="osx-64", variant={"cuda": "None", "blas": "mkl"})
    assert osx.data["build"]["string"] == "cpu_mkl"
    assert {"cuda", "blas"} <= osx.used_variables
    plain = render(raw_text(text), variant={"cuda": "None", "blas": "mkl"})
    assert plain.data["build"]["string"] == "plain"
    assert "blas" not in plain.used_variables


def test_macros_in_scripts_render_and_cannot_call_each_other() -> None:
    script = (
        '{%- macro flag(value) %}\n        ARGS="$ARGS -D${{ value }}"\n'
        "        {%- endmacro %}\n        ${{ flag('A=ON') }}\n        {%- if linux %}\n"
        "        ${{ flag('B=ON') }}\n        {%- endif %}\n"
    )
    text = "package: {name: a, version: '1'}\nbuild:\n  script:\n    - |\n        " + script
    rendered = str(render(raw_text(text)).data["build"]["script"])
    assert "-DA=ON" in rendered and "-DB=ON" in rendered
    assert "-DB=ON" not in str(render(raw_text(text), platform="osx-64").data["build"]["script"])
    nested = text.replace("ARGS -D${{ value }}", "ARGS -D${{ flag(value) }}")
    with pytest.raises(RecipeParseError, match="macros calling macros are not supported"):
        render(raw_text(nested))


def test_unset_env_var_in_scripts_is_left_as_written() -> None:
    # rattler-build does not evaluate script text when it renders the matrix
    text = (
        "package: {name: a, version: '1'}\n"
        "build:\n  script:\n    - echo ${{ env.get('NOPE') }}\n"
        "tests:\n  - script:\n      - test -n \"${{ env.get('ALSO_NOPE') }}\"\n"
    )
    recipe = render(raw_text(text))
    assert recipe.outputs[0].skip is False
    assert "env.get('NOPE')" in str(recipe.data["build"]["script"])


@pytest.mark.parametrize(
    ("python", "reads_abi3"),
    [("3.10.* *_cpython", False), ("3.12.* *_cpython", True), ("3.14.* *_cp314t", True)],
)
def test_keys_behind_a_short_circuit_are_used_only_when_read(python: str, reads_abi3: bool) -> None:
    # rattler-build records what an expression reads as it runs: `is_abi3` is not read when
    # the `match` before `and` is false, so it does not split jobs for those pythons.
    text = (
        "context:\n"
        '  build_abi3: ${{ match(python, "3.12.*") and is_abi3 }}\n'
        '  skip_build: ${{ match(python, ">=3.13") and is_abi3 }}\n'
        '  tag: ${{ abi_tag if build_abi3 else "" }}\n'
        "package: {name: a, version: '1'}\n"
        "build:\n  skip: skip_build\n"
        "requirements:\n  host:\n    - python\n"
    )
    variant = {"python": python, "is_abi3": "false" if python.endswith("t") else "true"}
    variant["abi_tag"] = "cp312"
    recipe = render(raw_text(text), variant=variant)
    assert ("is_abi3" in recipe.used_variables) is reads_abi3
    assert ("abi_tag" in recipe.used_variables) is python.startswith("3.12")
    assert "python" in recipe.used_variables


def test_a_skip_condition_uses_a_key_even_when_context_redefines_it() -> None:
    # scikit-image: context sets python_min, `skip` reads it; conda-smithy (rattler-build)
    # still counts the pinning's python_min as used, while a template reading it does not.
    text = (
        'context:\n  python_min: "3.11"\n'
        "package: {name: a, version: '1'}\n"
        'build:\n  skip: match(python, "<" ~ python_min)\n'
        "requirements:\n  host:\n    - python ${{ python_min }}.*\n"
    )
    recipe = render(raw_text(text), variant={"python": "3.12.* *_cpython", "python_min": "3.10"})
    assert recipe.outputs[0].skip is False
    assert "python_min" in recipe.used_variables
    old = render(raw_text(text), variant={"python": "3.10.* *_cpython", "python_min": "3.10"})
    assert old.outputs[0].skip is True
    unskipped = text.replace('  skip: match(python, "<" ~ python_min)\n', "  number: 0\n")
    assert (
        "python_min"
        not in render(raw_text(unskipped), variant={"python_min": "3.10"}).used_variables
    )


def test_an_output_name_templated_on_a_variant_key_is_only_that_outputs_use() -> None:
    # every output's name is read up front for pin_subpackage; that read is no output's use
    text = """\
schema_version: 1
recipe:
  name: split
  version: "1.0"
outputs:
  - package:
      name: tool
    requirements:
      run:
        - ${{ pin_subpackage("std-" ~ arch, exact=true) }}
  - package:
      name: std-${{ extra }}
"""
    recipe = render(raw_text(text), variant={"arch": "x86_64", "extra": "wasm32"})
    tool, std = recipe.outputs
    assert tool.used_variables is not None and "extra" not in tool.used_variables
    assert "arch" in tool.used_variables
    assert std.used_variables is not None and "extra" in std.used_variables


def test_conditions_call_no_python_conversions_but_take_filters() -> None:
    # rattler-build's minijinja has `int` only as a filter: `int(vc)` fails there, so here too
    text = """\
schema_version: 1
package:
  name: vc-demo
  version: "1.0"
requirements:
  host:
    - if: CONDITION
      then: old-vc
"""
    variant = {"vc": "14.3"}
    with pytest.raises(SelectorError, match="unknown function 'float'"):
        render(raw_text(text.replace("CONDITION", "float(vc) < 14")), variant=variant)
    with pytest.raises(SelectorError, match="unknown function 'int'"):
        render(raw_text(text.replace("CONDITION", "int(vc) < 15")), variant=variant)
    for condition, expected in (("(vc | int) < 14", []), ("(vc | int) < 15", ["old-vc"])):
        recipe = render(raw_text(text.replace("CONDITION", condition)), variant=variant)
        assert specs(recipe, "host") == expected


@pytest.mark.parametrize(
    ("cross", "win_cross", "not_arm"),
    [("linux-64", True, True), ("win-arm64", False, True), ("is-false", False, False)],
)
def test_conditions_follow_minijinja_arithmetic_and_containment(
    cross: str, win_cross: bool, not_arm: bool
) -> None:
    # zig writes platform names with their dash: minijinja reads `win-64` as `win - 64`
    # (-64 off Windows) and looks for a non-string needle in a string by its printed form,
    # so `win-64 in "linux-64"` holds and `arm64 in p` looks for "false" (or "true").
    text = (
        "package: {name: a, version: '1'}\n"
        "requirements:\n  host:\n"
        "    - if: unix and (win-64 in cross or win-arm64 in cross)\n      then: win-cross\n"
        "    - if: arm64 not in cross\n      then: not-arm\n"
    )
    host = specs(render(raw_text(text), variant={"cross": cross}), "host")
    assert ("win-cross" in host, "not-arm" in host) == (win_cross, not_arm)
