"""Combinations of variant keys: product order, zip groups moving together, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.errors import VariantError
from smithy.variants.expand import combinations
from smithy.variants.pinning import VariantConfig, load_variant_file

PYTHON_ZIP = VariantConfig(
    values={
        "python": ("3.10", "3.11", "3.12"),
        "numpy": ("1.26", "2.0", "2.0"),
        "python_impl": ("cpython", "cpython", "cpython"),
        "blas_impl": ("openblas", "mkl"),
        "zlib": ("1",),
    },
    zip_keys=(("python", "numpy", "python_impl"),),
)


def test_no_keys_give_one_empty_combination() -> None:
    assert combinations(PYTHON_ZIP, []) == [{}]
    assert combinations(PYTHON_ZIP, ["not_a_key"]) == [{}]


def test_one_key_keeps_file_order() -> None:
    assert combinations(PYTHON_ZIP, ["blas_impl"]) == [
        {"blas_impl": "openblas"},
        {"blas_impl": "mkl"},
    ]


def test_product_runs_in_sorted_key_order_first_key_slowest() -> None:
    config = VariantConfig(values={"b": ("1", "2"), "a": ("x", "y")})
    result = combinations(config, ["b", "a"])
    assert result == [
        {"a": "x", "b": "1"},
        {"a": "x", "b": "2"},
        {"a": "y", "b": "1"},
        {"a": "y", "b": "2"},
    ]
    assert [list(combo) for combo in result] == [["a", "b"]] * 4


def test_a_zipped_key_pulls_in_its_partners() -> None:
    assert combinations(PYTHON_ZIP, ["python"]) == [
        {"numpy": "1.26", "python": "3.10", "python_impl": "cpython"},
        {"numpy": "2.0", "python": "3.11", "python_impl": "cpython"},
        {"numpy": "2.0", "python": "3.12", "python_impl": "cpython"},
    ]


def test_zip_group_times_a_lone_key() -> None:
    result = combinations(PYTHON_ZIP, ["numpy", "blas_impl", "zlib"])
    assert len(result) == 3 * 2
    assert result[0] == {
        "blas_impl": "openblas",
        "numpy": "1.26",
        "python": "3.10",
        "python_impl": "cpython",
        "zlib": "1",
    }
    assert [combo["blas_impl"] for combo in result] == ["openblas"] * 3 + ["mkl"] * 3


def test_zip_partners_missing_from_the_config_are_skipped() -> None:
    config = VariantConfig(
        values={"a": ("1", "2"), "b": ("x", "y")}, zip_keys=(("a", "b", "absent"),)
    )
    assert combinations(config, ["a"]) == [{"a": "1", "b": "x"}, {"a": "2", "b": "y"}]


def test_zip_length_mismatch_is_an_error() -> None:
    config = VariantConfig(values={"a": ("1", "2"), "b": ("x",)}, zip_keys=(("a", "b"),))
    with pytest.raises(VariantError, match=r"\[a, b\] has different lengths: a=2, b=1"):
        combinations(config, ["b"])
    assert combinations(config, []) == [{}]  # groups not involved are not checked


def test_repeated_combinations_are_dropped() -> None:
    config = VariantConfig(values={"a": ("1", "1", "2")})
    assert combinations(config, ["a"]) == [{"a": "1"}, {"a": "2"}]


def test_extend_keys_are_not_expanded() -> None:
    config = VariantConfig(values={"a": ("1", "2"), "e": ("x", "y")}, extend_keys=frozenset("e"))
    assert combinations(config, ["a", "e"]) == [{"a": "1"}, {"a": "2"}]


def test_cuda_zip_from_a_loaded_pinning(data_dir: Path) -> None:
    config = load_variant_file(
        data_dir / "pinning" / "basic" / "conda_build_config.yaml",
        platform="linux-64",
        env={"BUILD_PLATFORM": "linux-64", "CF_CUDA_ENABLED": "True"},
    )
    result = combinations(config, ["cuda_compiler_version", "python"])
    assert len(result) == 2 * 3
    assert {(c["cuda_compiler_version"], c["c_compiler_version"]) for c in result} == {
        ("None", "14"),
        ("12.9", "13"),
    }
