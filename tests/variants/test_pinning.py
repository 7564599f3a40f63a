"""Loading, merging and zip-checking variant files (conda_build_config.yaml, variants.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from smithy.errors import PinningError, SelectorError, SmithyError, Span, VariantError
from smithy.variants.pinning import (
    EMPTY,
    VariantConfig,
    all_keys,
    check_zip_keys,
    load_variant_file,
    merge_variant_configs,
)

Load = Callable[..., VariantConfig]


def _env(build_platform: str, **extra: str) -> dict[str, str]:
    return {"BUILD_PLATFORM": build_platform, "CF_CUDA_ENABLED": "False", **extra}


@pytest.fixture
def pinning(data_dir: Path) -> Path:
    return data_dir / "pinning" / "basic" / "conda_build_config.yaml"


@pytest.fixture
def load(pinning: Path) -> Load:
    def run(platform: str, path: Path = pinning, **env: str) -> VariantConfig:
        build = env.pop("build_platform", platform)
        return load_variant_file(
            path, platform=platform, build_platform=build, env=_env(build, **env)
        )

    return run


# In a conda_build_config.yaml a "[...]" ending a line is a selector (as in conda-build), so
# the flow lists below end with an empty comment.
def _write(folder: Path, text: str, name: str = "conda_build_config.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _load_text(folder: Path, text: str, name: str = "conda_build_config.yaml") -> VariantConfig:
    return load_variant_file(_write(folder, text, name), platform="linux-64", env=_env("linux-64"))


# --- selectors per platform -------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "compiler", "version"),
    [
        ("linux-64", "gcc", ("14",)),
        ("linux-aarch64", "gcc", ("14",)),
        ("osx-arm64", "clang", ("19",)),
        ("win-64", "vs2022", None),
    ],
)
def test_compilers_follow_the_platform(
    load: Load, platform: str, compiler: str, version: tuple[str, ...] | None
) -> None:
    config = load(platform)
    assert config.values["c_compiler"] == (compiler,)
    assert config.values.get("c_compiler_version") == version


def test_a_false_selector_on_a_key_line_drops_the_key_and_its_items(load: Load) -> None:
    win = load("win-64")
    assert "c_compiler_version" not in win.values
    assert "macos_machine" not in win.values
    assert win.zip_keys == (("python", "numpy", "python_impl"),)
    assert load("osx-arm64").values["macos_machine"] == ("arm64-apple-darwin20.0.0",)


def test_scalar_keys_become_one_value_lists(load: Load) -> None:
    assert load("linux-armv7l").values["cdt_arch"] == ("armv7l",)
    assert "cdt_arch" not in load("linux-64").values


def test_values_keep_their_source_text(load: Load) -> None:
    config = load("linux-64")
    assert config.values["numpy"] == ("2.0", "2.0", "2.0")
    assert config.values["zlib"] == ("1",)
    assert config.values["python_min"] == ("3.10",)
    assert config.values["is_freethreading"] == ("false",)
    assert config.values["cuda_compiler_version"] == ("None",)
    assert config.values["c_stdlib_version"] == ("2.17",)
    assert config.values["channel_targets"] == ("conda-forge main",)


def test_empty_items_and_quoted_backslashes(load: Load) -> None:
    assert load("linux-64").values["target_goexe"] == ("",)
    win = load("win-64")
    assert win.values["target_goexe"] == (".exe",)
    assert win.values["target_gobin"] == ("%PREFIX%\\bin\\",)


@pytest.mark.parametrize(
    ("platform", "env", "image"),
    [
        ("linux-64", {}, "quay.io/condaforge/linux-anvil-x86_64:alma9"),
        ("linux-aarch64", {}, "quay.io/condaforge/linux-anvil-aarch64:alma9"),
        (
            "linux-64",
            {"DEFAULT_LINUX_VERSION": "cos7"},
            "quay.io/condaforge/linux-anvil-x86_64:cos7",
        ),
        # cross-compiled: the image follows the build platform, not the target
        (
            "linux-aarch64",
            {"build_platform": "linux-64"},
            "quay.io/condaforge/linux-anvil-x86_64:alma9",
        ),
    ],
)
def test_docker_image_comes_from_the_environment_mapping(
    load: Load, platform: str, env: dict[str, str], image: str
) -> None:
    assert load(platform, **env).values["docker_image"] == (image,)


def test_no_docker_image_outside_linux(load: Load) -> None:
    assert "docker_image" not in load("osx-64").values
    assert "docker_image" not in load("win-64").values


def test_cuda_zip_is_activated_by_cf_cuda_enabled(load: Load) -> None:
    plain = load("linux-64")
    assert plain.zip_keys[0] == ("c_compiler_version", "cxx_compiler_version")
    cuda = load("linux-64", CF_CUDA_ENABLED="True")
    assert cuda.zip_keys[0] == (
        "c_compiler_version",
        "cxx_compiler_version",
        "c_stdlib_version",
        "cuda_compiler_version",
    )
    assert cuda.values["c_compiler_version"] == ("14", "13")
    assert cuda.values["cuda_compiler_version"] == ("None", "12.9")
    check_zip_keys(cuda)
    check_zip_keys(load("linux-aarch64", CF_CUDA_ENABLED="True"))


def test_pin_run_as_build_block_and_flow_forms(load: Load) -> None:
    assert load("osx-64").pin_run_as_build == {
        "libblst": {"max_pin": "x.x"},
        "vlfeat": {"max_pin": "x.x.x"},
    }


def test_origins_point_at_each_value(load: Load, pinning: Path) -> None:
    config = load("linux-64")
    lines = pinning.read_text(encoding="utf-8").splitlines()
    spans = config.origins["python"]
    assert len(spans) == len(config.values["python"]) == 3
    assert all(span.path == str(pinning) for span in spans)
    assert [lines[span.line - 1].strip() for span in spans] == [
        "- 3.10.* *_cpython",
        "- 3.11.* *_cpython",
        "- 3.12.* *_cpython",
    ]
    assert spans[0].column == 5


def test_display_path_is_used_in_origins(pinning: Path) -> None:
    config = load_variant_file(
        pinning, platform="osx-64", env=_env("osx-64"), display_path="pin/cbc.yaml"
    )
    assert config.origins["zlib"][0].path == "pin/cbc.yaml"


def test_loading_again_gives_the_same_result(load: Load) -> None:
    assert load("linux-64") == load("linux-64")
    assert load("linux-64") != load("linux-64", CF_CUDA_ENABLED="True")


# --- v1 variants.yaml --------------------------------------------------------------------


def test_variants_yaml_if_then_else(data_dir: Path) -> None:
    path = data_dir / "pinning" / "recipe_v1" / "variants.yaml"
    linux = load_variant_file(path, platform="linux-64", env=_env("linux-64"))
    assert linux.values["libfoo_variant"] == ("plain", "fancy", "extra", "unix")
    assert linux.values["python"] == ("3.12",)
    win = load_variant_file(path, platform="win-64", env=_env("win-64"))
    assert win.values["libfoo_variant"] == ("plain", "windows")
    assert win.origins["libfoo_variant"][1].line == 7


def test_variants_yaml_conditions_with_unknown_names_are_false(tmp_path: Path) -> None:
    text = "foo:\n  - a\n  - if: cuda_compiler_version == '12.9'\n    then: b\n"
    assert _load_text(tmp_path, text, "variants.yaml").values["foo"] == ("a",)


def test_variants_yaml_does_not_read_selector_comments(tmp_path: Path) -> None:
    text = "foo:\n  - a  # [win]\n"
    assert _load_text(tmp_path, text, "variants.yaml").values["foo"] == ("a",)
    forced = load_variant_file(
        _write(tmp_path, text, "variants.yaml"),
        platform="linux-64",
        env=_env("linux-64"),
        style="cbc",
    )
    assert "foo" not in forced.values


def test_duplicate_keys_later_wins_in_cbc_but_fail_in_variants_yaml(tmp_path: Path) -> None:
    text = "foo:\n  - a\nbar:\n  - x\nfoo:\n  - b\n"
    config = _load_text(tmp_path, text)
    assert config.values["foo"] == ("b",)
    assert list(config.values) == ["foo", "bar"]
    with pytest.raises(PinningError, match="duplicate key 'foo'") as caught:
        _load_text(tmp_path, text, "variants.yaml")
    assert caught.value.span is not None and caught.value.span.line == 5


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("python:\n  - 3.10\n - bad: [1\n", 3, "invalid YAML"),
        ("python:\n  - '3.10\n", 2, "invalid YAML"),  # where the open quote starts
        ("a: b\n\tc: d\n", 2, "invalid YAML"),
        ("- a\n- b\n", 1, "must be a mapping"),
        ("python:\n  impl: cpython\n", 2, "holds a mapping"),
        ("python:\n  - [3.10, 3.11]  #\n", 2, "must be strings, not a list"),
        ("zip_keys: python\n", 1, "zip_keys must be a list"),
        ("zip_keys:\n  - [a, b]  #\n  - c\n", 3, "zip_keys must be a list"),
        ("pin_run_as_build:\n  python: x.x\n", 2, "pin_run_as_build entry 'python'"),
        ("pin_run_as_build:\n  - python\n", 2, "pin_run_as_build must map"),
    ],
)
def test_bad_files_raise_pinning_error_with_the_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    with pytest.raises(PinningError, match=message) as caught:
        _load_text(tmp_path, text)
    assert caught.value.span is not None
    assert caught.value.span.path == str(tmp_path / "conda_build_config.yaml")
    assert caught.value.span.line == line
    assert str(caught.value).startswith(f"{tmp_path / 'conda_build_config.yaml'}:{line}")


def test_unknown_selector_name_reads_false_as_in_conda_build(tmp_path: Path) -> None:
    config = _load_text(tmp_path, "foo:\n  - a  # [linx]\n  - b\n")
    assert config.values["foo"] == ("b",)


def test_malformed_selector_is_a_selector_error(tmp_path: Path) -> None:
    with pytest.raises(SelectorError, match="linux and") as caught:
        _load_text(tmp_path, "foo:\n  - a  # [linux and]\n")
    assert caught.value.span is not None
    assert (caught.value.span.path, caught.value.span.line) == (
        str(tmp_path / "conda_build_config.yaml"),
        2,
    )


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PinningError, match="cannot read"):
        load_variant_file(tmp_path / "missing.yaml", platform="linux-64", env={})
    bad = tmp_path / "conda_build_config.yaml"
    bad.write_bytes(b"foo:\n  - \xff\n")
    with pytest.raises(PinningError, match="not UTF-8"):
        load_variant_file(bad, platform="linux-64", env={})


def test_empty_and_comment_only_files_are_empty(tmp_path: Path) -> None:
    assert _load_text(tmp_path, "") == EMPTY
    assert _load_text(tmp_path, "# nothing\n\nfoo:  # [win]\n  - a  # [win]\n") == EMPTY


def test_keys_without_values_are_dropped(tmp_path: Path) -> None:
    config = _load_text(tmp_path, "a:\nb: []  #\nc: ''\nd:\n  - x  # [win]\ne: [y]  #\n")
    assert dict(config.values) == {"e": ("y",)}


# --- all_keys ----------------------------------------------------------------------------


def test_all_keys_sees_every_platform_and_skips_special_keys(pinning: Path) -> None:
    keys = all_keys(pinning)
    assert {"macos_machine", "cdt_arch", "c_compiler_version", "docker_image"} <= keys
    assert not keys & {"zip_keys", "pin_run_as_build"}
    assert "max_pin" not in keys


# --- zip_keys checks ---------------------------------------------------------------------


def test_zip_length_mismatch_names_file_group_and_lengths(tmp_path: Path) -> None:
    text = (
        "zip_keys:\n  - [python, numpy, python_impl]  #\n"
        "python: [a, b, c, d]  #\nnumpy: [1, 2, 3]  #\npython_impl: [x, x, x, x]  #\n"
    )
    config = _load_text(tmp_path, text)
    with pytest.raises(VariantError) as caught:
        check_zip_keys(config)
    assert caught.value.message == (
        "zip_keys group [python, numpy, python_impl] has different lengths: "
        "python=4, numpy=3, python_impl=4"
    )
    assert caught.value.span == Span(str(tmp_path / "conda_build_config.yaml"), 2, 5)


def test_a_key_in_two_groups_is_an_error(tmp_path: Path) -> None:
    text = "zip_keys:\n  - [a, b]  #\n  - [c, a]  #\na: [1]  #\nb: [2]  #\nc: [3]  #\n"
    with pytest.raises(VariantError, match="'a' is in two groups, \\[a, b\\] and \\[c, a\\]"):
        check_zip_keys(_load_text(tmp_path, text))


def test_zipped_keys_absent_on_this_platform_are_left_out(tmp_path: Path) -> None:
    text = "zip_keys:\n  - [a, b, only_on_win]  #\na: [1, 2]  #\nb: [3, 4]  #\n"
    check_zip_keys(_load_text(tmp_path, text))


def test_a_single_flat_zip_group_is_accepted(tmp_path: Path) -> None:
    text = "zip_keys:\n  - a\n  - b\na: [1]  #\nb: [2]  #\n"
    assert _load_text(tmp_path, text).zip_keys == (("a", "b"),)


# --- merging -----------------------------------------------------------------------------


def _merged(load: Load, recipe: Path, platform: str = "linux-64") -> VariantConfig:
    merged = merge_variant_configs(load(platform), load(platform, path=recipe))
    check_zip_keys(merged)
    return merged


def test_recipe_config_overrides_a_whole_zip_group_and_adds_a_key(
    load: Load, data_dir: Path
) -> None:
    recipe = data_dir / "pinning" / "recipe" / "conda_build_config.yaml"
    merged = _merged(load, recipe)
    assert merged.values["python"] == ("3.11.* *_cpython", "3.12.* *_cpython")
    assert merged.values["numpy"] == ("2.0", "2.1")
    assert merged.values["libfoo_variant"] == ("plain", "fancy")
    assert merged.values["c_compiler"] == ("gcc",)
    assert merged.origins["python"][0].path == str(recipe)
    assert merged.zip_keys == load("linux-64").zip_keys
    assert list(merged.values)[-1] == "libfoo_variant"
    assert _merged(load, recipe, "win-64").values["libfoo_variant"] == ("plain",)


def test_a_zipped_key_alone_with_another_length_selects_a_subset(
    load: Load, tmp_path: Path
) -> None:
    recipe = _write(tmp_path, "python:\n  - 3.12.* *_cpython\n  - 3.10.* *_cpython\n")
    merged = _merged(load, recipe)
    assert merged.values["python"] == ("3.10.* *_cpython", "3.12.* *_cpython")
    assert merged.values["python_impl"] == ("cpython", "cpython")
    assert [span.line for span in merged.origins["numpy"]] == [
        span.line for span in load("linux-64").origins["numpy"][::2]
    ]


def test_a_zipped_key_alone_with_new_values_is_an_error(load: Load, tmp_path: Path) -> None:
    recipe = _write(tmp_path, "python:\n  - 3.13.* *_cp313\n")
    with pytest.raises(VariantError, match="'python' is zipped with numpy, python_impl") as caught:
        merge_variant_configs(load("linux-64"), load("linux-64", path=recipe))
    assert caught.value.span == Span(str(recipe), 2, 5)


def test_a_zipped_key_alone_with_the_same_length_replaces_only_it(
    load: Load, tmp_path: Path
) -> None:
    recipe = _write(tmp_path, "numpy: [1.26, 1.26, 2.1]  #\n")
    merged = _merged(load, recipe)
    assert merged.values["numpy"] == ("1.26", "1.26", "2.1")
    assert len(merged.values["python"]) == 3


def test_zip_groups_overlapping_across_files_are_joined(load: Load, tmp_path: Path) -> None:
    recipe = _write(tmp_path, "zip_keys:\n  - [python, flavour]  #\nflavour: [a, b, c]  #\n")
    merged = _merged(load, recipe)
    assert ("python", "numpy", "python_impl", "flavour") in merged.zip_keys
    assert len(merged.zip_keys) == len(load("linux-64").zip_keys)


def test_special_keys_are_merged_not_replaced(tmp_path: Path) -> None:
    first = _load_text(
        tmp_path,
        "extend_keys: [extra]  #\nextra: [a, b]  #\nignore_version: [x]  #\n"
        "pin_run_as_build:\n  p: {max_pin: x}\n  q: {max_pin: x.x}\n",
    )
    second = _load_text(
        tmp_path,
        "extra: [b, c]  #\nignore_version: [y, x]  #\npin_run_as_build:\n  p: {min_pin: x.x}\n",
    )
    merged = merge_variant_configs(first, second)
    assert merged.values["extra"] == ("a", "b", "c")
    assert len(merged.origins["extra"]) == 3
    assert merged.ignore_version == ("x", "y")
    assert merged.extend_keys == frozenset({"extra"})
    assert merged.pin_run_as_build == {"p": {"min_pin": "x.x"}, "q": {"max_pin": "x.x"}}


def test_merging_nothing_or_one_config(load: Load) -> None:
    assert merge_variant_configs() == EMPTY
    assert merge_variant_configs(load("osx-64"), EMPTY) == load("osx-64")


def test_errors_are_smithy_errors() -> None:
    assert issubclass(VariantError, SmithyError)
    assert issubclass(PinningError, SmithyError)


def _values(config: VariantConfig) -> Mapping[str, tuple[str, ...]]:
    return config.values


def test_keys_are_the_value_keys(load: Load) -> None:
    config = load("linux-64")
    assert config.keys() == frozenset(_values(config))
    assert "zip_keys" not in config.values


def test_windows_line_endings_load_the_same(load: Load, pinning: Path, tmp_path: Path) -> None:
    crlf = tmp_path / "conda_build_config.yaml"
    crlf.write_bytes(pinning.read_bytes().replace(b"\n", b"\r\n"))
    assert load("linux-64", path=crlf).values == load("linux-64").values
