"""A GitHub server answering nonsense: one line, exit 3, never an internal error or the token."""

# ruff: noqa: F811  (fixtures imported from tests/github/fixtures.py are parameters by name)

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.cli import main
from smithy.errors import ExitCode
from tests.github.fixtures import (  # noqa: F401  (fixtures are found by name)
    TOKEN,
    fake_github,
    feedstock,
    github_env,
    sleeps,
)

pytestmark = pytest.mark.usefixtures("sleeps")
RULESETS = r"^/repos/conda-forge/tinypkg-feedstock/rulesets$"


def _run(url: str, feedstock: Path, *extra: str) -> int:
    return main(["register-github", str(feedstock), "--github-url", url, *extra])


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    assert TOKEN not in captured.err + captured.out
    return captured.err.strip().splitlines()[-1]


def test_object_where_a_list_is_expected(fake_github, feedstock, github_env, capsys) -> None:
    fake_github.state.answer("GET", RULESETS, 200, {"rulesets": "not a list"})
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    line = _error_line(capsys)
    assert "answer smithy cannot use" in line


def test_redirect_to_another_host(fake_github, feedstock, github_env, capsys) -> None:
    elsewhere = "http://elsewhere.invalid/api/v3/orgs/conda-forge"
    fake_github.state.answer("GET", r"^/orgs/conda-forge$", 301, None, {"Location": elsewhere})
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    line = _error_line(capsys)
    assert "elsewhere.invalid" in line and "redirect" in line


def test_reply_echoing_the_token_is_masked(fake_github, feedstock, github_env, capsys) -> None:
    fake_github.state.fail("POST", r"^/orgs/conda-forge/repos$", 422, f"name {TOKEN} is taken")
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    assert "name *** is taken" in _error_line(capsys)


def test_reply_with_something_like_a_token_is_masked(
    fake_github, feedstock, github_env, capsys
) -> None:
    other = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    fake_github.state.fail("POST", r"^/orgs/conda-forge/repos$", 422, f"login {other} unknown")
    assert _run(fake_github.url, feedstock) == ExitCode.INPUT
    line = _error_line(capsys)
    assert other not in line and "login ghp_*** unknown" in line


def test_token_in_the_url_is_never_printed(feedstock, github_env, capsys) -> None:
    url = f"http://someone:{TOKEN}@127.0.0.1:9/api/v3"
    assert _run(url, feedstock) == ExitCode.INPUT
    captured = capsys.readouterr()
    assert TOKEN not in captured.err + captured.out
    assert "someone" not in captured.err
