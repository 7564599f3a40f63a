"""``smithy lint --conda-forge --online``: fake GitHub, loopback hints, the token never shown."""

from __future__ import annotations

import json

import pytest

from smithy.cli import main
from smithy.lint import online
from tests.github.fixtures import TOKEN, fake_github, github_env  # noqa: F401  (fixtures)
from tests.lint.helpers import PINNING, write_feedstock
from tests.lint.hints_server import hints_server  # noqa: F401  (fixture)
from tests.lint.recipes import V0, edit, line_of

RECIPE = edit(
    edit(V0, "    - someone\n", "    - alice\n    - ghost\n"),
    "    - zlib >=1.3\n",
    "    - zlib >=1.3\n    - matplotlib\n",
)


@pytest.fixture(autouse=True)
def instant_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(online, "SLEEP", lambda seconds: None)


def _lint(fake, hints, root, *args: str) -> int:
    return main(
        [
            "lint",
            "--pinning",
            PINNING,
            "--conda-forge",
            "--online",
            "--github-url",
            fake.url,
            "--pinning-url",
            hints.pinning_url,
            *args,
            str(root),
        ]
    )


def test_online_findings_in_json(tmp_path, capsys, fake_github, hints_server, github_env) -> None:  # noqa: F811
    root = write_feedstock(tmp_path / "feed", RECIPE)
    assert _lint(fake_github, hints_server, root, "--select", "SMY91", "-f", "json") == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["compat_id"], f["line"]) for f in found] == [
        ("SMY911", "CF-002", line_of(RECIPE, "matplotlib")),
        ("SMY910", "CF-001", line_of(RECIPE, "ghost")),
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_token_never_printed(tmp_path, capsys, fake_github, hints_server, github_env, fmt) -> None:  # noqa: F811
    # GitHub echoing the token back in an error must not leak it into any report.
    fake_github.state.fail("GET", "^/users/", 403, f"token {TOKEN} is blocked", times=9)
    root = write_feedstock(tmp_path / "feed", RECIPE)
    assert _lint(fake_github, hints_server, root, "--select", "SMY912", "-f", fmt) == 1
    captured = capsys.readouterr()
    assert TOKEN not in captured.out + captured.err
    assert "***" in captured.out
    assert "SMY912" in captured.out


def test_without_online_nothing_is_asked(tmp_path, capsys, fake_github, hints_server) -> None:  # noqa: F811
    root = write_feedstock(tmp_path / "feed", RECIPE)
    args = ["lint", "--pinning", PINNING, "--conda-forge", "--select", "SMY91", str(root)]
    assert main([*args, "--github-url", fake_github.url]) == 0
    assert fake_github.state.requests == [] and hints_server.requests == []


@pytest.mark.parametrize(
    ("option", "value"),
    [("--github-url", "http://example.com/api/v3"), ("--pinning-url", "ftp://example.com")],
)
def test_unusable_urls_are_usage_errors(tmp_path, capsys, option, value) -> None:
    root = write_feedstock(tmp_path / "feed", RECIPE)
    assert main(["lint", "--conda-forge", "--online", option, value, str(root)]) == 2
    assert option in capsys.readouterr().err
