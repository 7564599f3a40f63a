"""``smithy init`` through the CLI entry point: success, refusal with exit code 3."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import smithy.cli as cli
from smithy.errors import ExitCode

DATA = Path(__file__).resolve().parents[1] / "data" / "rerender_files"

pytestmark = pytest.mark.usefixtures("git_identity", "embedded_pinning")


def test_init_creates_and_commits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "fs"
    code = cli.main(
        ["init", str(DATA / "recipe_v1"), "--feedstock-dir", str(target), "--no-rerender"]
    )
    assert code == ExitCode.OK
    out = capsys.readouterr().out
    assert "created" in out and "pyhello-feedstock" in out
    assert out.splitlines()[0].count("pyhello-feedstock") == 1  # the name once, not twice
    log = subprocess.run(
        ["git", "log", "--oneline"], cwd=target, capture_output=True, text=True, check=True
    ).stdout
    assert log.count("\n") == 1 and "Initial feedstock commit with smithy" in log


def test_init_no_git(tmp_path: Path) -> None:
    target = tmp_path / "fs"
    code = cli.main(
        [
            "init",
            str(DATA / "recipe_v0"),
            "--feedstock-dir",
            str(target),
            "--no-git",
            "--no-rerender",
        ]
    )
    assert code == ExitCode.OK
    assert (target / "recipe" / "meta.yaml").is_file()
    assert not (target / ".git").exists()


def test_init_refuses_existing_dir_with_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "fs"
    target.mkdir()
    (target / "x").write_text("")
    code = cli.main(["init", str(DATA / "recipe_v0"), "--feedstock-dir", str(target)])
    assert code == ExitCode.INPUT
    err = capsys.readouterr().err
    assert "error: target exists and is not an empty folder" in err
    assert err.count("\n") == 1


def test_missing_recipe_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["init", str(tmp_path / "nothing")])
    assert code == ExitCode.INPUT
    assert "no such file or directory" in capsys.readouterr().err


def _unwritable_parent(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o555)
        return parent
    if not Path("/proc/self").is_dir():
        pytest.skip("root writes anywhere, and there is no /proc to refuse it")
    return Path("/proc/smithy-test")  # no one, not even root, can create folders here


@pytest.mark.parametrize("kind", ["file-as-parent", "unwritable-parent"])
def test_init_where_the_folder_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind == "file-as-parent":
        parent = tmp_path / "a-file"
        parent.write_text("not a folder\n")
    else:
        parent = _unwritable_parent(tmp_path)
    target = parent / "deeper" / "fs"
    code = cli.main(["init", str(DATA / "recipe_v0"), "--feedstock-dir", str(target)])
    assert code == ExitCode.INPUT
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "error: cannot create the feedstock (" in lines[0]


def test_init_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    target = tmp_path / "fs"
    argv = ["init", str(DATA / "recipe_v1"), "--feedstock-dir", str(target), "--no-rerender"]
    assert cli.main([*argv, "--format", "json"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=target, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert data == {
        "feedstock_dir": str(target),
        "feedstock_name": "pyhello-feedstock",
        "recipe_format": "recipe.yaml",
        "rerendered": False,
        "commit": head,
    }
