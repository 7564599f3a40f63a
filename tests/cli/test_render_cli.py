"""End-to-end tests of ``smithy render`` through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smithy.cli import main

ROOT = Path(__file__).resolve().parents[2]

META_YAML = """\
{% set version = "1.2.3" %}
package:
  name: tinylib
  version: {{ version }}
build:
  number: 4
  skip: true  # [win]
requirements:
  build:
    - {{ compiler('c') }}
  host:
    - python
  run:
    - python
"""

CBC = """\
c_compiler:
  - gcc      # [linux]
  - clang    # [osx]
  - vs2022   # [win]
c_compiler_version:  # [unix]
  - 15       # [linux]
  - 21       # [osx]
python:
  - 3.11.* *_cpython
  - 3.12.* *_cpython
"""


@pytest.fixture
def feedstock(build_tree):
    return build_tree(
        {
            "feed/recipe/meta.yaml": META_YAML,
            "feed/conda-forge.yml": "{}\n",
            "pin/conda_build_config.yaml": CBC,
        }
    )


def test_json_lists_outputs_per_platform_and_variant(feedstock: Path, capsys) -> None:
    code = main(
        [
            "render",
            str(feedstock / "feed"),
            "--pinning",
            str(feedstock / "pin"),
            "-p",
            "linux-64",
            "-p",
            "win-64",
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    linux, win = data["platforms"]
    assert linux["platform"] == "linux-64"
    assert linux["used_keys"] == ["c_compiler", "c_compiler_version", "python"]
    pythons = [v["variant"]["python"] for v in linux["variants"]]
    assert pythons == ["3.11.* *_cpython", "3.12.* *_cpython"]
    output = linux["variants"][0]["outputs"][0]
    assert (output["name"], output["version"], output["build_number"]) == ("tinylib", "1.2.3", 4)
    assert output["requirements"]["build"] == ["gcc_linux-64 15.*"]
    assert output["skip"] is False
    assert all(v["outputs"][0]["skip"] for v in win["variants"])


def test_table_output_names_pinning_and_skips(feedstock: Path, capsys) -> None:
    code = main(
        ["render", str(feedstock / "feed"), "--pinning", str(feedstock / "pin"), "-p", "win-64"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "--pinning" in out
    assert "tinylib 1.2.3" in out
    assert "SKIPPED" in out


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("package:\n  name: x\n  version: [1\n", 3, ""),
        ("package:\n  name: {{ nme }}\n  version: 1\n", 2, "nme"),
        ("package:\n  name: x  # [lnux(1)]\n  version: 1\n", 2, "lnux"),
        ("package:\n  name: x  # [linux and (osx]\n  version: 1\n", 2, ""),
    ],
    ids=["broken-yaml", "undefined-jinja", "unknown-selector-function", "unbalanced-selector"],
)
def test_bad_recipe_is_one_line_error_with_exit_3(
    build_tree, capsys, text: str, line: int, fragment: str
) -> None:
    root = build_tree({"recipe/meta.yaml": text, "pin/conda_build_config.yaml": CBC})
    code = main(["render", str(root / "recipe"), "--pinning", str(root / "pin"), "-p", "linux-64"])
    err = capsys.readouterr().err
    assert code == 3
    assert len(err.strip().splitlines()) == 1
    assert f"meta.yaml:{line}" in err
    assert ": error: " in err
    assert fragment in err
    assert "Traceback" not in err


def test_zip_mismatch_names_keys_and_lengths(build_tree, capsys) -> None:
    # block style: a `[python, numpy]` ending a line would be a selector, as in conda-build
    cbc = CBC + "numpy:\n  - 2\nzip_keys:\n  -\n    - python\n    - numpy\n"
    recipe = META_YAML.replace("    - python\n  run", "    - python\n    - numpy\n  run")
    root = build_tree({"recipe/meta.yaml": recipe, "pin/conda_build_config.yaml": cbc})
    code = main(["render", str(root / "recipe"), "--pinning", str(root / "pin"), "-p", "linux-64"])
    err = capsys.readouterr().err
    assert code == 3
    assert "conda_build_config.yaml" in err
    assert "python" in err and "numpy" in err
    assert len(err.strip().splitlines()) == 1


def test_missing_recipe_and_unknown_platform_exit_3(tmp_path: Path, capsys) -> None:
    assert main(["render", str(tmp_path / "nope")]) == 3
    assert "nope" in capsys.readouterr().err
    (tmp_path / "meta.yaml").write_text(META_YAML)
    assert main(["render", str(tmp_path), "-p", "linux-65"]) == 3
    assert "linux-65" in capsys.readouterr().err


def test_usage_error_exit_2(capsys) -> None:
    assert main(["render", "--no-such-option"]) == 2


def test_console_script_runs_on_embedded_default(tmp_path: Path) -> None:
    (tmp_path / "meta.yaml").write_text(META_YAML)
    result = subprocess.run(
        [sys.executable, "-m", "smithy", "render", str(tmp_path), "-p", "osx-arm64", "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pinning"]["source"] == "embedded default"
    build = data["platforms"][0]["variants"][0]["outputs"][0]["requirements"]["build"]
    assert build[0].startswith("clang_osx-arm64 ")


def test_schema_command_prints_a_valid_json_schema(capsys) -> None:
    import jsonschema

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "conda_build_tool" in schema["properties"]


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("smithy ")
