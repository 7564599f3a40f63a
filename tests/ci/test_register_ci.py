"""``smithy register-ci`` end to end against the fake GitHub: Actions on, secrets encrypted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from smithy.cli import main
from tests.github.fake_github import FakeGitHub
from tests.github.fake_secrets import decrypt
from tests.github.fake_state import FakeRepo
from tests.github.fixtures import ADMIN, TOKEN

pytestmark = pytest.mark.usefixtures("github_env", "sleeps")

UPLOAD = "anaconda-upload-token-0123456789"
STAGING = "staging-upload-token-9876543210"
FEEDSTOCK = "f" * 64


@pytest.fixture
def repo(fake_github: FakeGitHub) -> FakeRepo:
    """The feedstock's repository, as register-github leaves it (Actions still off)."""
    return fake_github.state.add_repo("conda-forge", "tinypkg-feedstock")


@pytest.fixture
def tokens(monkeypatch: pytest.MonkeyPatch, github_env: object) -> Path:
    """Upload tokens in the environment, the feedstock token in conda-smithy's file.

    ``github_env`` first: it points HOME at an empty folder.
    """
    monkeypatch.setenv("BINSTAR_TOKEN", UPLOAD)
    monkeypatch.setenv("STAGING_BINSTAR_TOKEN", STAGING)
    folder = Path(os.environ["HOME"]) / ".conda-smithy"
    folder.mkdir()
    path = folder / "conda-forge_tinypkg-feedstock.token"
    path.write_text(FEEDSTOCK + "\n")
    path.chmod(0o600)
    return path


def _run(fake: FakeGitHub, feedstock: Path, *extra: str) -> int:
    return main(["register-ci", str(feedstock), "--github-url", fake.url, *extra])


def _no_token_shown(text: str) -> None:
    for value in (UPLOAD, STAGING, FEEDSTOCK, TOKEN):
        assert value not in text


@pytest.mark.usefixtures("tokens")
def test_register_then_rerun_changes_nothing(
    fake_github: FakeGitHub, feedstock: Path, repo: FakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(fake_github, feedstock) == 0
    first = capsys.readouterr()
    _no_token_shown(first.out + first.err)
    assert repo.actions_enabled
    assert sorted(repo.secrets) == ["BINSTAR_TOKEN", "FEEDSTOCK_TOKEN", "STAGING_BINSTAR_TOKEN"]
    # Stored encrypted: only the repository's private key opens them.
    for name, value in [
        ("BINSTAR_TOKEN", UPLOAD),
        ("FEEDSTOCK_TOKEN", FEEDSTOCK),
        ("STAGING_BINSTAR_TOKEN", STAGING),
    ]:
        assert value not in repo.secrets[name]["encrypted_value"]
        assert decrypt(repo, name) == value
    assert "created   secret BINSTAR_TOKEN (encrypted)" in first.out
    assert "updated   actions conda-forge/tinypkg-feedstock (enabled)" in first.out

    writes = list(fake_github.state.writes())
    assert _run(fake_github, feedstock) == 0
    second = capsys.readouterr()
    assert fake_github.state.writes() == writes  # nothing sent that could change anything
    assert "nothing to change" in second.err
    assert second.out.count("unchanged") == 4


@pytest.mark.usefixtures("tokens")
def test_dry_run_changes_nothing(
    fake_github: FakeGitHub, feedstock: Path, repo: FakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(fake_github, feedstock, "--dry-run", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] is True and data["changed"] is True
    assert {(s["subject"], s["change"]) for s in data["steps"]} == {
        ("conda-forge/tinypkg-feedstock", "updated"),
        ("BINSTAR_TOKEN", "created"),
        ("FEEDSTOCK_TOKEN", "created"),
        ("STAGING_BINSTAR_TOKEN", "created"),
    }
    assert fake_github.state.writes() == []
    assert not repo.actions_enabled and repo.secrets == {}


def test_upload_token_is_required_unless_left_out(
    fake_github: FakeGitHub, feedstock: Path, repo: FakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(fake_github, feedstock) == 3
    assert "no upload token" in capsys.readouterr().err
    assert fake_github.state.writes() == []
    assert _run(fake_github, feedstock, "--without-anaconda-token") == 0
    out = capsys.readouterr().out
    assert repo.secrets == {} and repo.actions_enabled
    assert "skipped   secret FEEDSTOCK_TOKEN (no feedstock token" in out


def test_feedstock_token_file_readable_by_others_is_refused(
    fake_github: FakeGitHub,
    feedstock: Path,
    repo: FakeRepo,
    tokens: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tokens.chmod(0o644)
    assert _run(fake_github, feedstock) == 3
    err = capsys.readouterr().err
    assert "readable by others" in err and str(tokens) in err
    assert repo.secrets == {}


@pytest.mark.usefixtures("tokens")
def test_missing_repository_with_debug_shows_no_token(
    fake_github: FakeGitHub, feedstock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--debug", "register-ci", str(feedstock), "--github-url", fake_github.url]
    assert main(args) == 3
    captured = capsys.readouterr()
    assert "run 'smithy register-github' first" in captured.err
    _no_token_shown(captured.out + captured.err)


@pytest.mark.usefixtures("tokens")
def test_user_account_and_conda_smithy_option_names(
    fake_github: FakeGitHub, feedstock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = fake_github.state.add_repo(ADMIN, "tinypkg-feedstock")
    args = ["register-ci", "--feedstock_directory", str(feedstock), "--user"]
    assert main([*args, "--github-url", fake_github.url]) == 0
    assert mine.actions_enabled and "BINSTAR_TOKEN" in mine.secrets
    assert f"{ADMIN}/tinypkg-feedstock" in capsys.readouterr().err
