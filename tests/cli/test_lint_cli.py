"""End-to-end tests of ``smithy lint``, ``smithy rules`` and ``smithy explain``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy.cli import main
from tests.lint.helpers import PINNING, write_feedstock
from tests.lint.recipes import V0, V1, edit, line_of

ROOT = Path(__file__).resolve().parents[2]


NO_HASH = edit(
    V0, "  sha256: 1111111111111111111111111111111111111111111111111111111111111111\n", ""
)
SPDX_HINT = edit(V1, "  license: MIT", "  license: BSD")


def lint(*args: str) -> int:
    return main(["lint", "--pinning", PINNING, *args])


def test_lint_text_and_exit_1_on_lints(tmp_path, capsys) -> None:
    root = write_feedstock(tmp_path / "f", NO_HASH)
    assert lint(str(root)) == 1
    out = capsys.readouterr().out
    line = line_of(NO_HASH, "  url:")
    assert f"meta.yaml:{line}:3: SMY501 the source url has no sha256 hash" in out
    assert "  help: " in out


def test_hints_pass_unless_strict(tmp_path) -> None:
    root = write_feedstock(tmp_path / "f", SPDX_HINT, "recipe.yaml")
    assert lint(str(root)) == 0
    assert lint(str(root), "--strict") == 1


def test_clean_recipe_exits_0(tmp_path, capsys) -> None:
    root = write_feedstock(tmp_path / "f", V1, "recipe.yaml")
    assert lint(str(root)) == 0
    assert "all good" in capsys.readouterr().out


def test_unparsable_recipe_exits_3_with_a_finding(tmp_path, capsys) -> None:
    root = write_feedstock(tmp_path / "f", "package:\n  name: [x\n")
    assert lint(str(root), "--format", "json") == 3
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["line"] > 0) for f in findings] == [("SMY001", True)]


def test_missing_path_is_a_finding_not_a_traceback(tmp_path, capsys) -> None:
    assert lint(str(tmp_path / "nope")) == 3
    assert "SMY001" in capsys.readouterr().out


def test_json_select_ignore(tmp_path, capsys) -> None:
    root = write_feedstock(tmp_path / "f", NO_HASH)
    assert lint(str(root), "--format", "json", "--select", "SMY5", "--ignore", "SMY501") == 0
    assert json.loads(capsys.readouterr().out) == {"findings": []}


def test_unknown_select_is_a_usage_error(tmp_path, capsys) -> None:
    assert lint(str(tmp_path), "--select", "XYZ") == 2
    assert "matches no rule" in capsys.readouterr().err
    assert lint(str(tmp_path), "--ignore", "SMY0,BOGUS") == 2
    assert "--ignore" in capsys.readouterr().err


def test_github_and_sarif_formats(tmp_path, capsys) -> None:
    root = write_feedstock(tmp_path / "f", NO_HASH)
    lint(str(root), "--format", "github", "--select", "SMY501")
    assert capsys.readouterr().out.startswith("::error file=")
    lint(str(root), "--format", "sarif", "--select", "SMY501")
    log = json.loads(capsys.readouterr().out)
    assert log["runs"][0]["results"][0]["ruleId"] == "SMY501"


def test_github_format_gives_the_column_of_the_reported_node(tmp_path, capsys) -> None:
    # Rules that know only the line report the column of the key or item written there.
    recipe = edit(NO_HASH, "    - zlib >=1.3", "    - zlib >= 1.3")
    root = write_feedstock(tmp_path / "f", recipe)
    lint(str(root), "--format", "github", "--select", "SMY501,SMY403")
    out = capsys.readouterr().out
    url, item = line_of(recipe, "  url:"), line_of(recipe, "zlib >= 1.3")
    assert f"line={url},col=3,title=SMY501" in out
    assert f"line={item},col=7,title=SMY403" in out


def test_fix_rewrites_then_second_run_changes_nothing(tmp_path, capsys) -> None:
    messy = edit(V0, "    - zlib >=1.3", "    - zlib>=1.3") + "\n\n"
    root = write_feedstock(tmp_path / "f", messy)
    assert lint(str(root), "--fix") == 0
    first = (root / "recipe" / "meta.yaml").read_text()
    assert "    - zlib >=1.3" in first and first.endswith("someone\n")
    assert lint(str(root), "--fix") == 0
    assert (root / "recipe" / "meta.yaml").read_text() == first


def test_rules_formats(capsys) -> None:
    assert main(["rules"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("CODE") and "SMY501" in table and "R-019" in table
    main(["rules", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert {"code", "name", "severity", "compat_id"} <= set(data[0])


def test_explain(capsys) -> None:
    assert main(["explain", "SMY501"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SMY501 missing-source-hash (lint, conda-smithy R-019)")
    assert main(["explain", "SMY999"]) == 3
    # conda-smithy's linter.skip names work too
    assert main(["explain", "lint_stdlib"]) == 0
    assert capsys.readouterr().out.startswith("SMY431 missing-stdlib")


def test_docs_rules_md_is_up_to_date(capsys) -> None:
    main(["rules", "--format", "md"])
    generated = capsys.readouterr().out
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == generated


BAD_BYTE = b"\xff"


@pytest.mark.parametrize(
    ("rel", "fmt", "before"),
    [
        ("recipe/meta.yaml", "meta.yaml", b"package:\n  name: a\n  version: 1\nabout:\n  x: 'ab"),
        ("recipe/recipe.yaml", "recipe.yaml", b"package:\n  name: "),
        ("conda-forge.yml", "meta.yaml", b"github:\n  branch_name: "),
        ("recipe/conda_build_config.yaml", "meta.yaml", b"zlib:\n  - "),
    ],
    ids=["meta.yaml", "recipe.yaml", "conda-forge.yml", "conda_build_config.yaml"],
)
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_undecodable_input_is_one_error_line_not_a_report(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rel: str,
    fmt: str,
    before: bytes,
    output_format: str,
) -> None:
    root = write_feedstock(tmp_path / "f", V0 if fmt == "meta.yaml" else V1, fmt)
    (root / rel).write_bytes(before + BAD_BYTE + b"\n")
    line = before.count(b"\n") + 1
    column = len(before) - before.rfind(b"\n")
    assert lint(str(root), "--format", output_format) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"{root / rel}:{line}:{column}: error: not UTF-8 text (invalid start byte)"
    ]
