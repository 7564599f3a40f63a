"""``smithy maintainers check``: every maintainer must be a GitHub user or an org/team."""

# ruff: noqa: F811  (fixtures imported from tests/github/fixtures.py are parameters by name)

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.cli import main
from smithy.errors import ExitCode
from tests.github.fake_github import unused_url
from tests.github.feedstock_repo import make_feedstock
from tests.github.fixtures import (  # noqa: F401  (fixtures are found by name)
    fake_github,
    github_env,
    sleeps,
)

pytestmark = pytest.mark.usefixtures("sleeps")


def _check(url: str, recipe: Path) -> int:
    return main(["maintainers", "check", str(recipe), "--github-url", url])


def test_all_known(fake_github, tmp_path, github_env, capsys) -> None:
    fake_github.state.add_team("conda-forge", "core")
    stock = make_feedstock(tmp_path / "f", ("alice", "Bob", "conda-forge/core"))
    assert _check(fake_github.url, stock) == 0
    assert capsys.readouterr().out.splitlines() == ["ok: alice", "ok: Bob", "ok: conda-forge/core"]


def test_problems_are_findings(fake_github, tmp_path, github_env, capsys) -> None:
    stock = make_feedstock(
        tmp_path / "f", ("alice", "ghost", "conda-forge", "conda-forge/nope", "alice")
    )
    assert _check(fake_github.url, stock) == ExitCode.FINDINGS
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ok: alice"
    assert lines[1].endswith("recipe/meta.yaml: missing: 'ghost' is not a GitHub user")
    assert lines[2].endswith(
        "organization: 'conda-forge' is an organisation; list people, or a team as 'org/team'"
    )
    assert lines[3].endswith("team-missing: team 'conda-forge/nope' does not exist (or is hidden)")
    assert len(lines) == 4  # the repeated alice is checked once


def test_anonymous_checks_users_but_not_teams(fake_github, tmp_path, github_env, capsys) -> None:
    github_env(None)
    stock = make_feedstock(tmp_path / "f", ("alice", "conda-forge/core"))
    assert _check(fake_github.url, stock) == ExitCode.FINDINGS
    out = capsys.readouterr().out
    assert "ok: alice" in out
    assert "inconclusive: checking team 'conda-forge/core' needs a GitHub token" in out


def test_network_failure_is_inconclusive(tmp_path, github_env, capsys) -> None:
    stock = make_feedstock(tmp_path / "f", ("alice", "bob"))
    assert _check(unused_url(), stock) == ExitCode.FINDINGS
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all("inconclusive: not checked: cannot look up GitHub user" in line for line in lines)


def test_bad_token_is_an_error(fake_github, tmp_path, github_env, capsys) -> None:
    github_env("ghp_wrong")
    stock = make_feedstock(tmp_path / "f", ("alice",))
    assert _check(fake_github.url, stock) == ExitCode.INPUT
    assert "rejected the token" in capsys.readouterr().err


def test_no_maintainers(fake_github, tmp_path, github_env, capsys) -> None:
    stock = make_feedstock(tmp_path / "f", ())
    assert _check(fake_github.url, stock) == ExitCode.FINDINGS
    assert "extra.recipe-maintainers lists nobody" in capsys.readouterr().out


def test_check_as_json(fake_github, tmp_path, github_env, capsys) -> None:
    import json

    stock = make_feedstock(tmp_path / "f", ("alice", "ghost"))
    args = ["maintainers", "check", str(stock), "--github-url", fake_github.url]
    assert main([*args, "--format", "json"]) == ExitCode.FINDINGS
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["recipe"].endswith("recipe/meta.yaml")
    assert [(m["name"], m["status"]) for m in data["maintainers"]] == [
        ("alice", "ok"),
        ("ghost", "missing"),
    ]
