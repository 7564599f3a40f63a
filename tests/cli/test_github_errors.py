"""``smithy register-github`` failures: one line, exit code 3, what was done; never the token."""

# ruff: noqa: F811  (fixtures imported from tests/github/fixtures.py are parameters by name)

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from smithy.cli import main
from smithy.errors import ExitCode
from tests.github.fake_github import FakeGitHub, unused_url
from tests.github.fake_state import git
from tests.github.fixtures import (  # noqa: F401  (fixtures are found by name)
    TOKEN,
    fake_github,
    feedstock,
    github_env,
    sleeps,
)

pytestmark = pytest.mark.usefixtures("sleeps")
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
CREATE = r"^/orgs/conda-forge/repos$"


def _run(url: str, feedstock: Path, *extra: str) -> int:
    return main(["register-github", str(feedstock), "--github-url", url, *extra])


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_no_token(fake_github, feedstock, github_env, capsys) -> None:
    github_env(None)
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    assert "no GitHub token: set GITHUB_TOKEN or GH_TOKEN" in _one_error_line(capsys)
    assert fake_github.state.requests == []


def test_token_from_conda_smithy_file(fake_github, feedstock, github_env, capsys) -> None:
    github_env(None)
    stored = Path.home() / ".conda-smithy" / "github.token"
    stored.parent.mkdir()
    stored.write_text(TOKEN + "\n")
    stored.chmod(0o600)
    assert _run(fake_github.url, feedstock) == ExitCode.OK
    assert "conda-forge/tinypkg-feedstock" in fake_github.state.repos
    assert TOKEN not in capsys.readouterr().out


def test_gh_token_is_a_fallback(fake_github, feedstock, github_env, monkeypatch) -> None:
    github_env(None)
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    assert _run(fake_github.url, feedstock) == 0


def test_token_file_must_be_private(fake_github, feedstock, github_env, tmp_path, capsys) -> None:
    github_env(None)
    token_file = tmp_path / "github.token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o644)
    assert _run(fake_github.url, feedstock, "--token-file", str(token_file)) == ExitCode.INPUT
    line = _one_error_line(capsys)
    assert "token file is readable by others (mode 644); run 'chmod 600" in line
    token_file.chmod(0o600)
    assert _run(fake_github.url, feedstock, "--token-file", str(token_file)) == 0


def test_bad_token(fake_github, feedstock, github_env, capsys) -> None:
    github_env("ghp_wrong")
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    line = _one_error_line(capsys)
    assert "rejected the token (401 Bad credentials)" in line
    assert line.endswith("nothing was changed")


def test_missing_org_permission(fake_github, feedstock, github_env, capsys) -> None:
    fake_github.state.tokens["ghp_alice"] = "alice"  # a member, not an owner
    github_env("ghp_alice")
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    line = _one_error_line(capsys)
    assert "permission denied: cannot create repository conda-forge/tinypkg-feedstock (403" in line
    assert not fake_github.state.repos


def test_unknown_org(fake_github, feedstock, github_env, capsys) -> None:
    assert _run(fake_github.url, feedstock, "-o", "nowhere") == ExitCode.INPUT
    assert "organisation 'nowhere' not found" in _one_error_line(capsys)


def test_secondary_rate_limit_waits_and_retries(
    fake_github, feedstock, github_env, sleeps, capsys
) -> None:
    fake_github.state.fail("POST", CREATE, 403, SECONDARY, {"Retry-After": "3"}, times=2)
    assert _run(fake_github.url, feedstock) == 0
    captured = capsys.readouterr()
    assert sleeps == [3.0, 3.0]
    waits = captured.err.strip().splitlines()
    assert waits[0] == (
        "github secondary rate limit: waiting 3s before attempt 2 of 5 "
        "(create repository conda-forge/tinypkg-feedstock)"
    )
    assert len(waits) == 2
    assert "created   repository" in captured.out


def test_429_backs_off_exponentially(fake_github, feedstock, github_env, sleeps) -> None:
    fake_github.state.fail("GET", r"^/orgs/conda-forge$", 429, "Too Many Requests", times=3)
    assert _run(fake_github.url, feedstock) == 0
    assert sleeps == [2.0, 4.0, 8.0]


def test_primary_rate_limit_resetting_late_is_an_error(
    fake_github, feedstock, github_env, sleeps, capsys
) -> None:
    reset = str(int(time.time()) + 3600)
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    fake_github.state.fail(
        "*", ".", 403, "API rate limit exceeded for user ID 1.", headers, times=1
    )
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    assert "rate limit exceeded and resets in about 60 min; try again later" in _one_error_line(
        capsys
    )
    assert sleeps == []


def test_rate_limit_that_never_lifts(fake_github, feedstock, github_env, sleeps, capsys) -> None:
    fake_github.state.fail("POST", CREATE, 403, SECONDARY, {"Retry-After": "1"}, times=99)
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(sleeps) == 4 and len(err) == 5  # four waits shown, then the error
    assert "still exceeded after 5 attempts" in err[-1]
    assert err[-1].endswith("nothing was changed")


def test_name_taken_by_non_empty_repo(fake_github, feedstock, github_env, capsys) -> None:
    fake_github.state.add_repo(
        "conda-forge", "tinypkg-feedstock", files={"README.md": "someone else\n"}
    )
    assert _run(fake_github.url, feedstock, "--push") == ExitCode.INPUT
    line = _one_error_line(capsys)
    assert "repository conda-forge/tinypkg-feedstock already exists and holds other content" in line
    assert line.endswith("nothing was changed")
    assert git(["remote"], feedstock) == ""


def test_server_down(feedstock, github_env, sleeps, capsys) -> None:
    assert _run(unused_url(), feedstock) == ExitCode.INPUT
    captured = capsys.readouterr()
    *waits, error = captured.err.strip().splitlines()
    assert sleeps == [2.0, 4.0, 8.0, 16.0]  # shown as progress, one line per wait
    assert [w.split(":")[0] for w in waits] == ["github connection refused"] * 4
    assert "cannot reach 127.0.0.1:" in error and "after 5 attempts; nothing was changed" in error
    assert "Traceback" not in captured.err


def test_failure_midway_reports_what_was_done(fake_github, feedstock, github_env, capsys) -> None:
    fake_github.state.fail("POST", "/rulesets$", 403, "Must have admin rights to Repository.")
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    captured = capsys.readouterr()
    assert "created   repository conda-forge/tinypkg-feedstock" in captured.out
    line = captured.err.strip()
    assert "permission denied: cannot create a ruleset on conda-forge/tinypkg-feedstock" in line
    assert line.endswith("already done: repository conda-forge/tinypkg-feedstock: created")


def test_remote_pointing_elsewhere(fake_github, feedstock, github_env, capsys) -> None:
    git(["remote", "add", "upstream", "git@example.invalid:x/y.git"], feedstock)
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    line = _one_error_line(capsys)
    assert "remote 'upstream' already points to git@example.invalid:x/y.git" in line
    assert "already done: repository conda-forge/tinypkg-feedstock: created" in line


def test_not_a_git_repository(fake_github, tmp_path, github_env, capsys) -> None:
    (tmp_path / "recipe").mkdir()
    (tmp_path / "recipe" / "meta.yaml").write_text("package:\n  name: x\n  version: 1\n")
    assert _run(fake_github.url, tmp_path) == ExitCode.INPUT
    assert "not the top of a git repository" in _one_error_line(capsys)
    assert fake_github.state.requests == []


def test_plain_http_to_remote_host_is_refused(feedstock, github_env, capsys) -> None:
    assert _run("http://ghe.example.com", feedstock) == ExitCode.INPUT
    assert "refusing to send a token over plain http to ghe.example.com" in _one_error_line(capsys)


def test_user_and_organization_conflict(fake_github, feedstock, github_env) -> None:
    assert _run(fake_github.url, feedstock, "--user", "-o", "x") == ExitCode.USAGE


def _scenarios(fake: FakeGitHub, feedstock: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Yield a label after arranging each failure (and the success) in turn."""
    yield "success", ["--add-teams", "--push"]
    yield "rerun", ["--add-teams", "--push"]
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN + "x")  # the real token inside a wrong one
    yield "401", []
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    fake.state.fail("GET", ".", 403, SECONDARY, {"Retry-After": "1"}, times=1)
    yield "rate-limit", []
    fake.state.fail("GET", ".", 403, "Resource not accessible by integration", times=1)
    yield "403", []
    fake.state.fail("GET", ".", 422, f"Validation Failed for {TOKEN}", times=1)
    yield "422 echoing the token", []
    token_file = tmp_path / "wide.token"
    token_file.write_text(TOKEN)
    token_file.chmod(0o664)
    yield "wide token file", ["--token-file", str(token_file)]
    yield "server down", ["--github-url", unused_url()]

    def explode(ctx):
        raise RuntimeError(f"unexpected failure with {TOKEN} inside")

    monkeypatch.setattr("smithy.github.register.ensure_branch_protection", explode)
    yield "internal error", []


def test_token_never_printed(
    fake_github, feedstock, github_env, tmp_path, monkeypatch, capsys
) -> None:
    codes = {}
    for label, extra in _scenarios(fake_github, feedstock, tmp_path, monkeypatch):
        args = [
            "--debug",
            "register-github",
            str(feedstock),
            "--github-url",
            fake_github.url,
            *extra,
        ]
        codes[label] = main(args)
        captured = capsys.readouterr()
        output = captured.out + captured.err
        assert TOKEN not in output, label
        assert TOKEN[4:20] not in output, label
    assert codes["success"] == codes["rerun"] == codes["rate-limit"] == 0
    assert codes["401"] == codes["403"] == codes["server down"] == ExitCode.INPUT
    assert codes["internal error"] == ExitCode.INTERNAL
    assert os.environ["GITHUB_TOKEN"] == TOKEN


def test_internal_error_shows_scrubbed_traceback(
    fake_github, feedstock, github_env, monkeypatch, capsys
) -> None:
    def explode(ctx):
        raise RuntimeError(f"token {TOKEN} leaked into a message")

    monkeypatch.setattr("smithy.github.register.ensure_branch_protection", explode)
    code = main(["--debug", "register-github", str(feedstock), "--github-url", fake_github.url])
    captured = capsys.readouterr()
    assert code == ExitCode.INTERNAL
    assert "Traceback" in captured.err
    assert "token *** leaked into a message" in captured.err
    assert TOKEN not in captured.out + captured.err
    assert "created   repository" in captured.out  # what was done is still on record
