"""``smithy migration new|lint|status`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from smithy import cli
from smithy.cli.migration import migration_app
from tests.conftest import DATA, write_tree
from tests.graph.conftest import PINNING, v1_recipe


def run(argv: list[str]) -> int:
    if "migration" not in {group.name for group in cli.app.registered_groups}:
        cli.app.add_typer(migration_app, name="migration")
    return cli.main(argv)


def test_new_then_lint_clean(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "migrations"
    assert run(["migration", "new", "libffi", "3.5", "--dir", str(folder)]) == 0
    assert "created" in capsys.readouterr().out
    (created,) = folder.glob("*.yaml")
    assert created.name == "libffi35.yaml"
    assert run(["migration", "lint", str(folder), "--pinning", str(PINNING)]) == 0
    assert run(["migration", "new", "libffi", "3.5", "--dir", str(folder)]) == 3
    assert run(["migration", "new", "zlib", "1.4", "--dir", str(folder), "--dry-run"]) == 0
    assert "zlib:\n  - '1.4'\n" in capsys.readouterr().out
    assert not (folder / "zlib14.yaml").exists()


def test_lint_reports_positions_and_fails(capsys) -> None:
    bad = DATA / "graph" / "migrations" / "bad.yaml"
    assert run(["migration", "lint", str(bad), "--pinning", str(PINNING)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:7:" in out and "SMY952" in out and "unknown __migrator key 'colour'" in out
    assert f"{bad}:16:" in out and "SMY962" in out and "'not_a_pin'" in out
    # Hints alone pass unless --strict; the same reporters and rule choice as smithy lint.
    base = ["migration", "lint", str(bad), "--pinning", str(PINNING)]
    assert run([*base, "--select", "SMY962"]) == 0
    assert run([*base, "--select", "SMY962", "--strict"]) == 1
    capsys.readouterr()
    assert run([*base, "--ignore", "SMY95,SMY96", "-f", "github"]) == 0
    assert capsys.readouterr().out == ""
    assert run([*base, "--select", "SMY952", "-f", "github"]) == 1
    assert capsys.readouterr().out.startswith(f"::error file={bad},line=7")
    assert run([*base, "--select", "SMY952", "-f", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "SMY952"
    assert run([*base, "--select", "SMY999"]) == 2


def test_status_table_json_dot_mermaid(tmp_path: Path, capsys) -> None:
    root = write_tree(
        tmp_path / "fs",
        {
            "libffi-feedstock/recipe/recipe.yaml": v1_recipe("libffi"),
            "cffi-feedstock/recipe/recipe.yaml": v1_recipe("cffi", host=["libffi"]),
            "app-feedstock/recipe/recipe.yaml": v1_recipe("app", host=["cffi", "libffi"]),
        },
    )
    # The migration must be known to the pinning, as for rerender.
    pinning = write_tree(
        tmp_path / "pin",
        {
            "conda_build_config.yaml": (PINNING / "conda_build_config.yaml").read_text(),
            "migrations/good.yaml": (DATA / "graph" / "migrations" / "good.yaml").read_text(),
        },
    )
    base = ["migration", "status", "good", str(root), "--pinning", str(pinning), "--no-cache"]
    assert run([*base, "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {e["name"]: (e["status"], e["blocking"]) for e in data["feedstocks"]} == {
        "cffi": ("ready", []),
        "app": ("awaiting-parents", ["cffi"]),
        "libffi": ("not-applicable", []),
    }
    assert run(base) == 0
    assert "app        awaiting-parents  cffi" in capsys.readouterr().out
    assert run([*base, "-f", "dot"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith('digraph "good" {') and '"cffi" -> "app";' in dot
    assert run([*base, "-f", "mermaid"]) == 0
    assert "n_cffi --> n_app" in capsys.readouterr().out
    assert run(["migration", "status", "nope", str(root), "--pinning", str(pinning)]) == 3
    # A file outside the pinning is refused: rerender would drop its copy from feedstocks.
    outside = str(DATA / "graph" / "migrations" / "good.yaml")
    assert run(["migration", "status", outside, str(root), "--pinning", str(PINNING)]) == 3
    assert "no migrations folder" in capsys.readouterr().err


def test_new_and_lint_json(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "migrations"
    argv = ["migration", "new", "libffi", "3.5", "--dir", str(folder), "-f", "json"]
    assert run(argv) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["written"] is True and created["path"].endswith("libffi35.yaml")
    assert isinstance(created["migrator_ts"], int) and "libffi:" in created["text"]
    bad = DATA / "graph" / "migrations" / "bad.yaml"
    assert run(["migration", "lint", str(bad), "--pinning", str(PINNING), "-f", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {
        "path": str(bad),
        "line": 7,
        "code": "SMY952",
        "name": "unknown-migrator-key",
        "severity": "lint",
    }.items() <= (next(f for f in findings if f["code"] == "SMY952").items())
