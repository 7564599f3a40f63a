"""Feedstock and upload token commands end to end: files, modes, hashes, secrets, reruns."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from smithy.cli import main
from tests.github.fake_github import FakeGitHub
from tests.github.fake_secrets import decrypt
from tests.github.fake_state import FakeRepo
from tests.github.fixtures import TOKEN

pytestmark = pytest.mark.usefixtures("github_env", "sleeps")


@pytest.fixture
def repos(fake_github: FakeGitHub) -> tuple[FakeRepo, FakeRepo]:
    """The feedstock's repository and conda-forge's token repository (with a README)."""
    state = fake_github.state
    feedstock_repo = state.add_repo("conda-forge", "tinypkg-feedstock")
    token_repo = state.add_repo("conda-forge", "feedstock-tokens", files={"README.md": "tokens\n"})
    return feedstock_repo, token_repo


def _token_path() -> Path:
    return Path(os.environ["HOME"]) / ".conda-smithy" / "conda-forge_tinypkg-feedstock.token"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_generate_writes_a_private_token_once(
    feedstock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate-feedstock-token", "--feedstock_directory", str(feedstock)]) == 0
    path = _token_path()
    token = path.read_text()
    assert len(token) == 64 and int(token, 16) >= 0
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    out = capsys.readouterr()
    assert str(path) in out.out and token not in out.out + out.err
    # Never overwritten: a registered token must not change behind the registry's back.
    assert main(["generate-feedstock-token", str(feedstock)]) == 3
    assert "exists already" in capsys.readouterr().err
    assert path.read_text() == token


def _register(fake: FakeGitHub, feedstock: Path, *extra: str) -> int:
    args = ["register-feedstock-token", str(feedstock), "--github-url", fake.url]
    return main([*args, *extra])


def test_register_stores_the_hash_and_the_secret_then_rerun_changes_nothing(
    fake_github: FakeGitHub,
    feedstock: Path,
    repos: tuple[FakeRepo, FakeRepo],
    capsys: pytest.CaptureFixture[str],
) -> None:
    feedstock_repo, token_repo = repos
    assert main(["generate-feedstock-token", str(feedstock)]) == 0
    token = _token_path().read_text()
    args = ["--debug", "register-feedstock-token", str(feedstock), "--github-url", fake_github.url]
    assert main(args) == 0
    out = capsys.readouterr()
    assert token not in out.out + out.err and TOKEN not in out.out + out.err

    registry = json.loads(token_repo.read("tokens/tinypkg.json"))
    (entry,) = registry["tokens"]
    expected = hashlib.scrypt(
        token.encode(), salt=bytes.fromhex(entry["salt"]), n=2**14, r=8, p=1, dklen=64
    )
    assert entry["hashed_token"] == expected.hex()
    assert token not in json.dumps(registry)
    assert decrypt(feedstock_repo, "FEEDSTOCK_TOKEN") == token

    writes = fake_github.state.writes()
    assert _register(fake_github, feedstock, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed"] is False
    assert fake_github.state.writes() == writes


def test_register_without_a_token_file_or_with_a_public_one(
    fake_github: FakeGitHub,
    feedstock: Path,
    repos: tuple[FakeRepo, FakeRepo],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _register(fake_github, feedstock) == 3
    assert "run 'smithy generate-feedstock-token'" in capsys.readouterr().err
    assert main(["generate-feedstock-token", str(feedstock)]) == 0
    _token_path().chmod(0o644)
    assert _register(fake_github, feedstock) == 3
    assert "readable by others" in capsys.readouterr().err
    assert fake_github.state.writes() == []


@pytest.mark.parametrize(
    "command",
    [
        "update-anaconda-token",
        "update-binstar-token",
        "rotate-anaconda-token",
        "rotate-binstar-token",
    ],
)
def test_update_anaconda_token_replaces_the_secret(
    fake_github: FakeGitHub,
    feedstock: Path,
    repos: tuple[FakeRepo, FakeRepo],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    feedstock_repo, _ = repos
    monkeypatch.setenv("BINSTAR_TOKEN", "old-upload-token-111")
    assert main(["register-ci", str(feedstock), "--github-url", fake_github.url]) == 0
    monkeypatch.setenv("BINSTAR_TOKEN", "new-upload-token-222")
    args = [command, "--feedstock_directory", str(feedstock), "--github-url", fake_github.url]
    assert main(args) == 0
    out = capsys.readouterr()
    assert "new-upload-token-222" not in out.out + out.err
    assert "updated   secret BINSTAR_TOKEN" in out.out
    assert decrypt(feedstock_repo, "BINSTAR_TOKEN") == "new-upload-token-222"
