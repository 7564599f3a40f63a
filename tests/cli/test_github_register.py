"""``smithy register-github`` end to end against the fake GitHub: what it creates, and reruns."""

# ruff: noqa: F811  (fixtures imported from tests/github/fixtures.py are parameters by name)

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy.cli import main
from tests.github.fake_github import FakeGitHub
from tests.github.fake_state import git
from tests.github.feedstock_repo import commit_change
from tests.github.fixtures import (  # noqa: F401  (fixtures are found by name)
    ADMIN,
    fake_github,
    feedstock,
    github_env,
    sleeps,
)

pytestmark = pytest.mark.usefixtures("github_env", "sleeps")
FULL = "conda-forge/tinypkg-feedstock"


def _register(fake: FakeGitHub, feedstock: Path, *extra: str) -> int:
    return main(["register-github", str(feedstock), "--github-url", fake.url, *extra])


def _is_ancestor(git_dir: Path, commit: str, ref: str = "main") -> bool:
    try:
        git(["merge-base", "--is-ancestor", commit, ref], git_dir)
    except Exception:
        return False
    return True


def test_full_registration_then_rerun_changes_nothing(fake_github, feedstock, capsys) -> None:
    args = ("--add-teams", "--push", "--extra-admin-users", "bob")
    assert _register(fake_github, feedstock, *args) == 0
    first = capsys.readouterr()
    state = fake_github.state
    repo = state.repo(FULL)
    head = git(["rev-parse", "HEAD"], feedstock)

    (ruleset,) = repo.rulesets.values()
    assert ruleset["enforcement"] == "active"
    assert ruleset["conditions"]["ref_name"]["include"] == ["~DEFAULT_BRANCH"]
    assert {r["type"] for r in ruleset["rules"]} == {"deletion", "non_fast_forward"}
    assert git(["remote", "get-url", "upstream"], feedstock) == str(repo.git_dir)
    assert _is_ancestor(repo.git_dir, head)
    team = state.team("conda-forge", "tinypkg")
    assert team.privacy == "closed"
    assert team.members == {"alice": "active", "bob": "pending"}  # bob is outside the org
    assert team.repos == {FULL.lower(): "push"}
    assert repo.invitations == {"bob": "admin"}
    ids = json.loads(repo.read(".recipe_maintainers.json"))
    assert ids == {"alice": state.accounts["alice"].id, "bob": state.accounts["bob"].id}
    assert "created   repository conda-forge/tinypkg-feedstock" in first.out
    assert first.out.rstrip().endswith(f"registered {FULL} on {fake_github.url.split('/')[2]}")

    writes = len(state.writes())
    assert _register(fake_github, feedstock, *args) == 0
    second = capsys.readouterr()
    assert len(state.writes()) == writes  # nothing sent that could change anything
    assert f"{FULL} is already registered: nothing changed" in second.out
    assert not any(
        line.startswith(("created", "updated", "removed")) for line in second.out.splitlines()
    )


def test_user_account_skips_teams(fake_github, feedstock, capsys) -> None:
    assert _register(fake_github, feedstock, "--user", "--add-teams") == 0
    out = capsys.readouterr().out
    assert "forge-admin/tinypkg-feedstock" in fake_github.state.repos
    assert "skipped   team tinypkg (teams need an organisation)" in out
    assert not fake_github.state.teams


def test_existing_empty_repo_is_reused(fake_github, feedstock, capsys) -> None:
    fake_github.state.add_repo("conda-forge", "tinypkg-feedstock")
    assert _register(fake_github, feedstock) == 0
    assert (
        "unchanged repository conda-forge/tinypkg-feedstock (exists and is empty)"
        in capsys.readouterr().out
    )
    assert ("POST", "/api/v3/orgs/conda-forge/repos") not in fake_github.state.requests


def test_ids_wait_for_the_push(fake_github, feedstock, capsys) -> None:
    assert _register(fake_github, feedstock, "--add-teams") == 0
    assert (
        "skipped   maintainer-ids .recipe_maintainers.json (repository is empty"
        in capsys.readouterr().out
    )
    assert _register(fake_github, feedstock, "--add-teams", "--push") == 0
    out = capsys.readouterr().out
    assert "updated   push main" in out
    assert "created   maintainer-ids .recipe_maintainers.json (2 ids)" in out


def test_without_remote_pushes_to_the_url(fake_github, feedstock, capsys) -> None:
    assert _register(fake_github, feedstock, "--remote-name", "", "--push") == 0
    out = capsys.readouterr().out
    assert "skipped   remote (none)" in out
    assert git(["remote"], feedstock) == ""
    repo = fake_github.state.repo(FULL)
    assert repo.head() == git(["rev-parse", "HEAD"], feedstock)


def test_new_local_commit_is_pushed_on_rerun(fake_github, feedstock, capsys) -> None:
    assert _register(fake_github, feedstock, "--push") == 0
    new = commit_change(feedstock, "recipe/build.sh", "echo hi\n")
    capsys.readouterr()
    assert _register(fake_github, feedstock, "--push") == 0
    assert f"updated   push main (pushed {new[:12]})" in capsys.readouterr().out
    assert fake_github.state.repo(FULL).head() == new


def test_dropped_maintainer_leaves_team_and_ids(fake_github, feedstock, capsys) -> None:
    assert _register(fake_github, feedstock, "--push", "--add-teams") == 0
    fake_github.state.team("conda-forge", "tinypkg").members["bob"] = "active"
    text = (feedstock / "recipe" / "meta.yaml").read_text().replace("    - bob\n", "")
    commit_change(feedstock, "recipe/meta.yaml", text)
    capsys.readouterr()
    assert _register(fake_github, feedstock, "--add-teams") == 0
    out = capsys.readouterr().out
    assert "removed   team-member bob (no longer a recipe maintainer)" in out
    assert "updated   maintainer-ids .recipe_maintainers.json (1 ids)" in out
    repo = fake_github.state.repo(FULL)
    assert json.loads(repo.read(".recipe_maintainers.json")) == {
        "alice": fake_github.state.accounts["alice"].id
    }
    assert fake_github.state.team("conda-forge", "tinypkg").members == {"alice": "active"}


def test_reused_login_is_not_added(fake_github, feedstock, capsys) -> None:
    assert _register(fake_github, feedstock, "--push", "--add-teams") == 0
    state = fake_github.state
    del state.team("conda-forge", "tinypkg").members["bob"]
    state.accounts["bob"].id = 777  # the login now belongs to another account
    capsys.readouterr()
    assert _register(fake_github, feedstock, "--add-teams") == 0
    assert (
        "skipped   team-member bob (account id 777 is not the recorded" in capsys.readouterr().out
    )
    assert "bob" not in state.team("conda-forge", "tinypkg").members


def test_maintainer_team_entry_gets_access(fake_github, tmp_path, capsys) -> None:
    from tests.github.feedstock_repo import make_feedstock

    fake_github.state.add_team("conda-forge", "core")
    stock = make_feedstock(
        tmp_path / "other", maintainers=("alice", "conda-forge/core", "elsewhere/x")
    )
    assert _register(fake_github, stock, "--add-teams") == 0
    out = capsys.readouterr().out
    assert "created   maintainer-team core -> conda-forge/tinypkg-feedstock" in out
    assert "skipped   maintainer-team elsewhere/x (team of another organisation)" in out
    assert fake_github.state.team("conda-forge", "core").repos == {FULL.lower(): "push"}


def test_existing_protection_under_another_name_is_kept(fake_github, feedstock, capsys) -> None:
    repo = fake_github.state.add_repo("conda-forge", "tinypkg-feedstock")
    repo.rulesets[5] = {
        "name": "conda-forge-branch-protection",
        "target": "branch",
        "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": [{"type": "deletion"}, {"type": "non_fast_forward"}],
    }
    assert _register(fake_github, feedstock) == 0
    assert "unchanged branch-protection" in capsys.readouterr().out
    assert list(repo.rulesets) == [5]


def test_disabled_own_ruleset_is_updated(fake_github, feedstock, capsys) -> None:
    repo = fake_github.state.add_repo("conda-forge", "tinypkg-feedstock")
    repo.rulesets[6] = {
        "name": "feedstock-branch-protection",
        "enforcement": "disabled",
        "rules": [],
    }
    assert _register(fake_github, feedstock) == 0
    assert "updated   branch-protection" in capsys.readouterr().out
    assert repo.rulesets[6]["enforcement"] == "active"
