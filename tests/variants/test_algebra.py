from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smithy.errors import SmithyError, VariantError
from smithy.platforms import selector_namespace
from smithy.variants.algebra import merge_zip_keys, variant_add, variant_key_add
from smithy.variants.migrations import parse_migration_text

REPO = Path(__file__).resolve().parents[2]


def spec(text: str, platform: str = "linux-64") -> dict[str, Any]:
    parsed = parse_migration_text(
        dedent(text), namespace=selector_namespace(platform), env={}, path="test.yaml"
    )
    parsed.pop("migrator_ts")
    return parsed


# -- merges without an operation -------------------------------------------------------------


def test_higher_version_wins_by_conda_version_order() -> None:
    base = spec("libfoo:\n  - 1.9\nlibbar:\n  - 2.0\n")
    migration = spec("libfoo:\n  - 1.10\nlibbar:\n  - 1.5\n")
    assert variant_add(base, migration) == {"libfoo": ["1.10"], "libbar": ["2.0"]}


def test_equal_versions_keep_the_left_spelling() -> None:
    assert variant_key_add("x", ["1.0"], ["1"]) == ["1.0"]


def test_longer_side_contributes_its_tail() -> None:
    assert variant_key_add("x", ["1"], ["0", "6"]) == ["1", "6"]
    assert variant_key_add("x", ["0", "6"], ["3"]) == ["3", "6"]


def test_space_and_star_values_compare_as_versions() -> None:
    base = spec("python:\n  - 2.7\n")
    migration = spec("python:\n  - 2.7 *_cpython\n")
    assert variant_add(base, migration)["python"] == ["2.7 *_cpython"]


def test_non_version_values_compare_as_text() -> None:
    base = spec("docker_image:\n  - quay.io/condaforge/linux-anvil:alma9\n")
    migration = spec("docker_image:\n  - quay.io/condaforge/linux-anvil:alma10\n")
    # conda-smithy falls back to plain string order: "alma9" > "alma10".
    assert variant_add(base, migration)["docker_image"] == ["quay.io/condaforge/linux-anvil:alma9"]


def test_version_against_non_version_is_an_error() -> None:
    with pytest.raises(VariantError, match="cannot order"):
        variant_add({"k": ["1.0"]}, {"k": ["a/b"]})


def test_ordering_can_downgrade() -> None:
    base = spec("jpeg:\n  - 3.0\n")
    migration = spec(
        """\
        __migrator:
          ordering:
            jpeg:
              - 3.0
              - 2.0
        jpeg:
          - 2.0
        """
    )
    assert variant_add(base, migration)["jpeg"] == ["2.0"]


def test_ordering_keeps_the_highest_ranked_values_in_ordering_order() -> None:
    base = spec('cuda_compiler_version:\n  - "None"\n  - "12.6"\n')
    migration = spec(
        """\
        __migrator:
          ordering:
            cuda_compiler_version:
              - "12.6"
              - "None"
              - "12.9"
        cuda_compiler_version:
          - "12.9"
        """
    )
    assert variant_add(base, migration)["cuda_compiler_version"] == ["None", "12.9"]


@pytest.mark.parametrize("dropped_gcc", ["12", "13", "99"])
def test_primary_key_merge_carries_zipped_values(dropped_gcc: str) -> None:
    base = spec(
        f"""\
        cuda_compiler_version:
          - "None"
          - "12.6"
        c_compiler_version:
          - "15"
          - "{dropped_gcc}"
        zip_keys:
          -
            - c_compiler_version
            - cuda_compiler_version
        """
    )
    migration = spec(
        """\
        __migrator:
          primary_key: cuda_compiler_version
          ordering:
            cuda_compiler_version:
              - "12.6"
              - "None"
              - "12.9"
        cuda_compiler_version:
          - "12.9"
        c_compiler_version:
          - "14"
        """
    )
    result = variant_add(base, migration)
    assert result["cuda_compiler_version"] == ["None", "12.9"]
    assert result["c_compiler_version"] == ["15", "14"]


def test_windows_compiler_migration_keeps_zip_partners_positional() -> None:
    base = spec(
        """\
        c_compiler:
          - vs2008
          - vs2015
        vc:
          - '9'
          - '14'
        zip_keys:
          -
            - vc
            - c_compiler
        """
    )
    migration = spec("c_compiler:\n  - vs2008\n  - vs2017\nvc:\n  - '9'\n  - '14.1'\n")
    result = variant_add(base, migration)
    assert result["c_compiler"] == ["vs2008", "vs2017"]
    assert result["vc"] == ["9", "14.1"]
    assert result["zip_keys"] == [["vc", "c_compiler"]]


def test_new_key_and_pin_run_as_build_entries_are_added() -> None:
    base = spec("pin_run_as_build:\n  jpeg:\n    max_pin: x\njpeg:\n  - 3.0\n")
    migration = spec("pin_run_as_build:\n  grpc-cpp:\n    max_pin: x.x\ngrpc-cpp:\n  - 1.23\n")
    result = variant_add(base, migration)
    assert result["grpc-cpp"] == ["1.23"]
    assert result["jpeg"] == ["3.0"]
    assert result["pin_run_as_build"] == {"jpeg": {"max_pin": "x"}, "grpc-cpp": {"max_pin": "x.x"}}


def test_pin_run_as_build_entry_of_migration_replaces_the_base_entry() -> None:
    base = {"pin_run_as_build": {"boost": {"max_pin": "x", "min_pin": "x.x"}}}
    migration = {"pin_run_as_build": {"boost": {"max_pin": "x.x"}}}
    assert variant_add(base, migration)["pin_run_as_build"] == {"boost": {"max_pin": "x.x"}}


def test_zip_keys_group_inside_a_migration_group_is_replaced() -> None:
    left = [["vc", "python"], ["qt", "pyqt"]]
    right = [["python", "vc", "vc_runtime"], ["root", "c_compiler"]]
    assert merge_zip_keys(left, right) == [
        ["c_compiler", "root"],
        ["pyqt", "qt"],
        ["python", "vc", "vc_runtime"],
    ]


def test_zip_keys_merge_is_deterministic_when_several_groups_fit() -> None:
    # Both left groups fit in the right one; the first in sorted order is merged.
    assert merge_zip_keys([["b"], ["a"]], [["a", "b", "c"]]) == [["b"], ["a", "b", "c"]]


def test_migrator_block_and_timestamp_do_not_leak_into_the_result() -> None:
    migration = spec("__migrator:\n  kind: version\nxyz:\n  - 2\n")
    assert variant_add({"xyz": ["1"]}, migration) == {"xyz": ["2"]}


def test_ambiguous_ordering_merge_is_an_error() -> None:
    with pytest.raises(VariantError, match="ambiguous"):
        variant_key_add("k", ["a", "a", "b"], ["b"], ["a", "b"])


def test_duplicates_of_one_value_with_ordering_are_repeated() -> None:
    assert variant_key_add("k", ["a", "a"], ["a"], ["a", "b"]) == ["a", "a"]


def test_value_missing_from_ordering_is_an_error() -> None:
    migration = {"__migrator": {"ordering": {"k": ["1", "2"]}}, "k": ["2"]}
    with pytest.raises(VariantError, match=r"missing from __migrator\.ordering\.k"):
        variant_add({"k": ["3"]}, migration)


# -- key_add / key_remove --------------------------------------------------------------------

BASE_PYTHON = """\
python:
  - 3.6.* *_cpython    # [not (osx and arm64)]
  - 3.7.* *_cpython    # [not (osx and arm64)]
  - 3.8.* *_cpython
python_impl:
  - cpython
zip_keys:
  -
    - python
  -                             # [linux64]
    - cuda_compiler_version     # [linux64]
    - docker_image              # [linux64]
"""
PYPY = """\
python:
  - 3.6.* *_cpython   # [not (osx and arm64)]
  - 3.7.* *_cpython   # [not (osx and arm64)]
  - 3.8.* *_cpython
  - 3.6.* *_73_pypy   # [not (osx and arm64)]
numpy:
  - 1.16       # [not (osx and arm64)]
  - 1.16       # [not (osx and arm64)]
  - 1.16
  - 1.18       # [not (osx and arm64)]
python_impl:
  - cpython    # [not (osx and arm64)]
  - cpython    # [not (osx and arm64)]
  - cpython
  - pypy       # [not (osx and arm64)]
zip_keys:
  -
    - python
    - numpy
    - python_impl
"""
PY39_ORDER = [
    "3.6.* *_cpython",
    "3.9.* *_cpython",
    "3.10.* *_cpython",
    "3.7.* *_cpython",
    "3.8.* *_cpython",
    "3.6.* *_73_pypy",
]


def _python_add(values: list[str], numpy: list[str]) -> dict[str, Any]:
    return {
        "__migrator": {
            "operation": "key_add",
            "primary_key": "python",
            "ordering": {"python": PY39_ORDER},
        },
        "python": values,
        "numpy": numpy,
        "python_impl": ["cpython"] * len(values),
    }


def test_py39_style_key_add_inserts_by_ordering_with_zip_partners() -> None:
    with_pypy = variant_add(spec(BASE_PYTHON), spec(PYPY))
    result = variant_add(with_pypy, _python_add(["3.9.* *_cpython"], ["1.100"]))
    assert result["python"] == [v for v in PY39_ORDER if v != "3.10.* *_cpython"]
    assert result["numpy"] == ["1.16", "1.100", "1.16", "1.16", "1.18"]
    assert result["python_impl"] == ["cpython"] * 4 + ["pypy"]


def test_key_add_of_several_values() -> None:
    with_pypy = variant_add(spec(BASE_PYTHON), spec(PYPY))
    migration = _python_add(["3.9.* *_cpython", "3.10.* *_cpython"], ["1.100", "1.200"])
    result = variant_add(with_pypy, migration)
    assert result["python"] == PY39_ORDER
    assert result["numpy"] == ["1.16", "1.100", "1.200", "1.16", "1.16", "1.18"]


def test_key_add_ignores_keys_not_zipped_with_the_primary_key() -> None:
    result = variant_add(spec(BASE_PYTHON), _python_add(["3.9.* *_cpython"], ["1.100"]))
    assert result["python"] == PY39_ORDER[:2] + PY39_ORDER[3:5]
    assert "numpy" not in result


def test_key_add_is_a_no_op_when_the_tuple_exists() -> None:
    base = spec(BASE_PYTHON)
    migration = {"__migrator": {"operation": "key_add", "primary_key": "python"}}
    result = variant_add(base, {**migration, "python": ["3.8.* *_cpython"]})
    assert result["python"] == base["python"]


def test_key_add_inserts_a_new_tuple_that_reuses_a_primary_value() -> None:
    base = {"cuda_compiler_version": ["None", "12.9", "13.0"], "arm_variant_type": ["sbsa"]}
    tegra = {
        "__migrator": {
            "operation": "key_add",
            "primary_key": "cuda_compiler_version",
            "ordering": {"arm_variant_type": ["None", "sbsa", "tegra"]},
            "additional_zip_keys": ["arm_variant_type"],
        },
        "cuda_compiler_version": ["12.9"],
        "arm_variant_type": ["tegra"],
    }
    result = variant_add(base, tegra)
    assert result["cuda_compiler_version"] == ["None", "12.9", "12.9", "13.0"]
    assert result["arm_variant_type"] == ["sbsa", "sbsa", "tegra", "sbsa"]
    assert result["zip_keys"] == [["cuda_compiler_version", "arm_variant_type"]]


CUDA_READD = """\
__migrator:
  operation: key_add
  primary_key: cuda_compiler_version
  additional_zip_keys:
    - cuda_compiler
  ordering:
    cuda_compiler_version:
      - "12.6"
      - "None"
      - "12.9"
      - "11.8"
    cuda_compiler_version_min:
      - "None"
      - "12.6"
      - "12.9"
      - "11.8"
cuda_compiler_version:
  - "11.8"
cuda_compiler_version_min:
  - "11.8"
cuda_compiler:
  - nvcc
"""


def test_additional_zip_keys_broadcast_and_other_orderings_merge() -> None:
    base = {
        "cuda_compiler": ["cuda-nvcc"],
        "cuda_compiler_version": ["None", "12.9"],
        "cuda_compiler_version_min": ["12.6"],
    }
    result = variant_add(base, spec(CUDA_READD))
    assert result["cuda_compiler_version"] == ["None", "12.9", "11.8"]
    assert result["cuda_compiler"] == ["cuda-nvcc", "cuda-nvcc", "nvcc"]
    assert result["cuda_compiler_version_min"] == ["11.8"]
    assert result["zip_keys"] == [["cuda_compiler_version", "cuda_compiler"]]


def test_additional_zip_keys_join_the_existing_group() -> None:
    base = {
        "cuda_compiler": ["cuda-nvcc"],
        "cuda_compiler_version": ["None", "12.9"],
        "cuda_compiler_version_min": ["12.6"],
        "c_stdlib_version": ["2.17", "2.28"],
        "zip_keys": [["cuda_compiler_version", "c_stdlib_version"]],
    }
    migration = {**spec(CUDA_READD), "c_stdlib_version": ["2.17"]}
    result = variant_add(base, migration)
    assert result["zip_keys"] == [["cuda_compiler_version", "c_stdlib_version", "cuda_compiler"]]
    assert result["c_stdlib_version"] == ["2.17", "2.28", "2.17"]
    assert base["zip_keys"] == [["cuda_compiler_version", "c_stdlib_version"]]


def test_key_add_without_a_zipped_value_is_an_error() -> None:
    base = {
        "cuda_compiler": ["cuda-nvcc"],
        "cuda_compiler_version": ["None", "12.9"],
        "cuda_compiler_version_min": ["12.6"],
        "c_stdlib_version": ["2.17", "2.28"],
        "zip_keys": [["cuda_compiler_version", "c_stdlib_version"]],
    }
    with pytest.raises(VariantError, match="'c_stdlib_version' is zipped"):
        variant_add(base, spec(CUDA_READD))


def test_additional_zip_key_with_several_values_cannot_broadcast() -> None:
    base = {"cuda_compiler": ["a", "b"], "cuda_compiler_version": ["None", "12.9"]}
    with pytest.raises(VariantError, match="cannot zip 'cuda_compiler'"):
        variant_add(base, spec(CUDA_READD))


def test_key_remove_drops_the_value_and_its_zip_partners() -> None:
    base = spec(
        """\
        python:
          - 3.6.* *_cpython
          - 3.8.* *_cpython
          - 3.6.* *_73_pypy
        numpy:
          - 1.16
          - 1.17
          - 1.18
        zip_keys:
          -
            - python
            - numpy
        """
    )
    removal = {
        "__migrator": {
            "operation": "key_remove",
            "primary_key": "python",
            "ordering": {"python": ["3.6.* *_73_pypy", "3.6.* *_cpython", "3.8.* *_cpython"]},
        },
        "python": ["3.6.* *_cpython"],
    }
    result = variant_add(base, removal)
    assert result["python"] == ["3.6.* *_73_pypy", "3.8.* *_cpython"]
    assert result["numpy"] == ["1.18", "1.17"]


def test_key_remove_of_an_absent_value_changes_nothing() -> None:
    base = {"python": ["3.8"]}
    removal = {"__migrator": {"operation": "key_remove", "primary_key": "python"}, "python": ["2"]}
    assert variant_add(base, removal) == base


REMOVE_ADD_BASE = """\
python:
  - 3.9.* *_cpython    # [not (osx and arm64)]
  - 3.10.* *_cpython
  - 3.8.* *_73_pypy    # [not (win64 or (osx and arm64))]
numpy:
  - 1.20               # [not (osx and arm64)]
  - 1.21
  - 1.22               # [not (win64 or (osx and arm64))]
python_impl:
  - cpython            # [not (osx and arm64)]
  - cpython
  - pypy               # [not (win64 or (osx and arm64))]
zip_keys:
  -
    - python
    - numpy
    - python_impl
"""
REMOVE_310 = """\
__migrator:
  operation: key_remove
  primary_key: python
python:
  - 3.10.* *_cpython{selector}
"""
READD_310 = """\
__migrator:
  operation: key_add
  primary_key: python
python:
  - 3.10.* *_cpython  # [not (osx and arm64)]
numpy:
  - 1.21              # [not (osx and arm64)]
python_impl:
  - cpython           # [not (osx and arm64)]
"""
ADD_311 = {
    "__migrator": {"operation": "key_add", "primary_key": "python"},
    "python": ["3.11.* *_cpython"],
    "numpy": ["1.23"],
    "python_impl": ["cpython"],
}


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        (
            "linux-64",
            ["3.8.* *_73_pypy", "3.9.* *_cpython", "3.10.* *_cpython", "3.11.* *_cpython"],
        ),
        ("win-64", ["3.9.* *_cpython", "3.10.* *_cpython", "3.11.* *_cpython"]),
        ("osx-arm64", ["3.11.* *_cpython"]),
    ],
)
def test_remove_then_add_matches_a_platform_specific_remove(
    platform: str, expected: list[str]
) -> None:
    base = spec(REMOVE_ADD_BASE, platform)
    remove_everywhere = spec(REMOVE_310.format(selector=""), platform)
    remove_on_osx_arm = spec(REMOVE_310.format(selector="  # [osx and arm64]"), platform)
    first = variant_add(variant_add(base, remove_everywhere), spec(READD_310, platform))
    first = variant_add(first, ADD_311)
    second = variant_add(variant_add(base, remove_on_osx_arm), ADD_311)
    assert first == second
    assert first["python"] == expected
    assert len(first["numpy"]) == len(expected)


def test_unknown_operation_is_an_error() -> None:
    with pytest.raises(VariantError, match=r"unknown __migrator\.operation 'key_swap'"):
        variant_add({"a": ["1"]}, {"__migrator": {"operation": "key_swap"}, "a": ["2"]})


def test_inputs_are_not_modified() -> None:
    base = variant_add(spec(BASE_PYTHON), spec(PYPY))
    migration = spec(CUDA_READD)
    before = copy.deepcopy((base, migration))
    variant_add(base, _python_add(["3.9.* *_cpython"], ["1.100"]))
    cuda = {
        "cuda_compiler": ["x"],
        "cuda_compiler_version": ["None"],
        "cuda_compiler_version_min": ["12.9"],
        "zip_keys": [["a", "b"]],
    }
    cuda_before = copy.deepcopy(cuda)
    assert variant_add(cuda, migration)["zip_keys"] == [
        ["a", "b"],
        ["cuda_compiler_version", "cuda_compiler"],
    ]
    assert (base, migration) == before
    assert cuda == cuda_before


# -- properties ------------------------------------------------------------------------------

KEYS = ["a", "b", "python", "zip_keys", "pin_run_as_build"]
TEXTS = st.sampled_from(["1.0", "1.10", "2", "None", "3.12.* *_cpython", "x/y:z", "cuda-nvcc", ""])
VALUES = st.one_of(
    st.lists(TEXTS, max_size=3), TEXTS, st.none(), st.integers(), st.dictionaries(TEXTS, TEXTS)
)
ZIP = st.one_of(st.lists(st.lists(st.sampled_from(KEYS), max_size=3), max_size=2), VALUES)
MIGRATOR = st.fixed_dictionaries(
    {},
    optional={
        "operation": st.sampled_from(["key_add", "key_remove", "bogus", ""]),
        "primary_key": st.one_of(st.sampled_from(KEYS), st.lists(st.sampled_from(KEYS))),
        "ordering": st.one_of(st.dictionaries(st.sampled_from(KEYS), st.lists(TEXTS)), VALUES),
        "additional_zip_keys": st.one_of(st.lists(st.sampled_from(KEYS), max_size=2), VALUES),
    },
)
SPECS = st.fixed_dictionaries(
    {},
    optional={
        "a": VALUES,
        "b": VALUES,
        "python": VALUES,
        "zip_keys": ZIP,
        "pin_run_as_build": st.one_of(st.dictionaries(TEXTS, TEXTS), VALUES),
    },
)


@settings(max_examples=300, deadline=None)
@given(left=SPECS, right=SPECS, migrator=st.one_of(st.none(), MIGRATOR))
def test_variant_add_raises_only_smithy_errors_and_is_deterministic(
    left: dict[str, Any], right: dict[str, Any], migrator: dict[str, Any] | None
) -> None:
    if migrator is not None:
        right = {**right, "__migrator": migrator}
    try:
        first = variant_add(left, right)
    except SmithyError:
        return
    assert variant_add(left, right) == first


def test_results_do_not_depend_on_the_hash_seed() -> None:
    script = dedent(
        """
        import json
        from smithy.variants.algebra import variant_add, merge_zip_keys
        zk = merge_zip_keys([["b"], ["a"], ["c", "d"]], [["a", "b", "c", "d"], ["a", "b"]])
        add = {"__migrator": {"operation": "key_add", "primary_key": "p",
               "additional_zip_keys": ["q", "r"], "ordering": {"s": ["1", "2"]}},
               "p": ["3"], "q": ["x"], "r": ["y"], "s": ["2"]}
        out = variant_add({"p": ["1", "2"], "q": ["z"], "r": ["w"], "s": ["1"]}, add)
        print(json.dumps([zk, out]))
        """
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        run = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    zip_keys, added = json.loads(outputs.pop())
    assert zip_keys == [["b"], ["a", "b"], ["a", "b", "c", "d"]]
    assert added == {
        "p": ["1", "2", "3"],
        "q": ["z", "z", "x"],
        "r": ["w", "w", "y"],
        "s": ["2"],
        "zip_keys": [["p", "q", "r"]],
    }
