from __future__ import annotations

import hashlib

import pytest

from smithy.variants.naming import (
    config_name,
    package_key,
    short_config_name,
    windows_safe_config_name,
)

LONG_VALUES: dict[str, list[object]] = {
    "target_platform": ["linux-64"],
    "is_rc": [False],
    "cuda_compiler_version": ["12.9"],
    "channel_targets": ["conda-forge main"],
    "c_stdlib_version": ["2.17", "2.28"],
    "blas_impl": ["mkl"],
}
LONG_NAME = (
    "linux_64_blas_implmklc_stdlib_version2.17channel_targetsconda-forge_main"
    "cuda_compiler_version12.9is_rcFalse"
)


def _sha8(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def test_no_loop_keys_gives_platform_prefix_only() -> None:
    assert config_name("linux", "64", {}) == "linux_64_"
    assert config_name("linux", "64", {"target_platform": ["linux-64"]}) == "linux_64_"


def test_python_value_stars_and_spaces_become_underscores() -> None:
    values = {"python": ["3.12.* *_cpython"], "is_freethreading": ["false"]}
    assert (
        config_name("osx", "arm64", values)
        == "osx_arm64_is_freethreadingfalsepython3.12.____cpython"
    )


def test_keys_sorted_first_value_used_and_bool_written_by_str() -> None:
    assert config_name("linux", "64", LONG_VALUES) == LONG_NAME


def test_characters_unsafe_in_paths_are_removed() -> None:
    values = {"docker_image": ['quay.io/condaforge/linux-anvil:alma9<>?,"|\\']}
    assert config_name("linux", "aarch64", values) == (
        "linux_aarch64_docker_imagequay.iocondaforgelinux-anvilalma9"
    )


def test_package_key_ignores_target_platform_only() -> None:
    assert package_key({"target_platform": ["win-64"], "vc": ["14"]}) == "vc14"


def test_short_name_of_long_name_is_prefix_and_hash() -> None:
    short = short_config_name(LONG_NAME)
    assert short == LONG_NAME[:40] + "_h" + _sha8(LONG_NAME)
    assert short == "linux_64_blas_implmklc_stdlib_version2.1_h" + _sha8(LONG_NAME)
    assert len(short) == 50


@pytest.mark.parametrize(("length", "shortened"), [(48, False), (49, True), (60, True)])
def test_short_name_threshold_is_49_characters(length: int, shortened: bool) -> None:
    name = ("linux_64_" + "x" * 100)[:length]
    assert (short_config_name(name) != name) is shortened


def test_windows_guard_keeps_names_that_fit() -> None:
    assert windows_safe_config_name(LONG_NAME, "numpy-feedstock") == LONG_NAME


def test_windows_guard_truncates_to_exactly_259_characters() -> None:
    repo = "a-really-long-package-name-for-testing-feedstock"
    outer = len(f"C:/Users/runnerx/_work/{repo}/{repo}/.ci_support/")
    name = "linux_64_" + "k" * 200
    safe = windows_safe_config_name(name, repo)
    assert safe == name[: 259 - outer - 15] + "_h" + _sha8(name)
    assert outer + len(safe) + len(".yaml") == 259


def test_windows_guard_boundary() -> None:
    repo = "x-feedstock"
    outer = len(f"C:/Users/runnerx/_work/{repo}/{repo}/.ci_support/")
    fits = "n" * (259 - outer - len(".yaml"))
    assert windows_safe_config_name(fits, repo) == fits
    assert windows_safe_config_name(fits + "n", repo) != fits + "n"


def test_names_are_deterministic() -> None:
    shuffled = dict(reversed(list(LONG_VALUES.items())))
    assert config_name("linux", "64", shuffled) == config_name("linux", "64", LONG_VALUES)
