"""``smithy.api.lint``: the Python entry point to the linter."""

from __future__ import annotations

import pytest

from smithy import api
from smithy.errors import SmithyError
from tests.github.fixtures import TOKEN, fake_github  # noqa: F401  (fixture)
from tests.lint.helpers import PINNING, write_feedstock
from tests.lint.recipes import V0, edit, line_of

NO_HASH = edit(V0, "  sha256: " + "1" * 64 + "\n", "")
GHOST = edit(V0, "    - someone\n", "    - ghost\n")


def test_lint_returns_sorted_findings(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", NO_HASH)
    result = api.lint([root], pinning=PINNING)
    assert [(f.code, f.line) for f in result.findings] == [("SMY501", line_of(NO_HASH, "url:"))]
    assert result.failed() and result.recipes == (str(root),)
    assert api.lint([root], pinning=PINNING, ignore=["missing-source-hash"]).findings == ()


def test_lint_refuses_unknown_rule_words(tmp_path) -> None:
    with pytest.raises(SmithyError, match="matches no rule"):
        api.lint([tmp_path], select=["SMX1"])


def test_lint_online_uses_the_given_environment(tmp_path, fake_github) -> None:  # noqa: F811
    root = write_feedstock(tmp_path / "feed", GHOST)
    kwargs = {"select": ["SMY910"], "conda_forge": True, "pinning": PINNING}
    assert api.lint([root], github_url=fake_github.url, **kwargs).findings == ()
    result = api.lint(
        [root],
        online=True,
        github_url=fake_github.url,
        environ={"GITHUB_TOKEN": TOKEN},
        **kwargs,
    )
    assert [f.message for f in result.findings] == ["maintainer 'ghost' is not a GitHub user"]
    assert ("GET", "/api/v3/users/ghost") in fake_github.state.requests
