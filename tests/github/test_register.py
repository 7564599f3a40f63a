"""The registration core: which steps a request plans, results as they happen, failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smithy.errors import SmithyError
from smithy.github.client import GitHubClient, RetryPolicy
from smithy.github.errors import GitError, RegistrationError
from smithy.github.feedstock import FeedstockInfo, read_feedstock
from smithy.github.model import Change, RegistrationRequest, StepResult
from smithy.github.register import plan_registration, register_feedstock
from smithy.github.token import Secret
from tests.github.fake_state import git
from tests.github.fixtures import TOKEN

INFO = FeedstockInfo(name="tinypkg", maintainers=("alice", "bob"), recipe_path="recipe/meta.yaml")


def _request(path: Path, **kw) -> RegistrationRequest:
    return RegistrationRequest(feedstock_dir=path, feedstock=INFO, organization="conda-forge", **kw)


def test_plan_follows_the_options(tmp_path) -> None:
    names = [s.name for s in plan_registration(_request(tmp_path))]
    assert names == ["owner", "repository", "branch-protection", "remote"]
    full = _request(tmp_path, push=True, add_teams=True, extra_admin_users=("x",))
    assert [s.name for s in plan_registration(full)] == [
        "owner",
        "repository",
        "branch-protection",
        "remote",
        "push",
        "collaborators",
        "team",
        "team-members",
        "maintainer-ids",
    ]


def _client(url: str) -> GitHubClient:
    return GitHubClient(Secret(TOKEN), base_url=url, retry=RetryPolicy(sleep=lambda s: None))


def test_results_stream_and_rerun_is_unchanged(fake_github, feedstock) -> None:
    seen: list[StepResult] = []
    client = _client(fake_github.url)
    result = register_feedstock(
        _request(feedstock, push=True), client, dict(os.environ), seen.append
    )
    assert result.full_name == "conda-forge/tinypkg-feedstock"
    assert result.changed and list(result.results) == seen
    assert [(r.step, r.change) for r in seen] == [
        ("repository", Change.CREATED),
        ("branch-protection", Change.CREATED),
        ("remote", Change.CREATED),
        ("push", Change.UPDATED),
    ]
    again = register_feedstock(_request(feedstock, push=True), client, dict(os.environ))
    assert not again.changed
    assert {r.change for r in again.results} == {Change.UNCHANGED}


def test_failure_carries_what_was_done(fake_github, feedstock) -> None:
    fake_github.state.fail("POST", "/rulesets$", 422, "Validation Failed")
    with pytest.raises(RegistrationError) as info:
        register_feedstock(_request(feedstock), _client(fake_github.url), dict(os.environ))
    assert info.value.done == ("repository conda-forge/tinypkg-feedstock: created",)
    assert "github answered 422 (Validation Failed)" in info.value.message


def test_feedstock_without_commit(fake_github, tmp_path) -> None:
    git(["init", "-q", str(tmp_path)])
    with pytest.raises(GitError, match="no commit yet"):
        register_feedstock(_request(tmp_path), _client(fake_github.url), dict(os.environ))
    assert fake_github.state.requests == []


def test_read_feedstock_names(tmp_path) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "recipe.yaml").write_text(
        "package:\n  name: libfoo\n  version: '1'\nbuild:\n  number: 0\n"
        "extra:\n  feedstock-name: foo\n  recipe-maintainers:\n    - carol\n"
    )
    info = read_feedstock(tmp_path, {})
    assert (info.name, info.repo_name, info.maintainers) == ("foo", "foo-feedstock", ("carol",))
    assert info.recipe_path.endswith("recipe.yaml")


def test_maintainers_must_be_a_list(tmp_path) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "meta.yaml").write_text(
        "package:\n  name: foo\n  version: '1'\nextra:\n  recipe-maintainers: alice\n"
    )
    with pytest.raises(SmithyError, match="must be a list of GitHub logins"):
        read_feedstock(tmp_path, {})
