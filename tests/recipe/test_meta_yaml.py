"""Rendering meta.yaml recipes: fixtures for real recipe shapes, outputs, pins, errors."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from smithy.errors import JinjaError, RecipeParseError, SelectorError
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.load import load_recipe
from smithy.recipe.meta_yaml import render_meta_yaml
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe

CASES = Path(__file__).resolve().parent.parent / "data" / "recipes" / "v0"

LINUX = {
    "c_compiler": "gcc",
    "c_compiler_version": "15",
    "cxx_compiler": "gxx",
    "cxx_compiler_version": "15",
    "c_stdlib": "sysroot",
    "c_stdlib_version": "2.17",
    "python": "3.12.* *_cpython",
    "numpy": "2.0",
    "cuda_compiler": "cuda-nvcc",
    "cuda_compiler_version": "None",
}
OSX = {**LINUX, "c_compiler": "clang", "c_compiler_version": "19", "cxx_compiler": "clangxx"}
OSX |= {"c_stdlib": "macosx_deployment_target", "c_stdlib_version": "11.0"}
WIN = {**LINUX, "c_compiler": "vs2022", "cxx_compiler": "vs2022", "c_stdlib": "vs"}
WIN = {k: v for k, v in WIN.items() if k not in ("c_compiler_version", "cxx_compiler_version")}
WIN.pop("c_stdlib_version")
KNOWN = frozenset(LINUX) | {"python_min", "cdt_name", "MACOSX_DEPLOYMENT_TARGET", "zlib"}


def render(
    recipe: str | RawRecipe,
    platform: str = "linux-64",
    variant: Mapping[str, str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    known: frozenset[str] = KNOWN,
) -> RenderedRecipe:
    raw = recipe if isinstance(recipe, RawRecipe) else load_recipe(CASES / recipe)
    if variant is None:
        variant = (
            WIN if platform.startswith("win") else OSX if platform.startswith("osx") else LINUX
        )
    context = RenderContext(
        platform=platform,
        build_platform=platform,
        variant=dict(variant),
        env=dict(env or {}),
        known_variables=known,
    )
    return render_meta_yaml(raw, context)


def text_recipe(tmp_path: Path, text: str) -> RawRecipe:
    path = tmp_path / "meta.yaml"
    path.write_text(text, encoding="utf-8")
    return RawRecipe(path=path, format=RecipeFormat.V0, text=text, display_path="recipe/meta.yaml")


def specs(recipe: RenderedRecipe, section: str, output: int = 0) -> list[str]:
    return [dep.spec for dep in recipe.outputs[output].requirements.section(section)]


# --- single-output C library -------------------------------------------------------------


def test_c_library_compiler_and_stdlib_specs_on_linux_aarch64() -> None:
    recipe = render("c_library", "linux-aarch64")
    assert (recipe.name, recipe.version) == ("libzed", "1.3.1")
    assert specs(recipe, "build") == [
        "gcc_linux-aarch64 15.*",
        "sysroot_linux-aarch64 2.17.*",
        "cmake",
        "make",
    ]
    assert specs(recipe, "host") == ["zlib"]
    assert specs(recipe, "run") == []
    (output,) = recipe.outputs
    assert output.build_number == 3
    assert output.run_exports == {"weak": ("libzed >=1.3.1,<1.4.0a0",)}
    assert output.tests == ({"commands": ["test -f ${PREFIX}/lib/libzed${SHLIB_EXT}"]},)


def test_c_library_on_windows_and_osx() -> None:
    win = render("c_library", "win-64")
    assert specs(win, "build") == ["vs2022_win-64", "vs_win-64", "cmake"]
    assert win.outputs[0].tests == ({"commands": [r"if not exist %LIBRARY_BIN%\zed.dll exit 1"]},)
    osx = render("c_library", "osx-arm64")
    assert specs(osx, "build")[:2] == [
        "clang_osx-arm64 19.*",
        "macosx_deployment_target_osx-arm64 11.0.*",
    ]


def test_native_compiler_defaults_without_variant_keys() -> None:
    bare = {"python": "3.12.* *_cpython"}
    assert specs(render("c_library", "osx-64", bare), "build")[:2] == ["clang_osx-64", "c_osx-64"]
    assert specs(render("c_library", "linux-64", bare), "build")[0] == "gcc_linux-64"
    assert specs(render("c_library", "win-64", bare), "build")[0] == "vs2017_win-64"


def test_c_library_spans_sources_about_and_used_variables() -> None:
    recipe = render("c_library")
    path = recipe.raw.display_path
    build = recipe.outputs[0].requirements.build
    assert [(dep.span.path, dep.span.line) for dep in build] == [
        (path, n) for n in (20, 21, 22, 23)
    ]
    assert recipe.outputs[0].span.line == 5
    (source,) = recipe.sources
    assert source.url == ("https://example.org/releases/libzed-1.3.1.tar.gz",)
    assert source.sha256 is not None and source.sha256.startswith("9a93b2")
    assert source.span is not None and source.span.line == 9
    assert recipe.about["license"] == "Zlib"
    assert recipe.maintainers == ("alice", "bob")
    assert {"c_compiler", "c_compiler_version", "c_stdlib", "c_stdlib_version"} <= set(
        recipe.used_variables
    )
    assert "zlib" in recipe.used_variables  # a bare host name picks up the variant's pin
    assert "cuda_compiler_version" not in recipe.used_variables
    assert recipe.data["build"]["run_exports"] == ["libzed >=1.3.1,<1.4.0a0"]


# --- noarch python ------------------------------------------------------------------------


def test_noarch_python_reads_python_min_from_the_variant() -> None:
    recipe = render("noarch_python", variant={**LINUX, "python_min": "3.9"})
    (output,) = recipe.outputs
    assert output.noarch == "python"
    assert specs(recipe, "host") == ["python 3.9", "pip", "setuptools >=61"]
    assert specs(recipe, "run")[0] == "python >=3.9"
    assert output.script == "$PYTHON -m pip install . -vv --no-deps --no-build-isolation"
    assert output.tests[0]["requires"] == ["python 3.9", "pip"]
    assert recipe.sources[0].url == (
        "https://pypi.org/packages/source/t/tidy-requests/tidy_requests-2.32.4.tar.gz",
    )
    assert "python_min" in recipe.used_variables
    win = render("noarch_python", "win-64", {**WIN, "python_min": "3.9"})
    assert win.outputs[0].script == output.script


def test_known_variable_missing_from_the_variant_renders_empty() -> None:
    recipe = render("noarch_python")  # python_min is known but this variant lacks it
    assert specs(recipe, "host")[0] == "python"
    assert specs(recipe, "run")[0] == "python >="


PLATFORM_SET = """\
{% set arch = "x86_64" %}  # [linux64]
{% set arch = "sbsa" %}  # [aarch64]
package:
  name: a
  version: '1'
source:
  url: https://example.invalid/a-{{ arch }}.tar.xz
build:
  skip: true  # [osx]
"""


def test_name_set_only_under_another_platforms_selector_renders_empty(tmp_path: Path) -> None:
    raw = text_recipe(tmp_path, PLATFORM_SET)
    assert render(raw).sources[0].url == ("https://example.invalid/a-x86_64.tar.xz",)
    osx = render(raw, "osx-64")  # conda-build's lenient render: the url just lacks the arch
    assert osx.sources[0].url == ("https://example.invalid/a-.tar.xz",)
    assert osx.outputs[0].skip
    typo = text_recipe(tmp_path, PLATFORM_SET.replace("a-{{ arch }}", "a-{{ ahrc }}"))
    with pytest.raises(JinjaError, match="undefined jinja variable 'ahrc'"):
        render(typo)


def test_legacy_noarch_python_flag(tmp_path: Path) -> None:
    raw = text_recipe(tmp_path, "package: {name: a, version: '1'}\nbuild:\n  noarch_python: true\n")
    assert render(raw).outputs[0].noarch == "python"


# --- multiple outputs ---------------------------------------------------------------------


def test_multi_output_outputs_and_pins() -> None:
    recipe = render("multi_output")
    assert [o.name for o in recipe.outputs] == ["libgeo", "geo-python", "geo"]
    lib, py, meta = recipe.outputs
    assert lib.run_exports == {"weak": ("libgeo >=4.2.0,<4.3.0a0",)}
    assert specs(recipe, "build", 0) == ["gxx_linux-64 15.*", "sysroot_linux-64 2.17.*", "cmake"]
    assert specs(recipe, "run_constrained", 0) == ["geo-python 4.2.0"]
    assert specs(recipe, "host", 1) == ["python", "numpy", "pip", "libgeo 4.2.0 *_1"]
    assert specs(recipe, "run", 1) == ["python", "numpy >=2.0,<3.0a0", "libgeo >=4.2.0,<5.0a0"]
    # A plain list of requirements is host and run, as in conda-build.
    expected = ["libgeo 4.2.0 *_1", "geo-python >=4.2.0,<4.2.1.0a0"]
    assert specs(recipe, "host", 2) == specs(recipe, "run", 2) == expected
    assert (lib.build_number, py.build_number, meta.build_number) == (1, 7, 1)
    assert (lib.script, py.script, meta.script) == ("build_lib.sh", "build_py.sh", None)
    assert py.ignore_run_exports == {"from_package": ("gxx_linux-64 15.*",)}
    assert lib.tests == ({"commands": ["test -f $PREFIX/lib/libgeo.so"]},)
    assert py.tests == ({"imports": ["geo"], "requires": ["pytest"]},)
    assert [o.span.line for o in recipe.outputs] == [23, 42, 66]
    assert [s.git for s in recipe.sources] == [None, "https://example.org/geo-data.git"]
    assert recipe.data["outputs"][1]["requirements"]["run"][1] == "numpy >=2.0,<3.0a0"


def test_multi_output_on_windows_picks_the_windows_script() -> None:
    recipe = render("multi_output", "win-64")
    assert recipe.outputs[0].script == "build_lib.bat"
    assert recipe.outputs[0].tests == ({"commands": None},)


def test_top_level_package_is_added_when_it_needs_an_output(tmp_path: Path) -> None:
    text = (
        "package: {name: top, version: '2.1'}\n"
        "build: {number: 4}\n"
        "requirements:\n  run:\n    - {{ pin_subpackage('part', exact=True) }}\n"
        "outputs:\n  - name: part\n"
    )
    recipe = render(text_recipe(tmp_path, text))
    assert [o.name for o in recipe.outputs] == ["part", "top"]
    assert specs(recipe, "run", 1) == ["part 2.1 *_4"]
    assert recipe.outputs[1].build_number == 4


def test_top_level_package_is_not_emitted_when_no_output_needs_it(tmp_path: Path) -> None:
    text = (
        "package: {name: top, version: '2'}\noutputs:\n  - name: a\n  - name: b\n    version: 3\n"
    )
    recipe = render(text_recipe(tmp_path, text))
    assert [(o.name, o.version) for o in recipe.outputs] == [("a", "2"), ("b", "3")]


def test_output_named_like_the_package_merges_top_level_sections(tmp_path: Path) -> None:
    text = (
        "package: {name: top, version: '1.0'}\n"
        "build: {number: 2, script: make install}\n"
        "requirements:\n  host: [zlib]  # flow\n  run: [zlib]  # flow\n"
        "outputs:\n  - name: top\n    requirements:\n      run: [libzlib]  # flow\n"
        "  - name: other\n    build: {skip: true}\n"
    )
    recipe = render(text_recipe(tmp_path, text))
    top, other = recipe.outputs
    assert specs(recipe, "host") == ["zlib"] and specs(recipe, "run") == ["libzlib"]
    assert (top.build_number, top.script) == (2, "make install")
    assert (other.build_number, other.skip, top.skip) == (2, True, False)


# --- selectors ----------------------------------------------------------------------------


def test_selectors_on_linux_python_312() -> None:
    recipe = render("selectors")
    (output,) = recipe.outputs
    assert (output.build_number, output.build_string, output.skip) == (0, None, False)
    assert specs(recipe, "build") == ["gcc_linux-64 15.*", "patch"]
    assert specs(recipe, "host") == ["python", "libblas", "typing-extensions", "libgomp"]
    assert specs(recipe, "run") == ["python"]
    assert {"python", "cuda_compiler_version", "c_compiler"} <= recipe.used_variables


def test_selectors_with_cuda_on_windows() -> None:
    variant = {**WIN, "cuda_compiler": "nvcc", "cuda_compiler_version": "12.4"}
    recipe = render("selectors", "win-64", variant)
    (output,) = recipe.outputs
    assert (output.build_number, output.build_string) == (200, "cuda124_h1234_200")
    assert specs(recipe, "build") == ["vs2022_win-64", "nvcc_win-64 12.4.*", "m2-patch"]


def test_selectors_skip_old_python_on_osx() -> None:
    recipe = render("selectors", "osx-64", {**OSX, "python": "3.10.* *_cpython"})
    (output,) = recipe.outputs
    assert output.skip
    assert specs(recipe, "host") == ["python", "libblas", "tomli", "llvm-openmp"]
    assert specs(recipe, "run") == ["python", "__osx >=10.13"]
    arm = render("selectors", "osx-arm64", {**OSX, "MACOSX_DEPLOYMENT_TARGET": "11.0"})
    assert specs(arm, "run") == ["python"]


def test_top_level_skip_skips_every_output(tmp_path: Path) -> None:
    text = (
        "package: {name: top, version: '1'}\nbuild:\n  skip: true  # [win]\n"
        "outputs:\n  - name: a\n    build: {number: 1}\n  - name: b\n"
    )
    raw = text_recipe(tmp_path, text)
    assert [o.skip for o in render(raw, "win-64").outputs] == [True, True]
    assert [o.skip for o in render(raw, "linux-64").outputs] == [False, False]


# --- files --------------------------------------------------------------------------------


def test_load_file_regex_and_load_file_data_read_inside_the_recipe() -> None:
    recipe = render("file_regex")
    assert recipe.version == "3.4.5"
    assert specs(recipe, "run") == ["attrs >=23", "packaging"]
    # Both specs come from the loop body line, not from where the loop put them.
    assert [dep.span.line for dep in recipe.outputs[0].requirements.run] == [15, 15]
    assert recipe.about["summary"] == "Reads its version from a file"


def test_load_file_data_outside_the_recipe_is_refused() -> None:
    with pytest.raises(JinjaError, match="only files inside the recipe folder") as info:
        render("file_escape")
    assert info.value.span is not None and info.value.span.line == 1


def test_symlink_out_of_the_recipe_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text('{"token": "x"}', encoding="utf-8")
    recipe_dir = tmp_path / "recipe"
    recipe_dir.mkdir()
    (recipe_dir / "data.json").symlink_to(outside)
    raw = text_recipe(recipe_dir, "{% set d = load_file_data('data.json') %}\npackage: {name: a}\n")
    with pytest.raises(JinjaError, match="refused"):
        render(raw)


def test_setup_py_is_never_executed(tmp_path: Path) -> None:
    recipe_dir = shutil.copytree(CASES / "setup_py", tmp_path / "recipe")
    recipe = render(load_recipe(recipe_dir))
    assert recipe.version == "0.0.0"
    assert recipe.about["summary"] == "no description"
    assert not (recipe_dir / "EXECUTED_MARKER").exists()


# --- YAML reading -------------------------------------------------------------------------


def test_numbers_stay_text_and_yaml11_booleans(tmp_path: Path) -> None:
    text = "package:\n  name: a\n  version: 1.10\n"
    text += "build:\n  number: 01\n  skip: no\nextra: {flag: on}\n"
    recipe = render(text_recipe(tmp_path, text))
    assert recipe.version == "1.10"
    assert recipe.outputs[0].build_number == 1
    assert recipe.outputs[0].skip is False
    assert recipe.extra == {"flag": True}


def test_empty_requirement_items_are_dropped_and_numbers_kept_as_text(tmp_path: Path) -> None:
    text = "package: {name: a, version: 1}\nrequirements:\n  run:\n    - \n    - 7zip\n    - 42\n"
    assert specs(render(text_recipe(tmp_path, text)), "run") == ["7zip", "42"]


def test_rendered_data_is_fresh_for_every_render(tmp_path: Path) -> None:
    raw = text_recipe(tmp_path, "package: {name: a, version: 1}\nabout: {summary: s}\n")
    first = render(raw)
    first.data["about"]["summary"] = "changed"
    assert render(raw).data["about"]["summary"] == "s"


def test_environ_reads_the_explicit_environment_only(tmp_path: Path) -> None:
    text = (
        "package:\n  name: a\n  version: {{ environ.get('PKG_V', '0') }}\n"
        "about:\n  summary: {{ os.environ.get('HOME', 'none') }}-{{ environ['PKG_V'] }}\n"
    )
    recipe = render(text_recipe(tmp_path, text), env={"PKG_V": "5.1"})
    assert (recipe.version, recipe.about["summary"]) == ("5.1", "none-5.1")


def test_environ_holds_the_variant_but_os_environ_does_not(tmp_path: Path) -> None:
    # conda-build adds the variant to jinja's environ (not to os.environ, nor the languages):
    # cuda-python's 11.8 branch skips every output unless environ gives the cuda version.
    text = (
        "package:\n  name: a\n  version: {{ environ.get('cuda_compiler_version', 'x') }}\n"
        "about:\n  summary: {{ os.environ.get('cuda_compiler_version', 'none') }}"
        "-{{ environ.get('python', 'no-python') }}-{{ environ.get('zlib', 'no-zlib') }}\n"
    )
    raw = text_recipe(tmp_path, text)
    with render_session():  # the memo must tell the two variants apart
        first = render(raw, variant={**LINUX, "cuda_compiler_version": "11.8"})
        second = render(raw, variant={**LINUX, "cuda_compiler_version": "12.6"})
        third = render(raw, variant={**LINUX, "cuda_compiler_version": "12.6"}, env={"zlib": "1"})
    assert (first.version, first.about["summary"]) == ("11.8", "none-no-python-no-zlib")
    assert second.version == "12.6"
    assert third.about["summary"] == "none-no-python-1"


def test_cdt_names(tmp_path: Path) -> None:
    raw = text_recipe(
        tmp_path,
        "package: {name: a}\nrequirements:\n  build:\n    - {{ cdt('mesa-libgl-devel') }}\n",
    )
    assert specs(render(raw), "build") == ["mesa-libgl-devel-conda-x86_64"]
    assert specs(render(raw, "linux-aarch64", {"cdt_name": "cos7"}), "build") == [
        "mesa-libgl-devel-cos7-aarch64"
    ]
    assert "cdt_name" in render(raw).used_variables


def test_pin_subpackage_of_an_unknown_name_is_the_bare_name(tmp_path: Path) -> None:
    text = (
        "package: {name: a, version: 1}\nrequirements:\n  run:\n    - {{ pin_subpackage('zzz') }}\n"
    )
    assert specs(render(text_recipe(tmp_path, text)), "run") == ["zzz"]


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("package:\n  name: a\n  version: [1\nbuild: {}\n", 4),
        ("package:\n  name: a\n   bad: indent\n", 3),
        ("package:\n  name: a\n\tversion: 1\n", 3),
    ],
)
def test_broken_yaml_names_path_and_line(tmp_path: Path, text: str, line: int) -> None:
    with pytest.raises(RecipeParseError) as info:
        render(text_recipe(tmp_path, text))
    assert info.value.span is not None
    assert (info.value.span.path, info.value.span.line) == ("recipe/meta.yaml", line)
    assert str(info.value).startswith(f"recipe/meta.yaml:{line}")


def test_yaml_error_after_a_loop_names_the_source_line(tmp_path: Path) -> None:
    text = "{% for x in [1, 2, 3] %}\n# {{ x }}\n{% endfor %}\npackage: [1\n"
    with pytest.raises(RecipeParseError) as info:
        render(text_recipe(tmp_path, text))
    assert info.value.span is not None and info.value.span.line in (4, 5)


def test_undefined_variable_names_the_variable_and_line(tmp_path: Path) -> None:
    text = "package:\n  name: a\n  version: {{ versoin }}\n"
    with pytest.raises(JinjaError, match="'versoin'") as info:
        render(text_recipe(tmp_path, text))
    assert info.value.span is not None and info.value.span.line == 3


def test_unclosed_if_is_a_jinja_error(tmp_path: Path) -> None:
    with pytest.raises(JinjaError, match="syntax") as info:
        render(text_recipe(tmp_path, "{% if linux %}\npackage:\n  name: a\n"))
    assert info.value.span is not None and info.value.span.line >= 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("- a\n- b\n", "mapping of sections"),
        ("package: {version: 1}\n", "package.name is missing"),
        ("package: {name: a}\nbuild: [1]  # flow\n", "build section must be a mapping"),
        ("package: {name: a}\nbuild: {number: x}\n", "non-negative integer"),
        ("package: {name: a}\noutputs: {name: b}\n", "list of mappings"),
        ("package: {name: a}\noutputs:\n  - version: 1\n", "no name"),
        ("package: {name: a}\nrequirements: {run: [{a: b}]}\n", "text spec"),
        ("a: &x [*x]  # flow\n", "recursive"),
    ],
)
def test_bad_recipe_shapes(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RecipeParseError, match=message):
        render(text_recipe(tmp_path, text))


def test_bad_selector_is_a_selector_error(tmp_path: Path) -> None:
    with pytest.raises(SelectorError) as info:
        render(text_recipe(tmp_path, "package:\n  name: a  # [__import__('os')]\n"))
    assert info.value.span is not None and info.value.span.line == 2


def test_unknown_selector_name_reads_false_as_in_conda_build(tmp_path: Path) -> None:
    text = (
        "package:\n  name: a\n  version: '1'\n"
        "requirements:\n  host:\n"
        '    - openmpi  # [mpi == "openmpi"]\n'
        "    - nompi  # [not mpi]\n"
        "    - typo  # [lnux]\n"
        "    - zlib\n"
    )
    recipe = render(text_recipe(tmp_path, text), known=frozenset())
    assert specs(recipe, "host") == ["nompi", "zlib"]


@pytest.mark.parametrize("pins", ["", "    - {{ pin_subpackage('lookalike') }}\n"])
def test_text_that_only_looks_like_a_pin_marker_stays_as_written(pins: str) -> None:
    # With or without real pin calls in the render: "\ue000007\ue001" names no pin call.
    text = (
        "package:\n  name: lookalike\n  version: '1.0'\nrequirements:\n  run:\n"
        f"{pins}about:\n  summary: 'odd \ue000007\ue001 text'\n"
    )
    raw = RawRecipe(Path("/nowhere/recipe/meta.yaml"), RecipeFormat.V0, text, "meta.yaml")
    rendered = render(raw)
    assert rendered.about["summary"] == "odd \ue000007\ue001 text"
    assert rendered.data["about"]["summary"] == "odd \ue000007\ue001 text"


def test_datetime_reads_a_fixed_clock_not_the_time(tmp_path: Path) -> None:
    # conda-forge-pinning versions itself by the clock; a rerender must not depend on it
    text = (
        "{% set version = datetime.datetime.utcnow().strftime('%Y.%m.%d.%H') %}\n"
        "package:\n  name: a\n  version: {{ version }}\n"
        "about:\n  summary: {{ datetime.date.today().year }}\n"
    )
    raw = text_recipe(tmp_path, text)
    epoch = render(raw)
    assert (epoch.version, epoch.about["summary"]) == ("1970.01.01.00", "1970")
    dated = render(raw, env={"SOURCE_DATE_EPOCH": "1786000000"})
    assert dated.version == "2026.08.06.07"
    with pytest.raises(JinjaError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        render(raw, env={"SOURCE_DATE_EPOCH": "yesterday"})


# A table entry only some versions have, read on a line the platform keeps: conda-build's
# lenient first pass renders it empty, reads build.skip and never renders a skipped variant
# strictly (cudatoolkit-feedstock: checksums["aarch64"] of versions not built on aarch64).
CHECKSUMS = """\
{% set table = {"11.8": {"x86_64": "aa"}, "12.0": {"x86_64": "bb", "aarch64": "cc"}} %}
package:
  name: toolkit
  version: {{ cuda_version }}
source:
  url: https://example.invalid/toolkit.tar.gz
  sha256: {{ table[cuda_version]["aarch64"] }}  # [aarch64]
  sha256: {{ table[cuda_version]["x86_64"] }}  # [x86_64]
build:
  skip: true  # [aarch64 and cuda_version == "11.8"]
"""


@pytest.mark.parametrize(
    ("version", "platform", "skipped"),
    [
        ("11.8", "linux-aarch64", True),
        ("12.0", "linux-aarch64", False),
        ("11.8", "linux-64", False),
    ],
)
def test_a_variant_skipped_on_the_lenient_pass_is_never_rendered_strictly(
    tmp_path: Path, version: str, platform: str, skipped: bool
) -> None:
    raw = text_recipe(tmp_path, CHECKSUMS)
    rendered = render(raw, platform, {**LINUX, "cuda_version": version})
    assert [o.skip for o in rendered.outputs] == [skipped]


def test_an_undefined_item_of_a_variant_kept_is_still_an_error(tmp_path: Path) -> None:
    text = CHECKSUMS.replace('skip: true  # [aarch64 and cuda_version == "11.8"]', "number: 0")
    raw = text_recipe(tmp_path, text)
    with pytest.raises(JinjaError, match="no attribute 'aarch64'") as caught:
        render(raw, "linux-aarch64", {**LINUX, "cuda_version": "11.8"})
    assert caught.value.span is not None and caught.value.span.line == 7


def test_a_lenient_pass_still_refuses_unsafe_attributes(tmp_path: Path) -> None:
    text = CHECKSUMS.replace('["aarch64"] }}', '["aarch64"] }}{{ table.__class__ }}')
    raw = text_recipe(tmp_path, text)
    # The lenient pass meets the unsafe access and stops: no skip, the strict error stands.
    with pytest.raises(JinjaError, match="no attribute 'aarch64'"):
        render(raw, "linux-aarch64", {**LINUX, "cuda_version": "11.8"})
