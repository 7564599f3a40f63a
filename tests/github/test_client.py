"""The client: API URL forms, retry waits reported through the callback, translated errors."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smithy.github.client import GitHubClient, RetryPolicy, Wait, normalize_api_url
from smithy.github.errors import ApiError, AuthError, GitHubError, NetworkError, NotFound
from smithy.github.token import Secret
from tests.github.fake_github import running, unused_url
from tests.github.fixtures import TOKEN


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.github.com", "https://api.github.com"),
        ("https://github.com/", "https://api.github.com"),
        ("https://ghe.example.com", "https://ghe.example.com/api/v3"),
        ("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"),
        ("http://127.0.0.1:8080/api/v3", "http://127.0.0.1:8080/api/v3"),
    ],
)
def test_api_url_forms(given: str, expected: str) -> None:
    assert normalize_api_url(given) == expected


@pytest.mark.parametrize("bad", ["ftp://x", "ghe.example.com", "http://ghe.example.com"])
def test_bad_api_urls(bad: str) -> None:
    with pytest.raises(GitHubError):
        normalize_api_url(bad)


def _client(url: str, waits: list[Wait], slept: list[float], now: float = 1000.0) -> GitHubClient:
    policy = RetryPolicy(attempts=4, base_delay=0.5, sleep=slept.append, now=lambda: now)
    return GitHubClient(Secret(TOKEN), base_url=url, retry=policy, on_wait=waits.append)


def test_waits_follow_headers_and_backoff(fake_github) -> None:
    state = fake_github.state
    state.fail(
        "GET",
        "^/user$",
        403,
        "API rate limit exceeded for user ID 1.",
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1010"},
    )
    state.fail("GET", "^/user$", 502, "Server Error")
    state.fail("GET", "^/user$", 429, "Too Many Requests", {"Retry-After": "7"})
    waits: list[Wait] = []
    slept: list[float] = []
    client = _client(fake_github.url, waits, slept)
    assert client.call("read me", lambda: client.github.get_user().login) == "forge-admin"
    assert slept == [11.0, 1.0, 7.0]  # reset - now + 1; base * 2; Retry-After
    assert [w.reason for w in waits] == ["rate limit", "server error 502", "secondary rate limit"]
    assert [(w.attempt, w.attempts) for w in waits] == [(1, 4), (2, 4), (3, 4)]
    assert waits[0].action == "read me"


def test_server_errors_give_up(fake_github) -> None:
    fake_github.state.fail("GET", "^/user$", 503, "Unavailable", times=9)
    slept: list[float] = []
    client = _client(fake_github.url, [], slept)
    with pytest.raises(ApiError, match="github answered 503 4 times") as info:
        client.call("read me", lambda: client.github.get_user().login)
    assert info.value.status == 503
    assert slept == [0.5, 1.0, 2.0]


def test_translated_errors(fake_github) -> None:
    client = _client(fake_github.url, [], [])
    with pytest.raises(NotFound, match="cannot read nobody: not found"):
        client.call("read nobody", lambda: client.github.get_user("nobody").id)
    fake_github.state.fail("GET", "^/user$", 422, "Validation Failed")
    with pytest.raises(ApiError, match=r"github answered 422 \(Validation Failed\)"):
        client.call("read me", lambda: client.github.get_user().login)
    bad = GitHubClient(Secret("wrong"), base_url=fake_github.url)
    with pytest.raises(AuthError, match="401 Bad credentials"):
        bad.call("read me", lambda: bad.github.get_user().login)


def test_refused_connection_is_retried_then_reported() -> None:
    waits: list[Wait] = []
    slept: list[float] = []
    client = _client(unused_url(), waits, slept)
    with pytest.raises(NetworkError, match=r"connection refused\) after 4 attempts"):
        client.call("read me", lambda: client.github.get_user().login)
    assert slept == [0.5, 1.0, 2.0]
    assert {w.reason for w in waits} == {"connection refused"}


def test_server_back_during_the_wait_answers(tmp_path) -> None:
    url = unused_url()
    port = int(url.split(":")[2].split("/")[0])
    with ExitStack() as stack:

        def start_server(seconds: float) -> None:
            fake = stack.enter_context(running(tmp_path, port=port))
            fake.state.add_user("forge-admin", token=TOKEN)

        policy = RetryPolicy(attempts=3, base_delay=0.5, sleep=start_server)
        client = GitHubClient(Secret(TOKEN), base_url=url, retry=policy)
        assert client.call("read me", lambda: client.github.get_user().login) == "forge-admin"


@given(st.text(max_size=60))
def test_any_url_text_gives_a_url_or_a_smithy_error(text: str) -> None:
    try:
        result = normalize_api_url(text)
    except GitHubError:
        return
    assert result.startswith(("https://", "http://"))
