"""Tests of the ``.ci_support/*.yaml`` text writer (PyYAML's layout, quoting and booleans)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from smithy.api import variants
from smithy.rerender.ci_yaml import ci_support_files, dump_job_config, fold, scalar
from tests.conftest import DATA, write_tree

PINNING = DATA / "rerender_matrix" / "pinning"


def _load(text: str) -> Any:
    # The files are read by PyYAML-based tools, so read them back with YAML 1.1 rules.
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    return yaml.load(text)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("true", "true"),
        ("false", "false"),
        (True, "true"),
        (False, "false"),
        ("14", "'14'"),
        ("2.17", "'2.17'"),
        ("10.13", "'10.13'"),
        ("1.3", "'1.3'"),
        ("3.12.* *_cpython", "3.12.* *_cpython"),
        ("3.13.* *_cp313", "3.13.* *_cp313"),
        ("conda-forge main", "conda-forge main"),
        (
            "quay.io/condaforge/linux-anvil-x86_64:alma9",
            "quay.io/condaforge/linux-anvil-x86_64:alma9",
        ),
        ("None", "None"),  # YAML 1.1 null is null/Null/NULL/~ only
        ("null", "'null'"),
        ("True", "'True'"),
        ("yes", "'yes'"),
        ("x.x", "x.x"),
        ("", "''"),
        ("*_cpython", "'*_cpython'"),
        ("a: b", "'a: b'"),
        ("it's", "it's"),
        ("#x", "'#x'"),
        (" lead", "' lead'"),
        ("2024-01-01", "'2024-01-01'"),
        ("1_000", "'1_000'"),
        ("0x1F", "'0x1F'"),
    ],
)
def test_scalar_quoting(value: object, written: str) -> None:
    assert scalar(value) == written


def test_dump_layout_sorted_keys_and_nested_order() -> None:
    config = {
        "python": ["3.12.* *_cpython"],
        "c_stdlib_version": ["2.17"],
        "is_freethreading": ["false"],
        "pin_run_as_build": {"python": {"min_pin": "x.x", "max_pin": "x.x"}},
        "zip_keys": [["python", "numpy"]],
        "MACOSX_DEPLOYMENT_TARGET": ["11.0"],
        "empty": [],
    }
    assert dump_job_config(config) == (
        "MACOSX_DEPLOYMENT_TARGET:\n"
        "- '11.0'\n"
        "c_stdlib_version:\n"
        "- '2.17'\n"
        "empty: []\n"
        "is_freethreading:\n"
        "- false\n"
        "pin_run_as_build:\n"
        "  python:\n"
        "    min_pin: x.x\n"
        "    max_pin: x.x\n"
        "python:\n"
        "- 3.12.* *_cpython\n"
        "zip_keys:\n"
        "- - python\n"
        "  - numpy\n"
    )


def test_rerendered_file_keeps_min_pin_before_max_pin(tmp_path: Path) -> None:
    # Real conda-forge .ci_support files list min_pin first (conda-smithy keeps the pin's
    # order rather than sorting nested keys).
    recipe = (
        "package:\n  name: p\n  version: 1.0.0\n"
        "requirements:\n  host:\n    - python\n  run:\n    - python\n"
    )
    root = write_tree(tmp_path, {"recipe/meta.yaml": recipe, "conda-forge.yml": "{}\n"})
    _, matrix = variants(root, pinning=str(PINNING))
    text = ci_support_files(matrix.jobs)[".ci_support/linux_64_python3.12.____cpython.yaml"]
    assert (
        "pin_run_as_build:\n  python:\n    min_pin: x.x\n    max_pin: x.x\n"
        "python:\n- 3.12.* *_cpython\n"
    ) in text.content.decode()


def test_boolean_strings_read_back_as_booleans() -> None:
    parsed = _load(dump_job_config({"is_rc": ["false"], "flag": ["true"], "v": ["14"]}))
    assert parsed == {"flag": [True], "is_rc": [False], "v": ["14"]}


# Printable ASCII, which PyYAML writes unescaped; YAML indicators made frequent.
_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    | st.sampled_from([":", "#", "-", "'", '"', " ", "*", "&", "!", "?", "|", ">", "%", ".", "0"]),
    max_size=16,
)
_KEY = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(
    values=st.dictionaries(_KEY, st.lists(_TEXT, min_size=1, max_size=3), max_size=5),
    group=st.lists(_TEXT, min_size=1, max_size=3),
    pin=st.dictionaries(_KEY, _TEXT, min_size=1, max_size=2),
)
def test_dump_round_trips_printable_strings(
    values: dict[str, list[str]], group: list[str], pin: dict[str, str]
) -> None:
    config: dict[str, Any] = {**values, "zip_keys": [group], "pin_run_as_build": {"pkg": pin}}
    # Read back as plain strings: the structure and every string must survive the trip
    # (the quoting rules themselves are pinned down by test_scalar_quoting).
    assert YAML(typ="base").load(dump_job_config(config)) == config


def test_tab_is_escaped_as_pyyaml_does() -> None:
    assert scalar("a\tb") == '"a\\tb"'


def test_non_ascii_is_escaped_as_pyyaml_does() -> None:
    assert scalar("caf\u00e9") == '"caf\\xE9"'


def _pyyaml(config: dict[str, Any]) -> str:
    # conda-smithy's call (yaml.dump, default_flow_style=False, width 80). The top level is
    # sorted here and nested mappings keep their order, as conda-smithy's OrderedDicts do.
    return yaml.safe_dump(dict(sorted(config.items())), default_flow_style=False, sort_keys=False)


_GENCODE = " ".join(
    f"-gencode arch=compute_{arch},code=sm_{arch}"
    for arch in ("75", "80", "86", "87", "89", "90a", "100f", "103f", "110", "120a", "121f")
)


def test_long_gencode_value_is_folded_as_conda_smithy_writes_it() -> None:
    # The layout of cuda-nvcc-feedstock's .ci_support files (DEFAULT_NVCC_GENCODE).
    config = {"DEFAULT_NVCC_GENCODE": [_GENCODE], "target_platform": ["linux-64"]}
    text = dump_job_config(config)
    assert text.startswith(
        "DEFAULT_NVCC_GENCODE:\n"
        "- -gencode arch=compute_75,code=sm_75 -gencode arch=compute_80,code=sm_80 -gencode\n"
        "  arch=compute_86,code=sm_86 -gencode arch=compute_87,code=sm_87"
        " -gencode arch=compute_89,code=sm_89\n"
    )
    assert text == _pyyaml(config)
    assert yaml.safe_load(text) == config


@pytest.mark.parametrize(
    ("written", "column", "folded"),
    [
        ("'" + "a " * 41 + "b'", 0, "'" + "a " * 40 + "a\n  b'"),
        ("'" + "a" * 81 + " '", 0, "'" + "a" * 81 + " '"),  # never at the trailing space
        ("a" * 81 + "  b", 0, "a" * 81 + "  b"),  # never inside a run of spaces
        ("a" * 80 + " b", 0, "a" * 80 + " b"),  # column 80 is not past the width
        ('"' + "a " * 50 + '"', 0, '"' + "a " * 50 + '"'),  # double-quoted: left whole
    ],
)
def test_fold_breaks_only_where_pyyaml_does(written: str, column: int, folded: str) -> None:
    assert fold(written, column, 2) == folded


# Long values made of words and spaces, with characters that force single quotes ('#, ': ')
# or are doubled inside them (') frequent, so both folding paths are exercised.
_WORD = st.text(alphabet=st.sampled_from("abcxyz019_-.,=*:#'/"), min_size=1, max_size=12).filter(
    lambda word: word not in ("true", "false")
)
_LONG = st.builds(
    lambda lead, words, gaps, tail: (
        lead + "".join(w + g for w, g in zip(words, gaps, strict=False)) + tail
    ),
    st.sampled_from(["", "", " "]),
    st.lists(_WORD, min_size=1, max_size=30),
    st.lists(st.sampled_from([" ", " ", " ", "  "]), min_size=30, max_size=30),
    st.sampled_from(["x", "x", " "]),
)


@settings(max_examples=60, deadline=None)
@given(
    values=st.dictionaries(_KEY, st.lists(_LONG, min_size=1, max_size=2), max_size=3),
    single=_LONG,
    group=st.lists(_LONG, min_size=1, max_size=2),
    pin=_LONG,
)
def test_long_values_fold_byte_for_byte_as_pyyaml(
    values: dict[str, list[str]], single: str, group: list[str], pin: str
) -> None:
    config: dict[str, Any] = {
        **values,
        "single": single,
        "zip_keys": [group],
        "pin_run_as_build": {"pkg": {"max_pin": pin}},
    }
    assert dump_job_config(config) == _pyyaml(config)
