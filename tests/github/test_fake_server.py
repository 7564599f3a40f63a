"""The fake GitHub answers like GitHub where smithy depends on it (raw HTTP, no PyGithub)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from tests.github.fixtures import TOKEN


def _get(url: str, token: str | None = TOKEN) -> tuple[int, dict, object]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read() or b"null")


def test_errors_and_headers_look_like_github(fake_github) -> None:
    status, headers, body = _get(f"{fake_github.url}/user", token="bad")
    assert (status, body["message"]) == (401, "Bad credentials")
    assert body["documentation_url"].startswith("https://docs.github.com/")
    status, headers, body = _get(f"{fake_github.url}/user")
    assert status == 200 and body["login"] == "forge-admin"
    assert headers["X-RateLimit-Limit"] == "5000" and int(headers["X-RateLimit-Remaining"]) < 5000
    assert _get(f"{fake_github.url}/repos/conda-forge/none")[0] == 404
    assert _get(f"{fake_github.url}/users/alice", token=None)[0] == 200
    assert _get(f"{fake_github.url}/user", token=None)[2]["message"] == "Requires authentication"


def test_contents_and_commits_follow_git(fake_github) -> None:
    state = fake_github.state
    state.add_repo("conda-forge", "empty")
    full = state.add_repo("conda-forge", "full", files={"a/b.txt": "hi\n", "README": "r\n"})
    base = f"{fake_github.url}/repos/conda-forge"
    assert _get(f"{base}/empty/contents/")[2]["message"] == "This repository is empty."
    assert _get(f"{base}/empty/commits/abc")[0] == 409
    status, _, listing = _get(f"{base}/full/contents/")
    assert status == 200 and [(e["name"], e["type"]) for e in listing] == [
        ("README", "file"),
        ("a", "dir"),
    ]
    assert _get(f"{base}/full/contents/a/b.txt")[2]["content"] == "aGkK"
    assert _get(f"{base}/full/commits/{full.head()}")[0] == 200
    assert _get(f"{base}/full/commits/{'0' * 40}")[0] == 422
