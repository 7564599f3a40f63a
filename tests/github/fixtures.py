"""Shared GitHub test fixtures (a running fake GitHub, a committed feedstock); import them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smithy.cli import github as cli_github
from smithy.github.client import RetryPolicy
from tests.github.fake_github import FakeGitHub, running
from tests.github.feedstock_repo import make_feedstock

TOKEN = "ghp_fakeTokenValue0123456789abcdefSECRET"
ADMIN = "forge-admin"
ORG = "conda-forge"


@pytest.fixture
def fake_github(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeGitHub]:
    """A fake GitHub on a free loopback port: ``.url`` for --github-url, ``.state`` to seed/read.

    Seeded with user ``forge-admin`` (token ``TOKEN``), owner of organisation ``conda-forge``,
    and users ``alice`` and ``bob`` (alice is an org member, bob is not).
    """
    with running(tmp_path_factory.mktemp("github-git")) as fake:
        state = fake.state
        state.add_user(ADMIN, token=TOKEN)
        state.add_user("alice")
        state.add_user("bob")
        state.add_org(ORG, admins=(ADMIN,), members=("alice",))
        yield fake


@pytest.fixture
def feedstock(tmp_path: Path) -> Path:
    """A feedstock git repository with one commit: recipe ``tinypkg``, maintainers alice, bob."""
    return make_feedstock(tmp_path / "tinypkg-feedstock")


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Make the CLI's retry waits instant; returns the list of waits requested."""
    waited: list[float] = []
    monkeypatch.setattr(cli_github, "RETRY_POLICY", RetryPolicy(sleep=waited.append))
    return waited


@pytest.fixture
def github_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str | None], None]:
    """Set (or clear, with None) the token environment variables for CLI runs.

    HOME moves to an empty folder so a real ``~/.conda-smithy/github.token`` never leaks in.
    """
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))

    def set_token(token: str | None) -> None:
        monkeypatch.delenv("GH_TOKEN", raising=False)
        if token is None:
            monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        else:
            monkeypatch.setenv("GITHUB_TOKEN", token)

    set_token(TOKEN)
    return set_token
