"""Tests of the ``.ci_support/*.yaml`` text writer (PyYAML's layout, quoting and booleans)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from smithy.api import variants
from smithy.rerender.ci_yaml import ci_support_files, dump_job_config, scalar
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
