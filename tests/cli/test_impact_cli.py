"""``smithy impact`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from smithy import cli
from smithy.cli.impact import impact_command
from tests.conftest import write_tree
from tests.graph.conftest import PINNING, v1_recipe


def run(argv: list[str]) -> int:
    if "impact" not in {command.name for command in cli.app.registered_commands}:
        cli.app.command("impact")(impact_command)
    return cli.main(argv)


def test_impact_groups_by_wave_and_counts_jobs(tmp_path: Path, capsys) -> None:
    root = write_tree(
        tmp_path / "fs",
        {
            "libffi-feedstock/recipe/recipe.yaml": v1_recipe("libffi"),
            "cffi-feedstock/recipe/recipe.yaml": v1_recipe("cffi", host=["libffi", "python"]),
            "app-feedstock/recipe/recipe.yaml": v1_recipe("app", host=["cffi", "libffi"]),
            "pure-feedstock/recipe/recipe.yaml": v1_recipe(
                "pure", noarch="generic", host=["libffi"]
            ),
        },
    )
    base = ["impact", "libffi", str(root), "--pinning", str(PINNING), "--no-cache"]
    assert run([*base, "--to", "3.5", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["waves"] == [["cffi"], ["app"]]
    assert data["producers"] == {"libffi": "1.0"}
    assert data["jobs"] == 12 + 6  # cffi: 2 pythons x 6 platforms; app: 6 platforms
    assert data["noarch_skipped"] == ["pure"]
    # Waves are numbered from 1 in JSON as in the text below.
    assert [(a["name"], a["wave"]) for a in data["affected"]] == [("cffi", 1), ("app", 2)]
    assert data["migration_name"] == "libffi35"
    assert run(base) == 0
    text = capsys.readouterr().out
    assert text.startswith("changing libffi rebuilds 2 feedstocks in 2 waves, 18 CI jobs")
    assert "wave 1: cffi (12 jobs)\nwave 2: app (6 jobs)\n" in text
