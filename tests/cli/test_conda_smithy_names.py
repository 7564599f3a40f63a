"""conda-smithy's command names and options work on smithy as they do there.

Each test calls smithy under conda-smithy's words (``regenerate``, ``recipe-lint``,
``--feedstock_directory``, ``-c/--commit``, ``-e``...) the way the conda-forge bot and the admin
service do, against a real git repository in a temporary folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smithy import __version__
from smithy.cli import main
from tests.conftest import DATA

FIXTURE = DATA / "rerender_matrix" / "feedstock"
PINNING_DIR = DATA / "rerender_matrix" / "pinning"
PINNING_FILE = PINNING_DIR / "conda_build_config.yaml"

pytestmark = pytest.mark.usefixtures("git_identity")


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The fixture feedstock as a git repository with the recipe committed."""
    root = Path(shutil.copytree(FIXTURE, tmp_path / "tinyext-feedstock"))
    git(root, "init", "--quiet", "-b", "main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "initial")
    return root


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%B%x00").split("\x00\n")[:-1]


def test_regenerate_commit_auto_as_the_bot_calls_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["regenerate", "--feedstock_directory", str(repo), "-c", "auto", "--no-check-uptodate"]
    assert main([*args, "--pinning", str(PINNING_DIR)]) == 0
    err = capsys.readouterr().err
    message = commits(repo)[0].strip()
    assert message == (
        f"MNT: Re-rendered with smithy {__version__} and conda-forge-pinning 2026.01.01"
    )
    assert f"committed: {message}" in err
    assert git(repo, "status", "--porcelain") == ""  # every generated file is in the commit
    assert ".ci_support/linux_64_numpy2.0python3.11.____cpython.yaml" in git(
        repo, "show", "--name-only", "--format=", "HEAD"
    )

    # A second run changes nothing, so it commits nothing and says so.
    assert main([*args, "--pinning", str(PINNING_DIR)]) == 0
    assert "nothing to commit" in capsys.readouterr().err
    assert len(commits(repo)) == 2


def test_commit_leaves_other_staged_work_alone(repo: Path) -> None:
    (repo / "notes.txt").write_text("work in progress\n")
    git(repo, "add", "notes.txt")
    assert main(["rerender", str(repo), "--commit", "auto", "--pinning", str(PINNING_DIR)]) == 0
    assert "notes.txt" not in git(repo, "show", "--name-only", "--format=", "HEAD")
    assert git(repo, "diff", "--cached", "--name-only") == "notes.txt\n"


def test_removed_files_are_committed_as_removals(repo: Path) -> None:
    assert main(["rerender", str(repo), "-c", "auto", "--pinning", str(PINNING_DIR)]) == 0
    meta = repo / "recipe" / "meta.yaml"
    meta.write_text(meta.read_text().replace("skip: true  # [py<311]", "skip: true  # [osx]"))
    git(repo, "commit", "--quiet", "-am", "no macOS builds")
    assert main(["rerender", str(repo), "-c", "auto", "--pinning", str(PINNING_DIR)]) == 0
    shown = git(repo, "show", "--no-renames", "--name-status", "--format=", "HEAD")
    assert "D\t.ci_support/osx_64_numpy2.0python3.11.____cpython.yaml" in shown
    assert "D\t.scripts/run_osx_build.sh" in shown
    assert "osx" not in git(repo, "ls-tree", "-r", "--name-only", "HEAD", ".ci_support")
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize("spelling", [["-c"], ["--commit", "edit"], ["--commit=edit"]])
def test_commit_edit_opens_the_editor_on_the_message(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: list[str]
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path).read()\n"
        "open(path, 'w').write(text.replace('MNT:', 'MNT: [edited]', 1))\n"
    )
    monkeypatch.setenv("GIT_EDITOR", f"{sys.executable} {editor}")
    # A bare -c followed by another option must still mean 'edit'.
    args = ["regenerate", *spelling, "--feedstock-directory", str(repo)]
    assert main([*args, "--pinning", str(PINNING_DIR)]) == 0
    assert commits(repo)[0].startswith("MNT: [edited] Re-rendered with smithy")


def test_commit_edit_aborted_by_an_empty_message(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    editor = tmp_path / "empty.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('')\n")
    monkeypatch.setenv("GIT_EDITOR", f"{sys.executable} {editor}")
    assert main(["regenerate", str(repo), "-c", "--pinning", str(PINNING_DIR)]) == 3
    assert "'git commit' was aborted" in capsys.readouterr().err
    assert len(commits(repo)) == 1


def test_commit_outside_git_refuses_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(shutil.copytree(FIXTURE, tmp_path / "plain-feedstock"))
    assert main(["regenerate", str(root), "-c", "auto", "--pinning", str(PINNING_DIR)]) == 3
    assert "not the top of a git repository" in capsys.readouterr().err
    assert not (root / ".ci_support" / "linux_64_numpy2.0python3.11.____cpython.yaml").exists()


@pytest.mark.parametrize("other", [["--check"], ["--dry-run"]])
def test_commit_cannot_go_with_check_or_dry_run(repo: Path, other: list[str]) -> None:
    assert main(["regenerate", str(repo), "-c", "auto", *other]) == 2


def test_exclusive_config_file_is_the_pinning(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # conda-smithy reads -e relative to the feedstock; smithy also accepts it so.
    shutil.copy(PINNING_FILE, repo / "pinning.yaml")
    monkeypatch.chdir(repo.parent)
    args = ["regenerate", "--feedstock_directory", repo.name, "-e", "pinning.yaml"]
    assert main([*args, "--format", "json", "--dry-run"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pinning"]["source"] == "--pinning"
    assert report["jobs"] == 15
    long_form = ["rerender", str(repo), "--exclusive-config-file", str(PINNING_FILE), "--json"]
    assert main([*long_form, "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["jobs"] == 15


def test_exclusive_config_file_and_pinning_together_is_a_usage_error(repo: Path) -> None:
    args = ["regenerate", str(repo), "-e", str(PINNING_FILE), "--pinning", str(PINNING_DIR)]
    assert main(args) == 2


def test_accepted_no_op_options(repo: Path, tmp_path: Path) -> None:
    args = [
        "regenerate",
        "--feedstock_directory",
        str(repo),
        "--feedstock_config",
        str(repo / "conda-forge.yml"),
        "--temporary-directory",
        str(tmp_path),
        "--no-check-uptodate",
        "--pinning",
        str(PINNING_DIR),
    ]
    assert main(args) == 0
    assert (repo / ".ci_support" / "linux_64_numpy2.0python3.11.____cpython.yaml").is_file()
    assert list(tmp_path.glob("*.smithy-*")) == []


def test_another_feedstock_config_is_refused(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.yml"
    other.write_text("{}\n")
    assert main(["regenerate", str(repo), "--feedstock_config", str(other)]) == 2
    assert "another configuration file is not supported" in capsys.readouterr().err


def test_feedstock_argument_and_option_disagreeing_is_a_usage_error(
    repo: Path, tmp_path: Path
) -> None:
    assert main(["regenerate", str(tmp_path), "--feedstock_directory", str(repo)]) == 2


def test_recipe_lint_conda_forge_feedstock_dir(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["recipe-lint", "--conda-forge", "--feedstock-dir", str(repo), "--format", "json"]
    assert main(args) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    # With no path the feedstock is linted; --conda-forge adds conda-forge's own rules
    # (SMY901: a feedstock that was never rerendered).
    assert {f["code"] for f in findings} == {"SMY305", "SMY206", "SMY901"}
    assert main(["lint", str(repo), "--format", "json"]) == 1
    plain = json.loads(capsys.readouterr().out)["findings"]
    assert {f["code"] for f in plain} == {"SMY305", "SMY206"}


def test_recipe_lint_feedstock_dir_with_its_recipe(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bot's call: the recipe inside --feedstock-dir, whose conda-forge.yml applies."""
    (repo / "conda-forge.yml").write_text("provider: [unclosed\n")
    recipe = str(repo / "recipe")
    args = ["recipe-lint", "--conda-forge", "--feedstock-dir", str(repo), recipe, "-f", "json"]
    assert main(args) in (1, 3)
    found = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "SMY003" in found  # unparsable-config: the feedstock's own file was read
    # A recipe outside the feedstock would be linted with other settings: refused.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert main(["recipe-lint", "--feedstock-dir", str(elsewhere), recipe]) == 2
    assert "is not inside the feedstock" in capsys.readouterr().err


def test_recipe_lint_missing_feedstock_dir(tmp_path: Path) -> None:
    assert main(["recipe-lint", "--feedstock-dir", str(tmp_path / "absent")]) == 3
