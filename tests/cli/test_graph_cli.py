"""``smithy graph ...`` end to end through the CLI entry point."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from smithy import cli
from smithy.cli.graph import graph_app
from tests.conftest import write_tree
from tests.graph.conftest import PINNING, v0_recipe, v1_recipe


def run(argv: list[str]) -> int:
    # Registered here until smithy/cli/__init__.py lists the graph app itself.
    if "graph" not in {group.name for group in cli.app.registered_groups}:
        cli.app.add_typer(graph_app, name="graph")
    return cli.main(argv)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "fs",
        {
            "a-feedstock/recipe/recipe.yaml": v1_recipe("a"),
            "b-feedstock/recipe/recipe.yaml": v1_recipe("b", host=["a"]),
            "c-feedstock/recipe/meta.yaml": v0_recipe("c", host=["b"], run=["d"]),
            "d-feedstock/recipe/recipe.yaml": v1_recipe("d", run=["c"]),
        },
    )


def opts(tmp_path: Path) -> list[str]:
    return ["--pinning", str(PINNING), "--cache-dir", str(tmp_path / "cache")]


def test_waves_json_is_a_ci_matrix(tree: Path, tmp_path: Path, capsys) -> None:
    assert run(["graph", "waves", str(tree), "--format", "json", *opts(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "waves": [["a"], ["b"], ["c", "d"]],
        "cycles": [["c", "d"]],
    }
    assert run(["graph", "waves", str(tree), "--view", "run", *opts(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["wave 1: a b c d", "cycle: c, d"]


def test_build_then_query_the_saved_graph(tree: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "graph.json"
    assert run(["graph", "build", str(tree), "-o", str(out), *opts(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "4 feedstocks, 4 edges" in err and "parsed 4, from cache 0" in err
    saved = out.read_text()
    assert run(["graph", "build", str(tree), "-o", str(out), *opts(tmp_path)]) == 0
    assert "parsed 0, from cache 4" in capsys.readouterr().err
    assert out.read_text() == saved
    assert run(["graph", "order", str(out), "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["order"] == ["a", "b", "c", "d"]
    assert run(["graph", "cycles", str(out)]) == 1
    assert "closed by d -> c: run: d (" in capsys.readouterr().out
    assert run(["graph", "why", "a", "c", str(out)]) == 0
    text = capsys.readouterr().out
    assert "a -> b  [host: a (" in text and "b -> c  [host: b (" in text
    assert run(["graph", "why", "c", "a", str(out)]) == 1
    assert capsys.readouterr().out == "a does not wait for c\n"
    assert run(["graph", "downstream", "a", str(out), "--depth", "1", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["feedstocks"] == {"b": 1}
    assert run(["graph", "upstream", "c", str(out)]) == 0
    assert capsys.readouterr().out.startswith("3 feedstocks upstream of c")


def test_changed_since_orders_only_affected(tree: Path, tmp_path: Path, capsys) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", "-C", str(tree), *args], check=True, env=env)
    (tree / "b-feedstock" / "recipe" / "recipe.yaml").write_text(
        v1_recipe("b", host=["a"], version="2")
    )
    argv = ["graph", "waves", str(tree), "--changed-since", "HEAD", "-f", "json", *opts(tmp_path)]
    assert run(argv) == 0
    assert json.loads(capsys.readouterr().out)["waves"] == [["b"], ["c", "d"]]


def test_errors_exit_3(tmp_path: Path, capsys) -> None:
    assert run(["graph", "waves", str(tmp_path / "missing")]) == 3
    assert "no such feedstock" in capsys.readouterr().err
    bad = tmp_path / "g.json"
    bad.write_text("[]")
    assert run(["graph", "order", str(bad)]) == 3
