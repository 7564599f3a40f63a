"""``smithy build`` end to end: dry run, and a real offline build of A <- B <- C."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from smithy import cli
from smithy.cli.build import build_command
from tests.build.conftest import HELLO, A, B, C
from tests.conftest import write_tree
from tests.graph.conftest import PINNING


def run(argv: list[str]) -> int:
    if "build" not in {command.name for command in cli.app.registered_commands}:
        cli.app.command("build")(build_command)
    return cli.main(argv)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "fs",
        {
            "a-feedstock/recipe/recipe.yaml": A,
            "a-feedstock/recipe/data.txt": "a\n",
            "b-feedstock/recipe/recipe.yaml": B,
            "b-feedstock/recipe/data.txt": "b\n",
            "c-feedstock/recipe/recipe.yaml": C,
            "c-feedstock/recipe/hello.c": HELLO,
        },
    )


def base(tree: Path, tmp_path: Path) -> list[str]:
    return ["build", str(tree), "--channel", str(tmp_path / "chan"), "-p", "linux-64",
            "--pinning", str(PINNING), "--no-cache"]  # fmt: skip


def test_dry_run_prints_plan_without_building(
    tree: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "rattler_build", None)  # a dry run needs no backend
    assert run([*base(tree, tmp_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.index("│ a ") < out.index("│ b ") < out.index("│ c ")
    assert "planned" in out
    assert not (tmp_path / "chan").exists()
    assert run(base(tree, tmp_path)) == 3
    assert "pip install 'smithy-forge[build]'" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a system C compiler")
def test_real_build_into_local_channel(tree: Path, tmp_path: Path, capsys) -> None:
    pytest.importorskip("rattler_build")
    assert run(base(tree, tmp_path)) == 0
    out = capsys.readouterr().out
    assert out.count("built") == 3
    assert list((tmp_path / "chan" / "linux-64").glob("pkg-c-1.0-*.conda"))
    (tree / "c-feedstock" / "recipe" / "hello.c").write_text("not C\n")
    assert run(base(tree, tmp_path)) == 1
    assert "c failed:" in capsys.readouterr().out


def test_dry_run_as_json(tree: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "rattler_build", None)
    assert run([*base(tree, tmp_path), "--dry-run", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "linux-64" and data["planned"] is True
    steps = data["steps"]
    assert [(s["feedstock"], s["kind"], s["status"]) for s in steps] == [
        ("a", "build", "not-run"),
        ("b", "build", "not-run"),
        ("c", "build", "not-run"),
    ]
    assert [s["wave"] for s in steps] == sorted(s["wave"] for s in steps)
    assert not (tmp_path / "chan").exists()
