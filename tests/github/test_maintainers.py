"""``check_maintainers``: the function the online lint rule calls."""

from __future__ import annotations

import pytest

from smithy.github.client import GitHubClient, RetryPolicy
from smithy.github.errors import AuthError
from smithy.github.maintainers import MaintainerStatus, check_maintainers
from smithy.github.token import Secret
from tests.github.fixtures import TOKEN


def _client(url: str, token: str | None = TOKEN) -> GitHubClient:
    secret = Secret(token) if token else None
    return GitHubClient(secret, base_url=url, retry=RetryPolicy(attempts=2, sleep=lambda s: None))


def test_verdicts_in_recipe_order(fake_github) -> None:
    fake_github.state.add_team("conda-forge", "Core Devs")
    checks = check_maintainers(
        _client(fake_github.url),
        ["bob", "ALICE", "alice", "conda-forge", "conda-forge/core-devs", "conda-forge/", "ghost"],
    )
    assert [(c.name, c.status) for c in checks] == [
        ("bob", MaintainerStatus.OK),
        ("ALICE", MaintainerStatus.OK),
        ("conda-forge", MaintainerStatus.ORGANIZATION),
        ("conda-forge/core-devs", MaintainerStatus.OK),
        ("conda-forge/", MaintainerStatus.TEAM_MISSING),
        ("ghost", MaintainerStatus.MISSING),
    ]
    assert all(c.ok == (c.status is MaintainerStatus.OK) for c in checks)


def test_rate_limit_stops_querying(fake_github) -> None:
    fake_github.state.fail(
        "GET", "^/users/", 429, "Too Many Requests", {"Retry-After": "1"}, times=2
    )
    checks = check_maintainers(_client(fake_github.url), ["alice", "bob", "ghost"])
    assert {c.status for c in checks} == {MaintainerStatus.INCONCLUSIVE}
    assert checks[1].message == checks[0].message
    assert len([r for r in fake_github.state.requests if "/users/" in r[1]]) == 2


def test_bad_token_raises(fake_github) -> None:
    with pytest.raises(AuthError):
        check_maintainers(_client(fake_github.url, "nope"), ["alice"])
