"""``smithy init`` then ``smithy register-github --add-teams --push``: the whole path to GitHub."""

# ruff: noqa: F811  (fixtures imported from tests/github/fixtures.py are parameters by name)

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy.cli import main
from smithy.errors import ExitCode
from tests.github.fake_state import git
from tests.github.fixtures import (  # noqa: F401  (fixtures are found by name)
    TOKEN,
    fake_github,
    github_env,
    sleeps,
)

RECIPE = Path(__file__).resolve().parents[1] / "data" / "rerender_files" / "recipe_v0"
FULL = "conda-forge/tiny-feedstock"  # the recipe sets extra.feedstock-name: tiny

pytestmark = pytest.mark.usefixtures("github_env", "sleeps", "git_identity", "embedded_pinning")


def _tree(git_dir: Path, ref: str) -> set[str]:
    return set(git(["ls-tree", "-r", "--name-only", ref], git_dir).splitlines())


def test_init_then_register_then_rerun(fake_github, tmp_path, capsys) -> None:
    stock = tmp_path / "tiny-feedstock"
    assert main(["init", str(RECIPE), "--feedstock-dir", str(stock)]) == ExitCode.OK
    head = git(["rev-parse", "HEAD"], stock)
    local_files = _tree(stock, "HEAD")
    assert {"recipe/meta.yaml", "conda-forge.yml", ".github/workflows/conda-build.yml"} <= (
        local_files
    )
    assert any(name.startswith(".ci_support/linux_64") for name in local_files)

    args = ["register-github", str(stock), "--github-url", fake_github.url]
    assert main([*args, "--add-teams", "--push"]) == ExitCode.OK
    first = capsys.readouterr()

    state = fake_github.state
    repo = state.repo(FULL)
    (ruleset,) = repo.rulesets.values()
    assert ruleset["enforcement"] == "active"
    assert {r["type"] for r in ruleset["rules"]} == {"deletion", "non_fast_forward"}
    # The bare remote holds the commit init made, then the maintainer ids committed on GitHub.
    assert git(["rev-parse", "main~1"], repo.git_dir) == head
    assert _tree(repo.git_dir, "main") == local_files | {".recipe_maintainers.json"}
    assert git(["remote", "get-url", "upstream"], stock) == str(repo.git_dir)
    team = state.team("conda-forge", "tiny")
    assert team.members == {"alice": "active", "bob": "pending"}  # bob is not an org member
    assert team.repos == {FULL.lower(): "push"}
    ids = {"alice": state.accounts["alice"].id, "bob": state.accounts["bob"].id}
    assert json.loads(repo.read(".recipe_maintainers.json")) == ids
    assert TOKEN not in first.out + first.err

    writes = len(state.writes())
    assert main([*args, "--add-teams", "--push"]) == ExitCode.OK
    second = capsys.readouterr()
    assert len(state.writes()) == writes
    assert f"{FULL} is already registered: nothing changed" in second.out


def test_big_team_is_synced_across_pages(fake_github, tmp_path, capsys) -> None:
    """GitHub lists 30 members a page: a maintainer dropped from a team of 40 must still go."""
    state = fake_github.state
    people = [f"maint{i:02d}" for i in range(40)]
    for login in people:
        state.add_user(login)
        state.accounts["conda-forge"].members[login] = "member"
    text = (RECIPE / "meta.yaml").read_text(encoding="utf-8")
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "meta.yaml").write_text(
        text.replace("    - alice\n    - bob\n", "".join(f"    - {p}\n" for p in people)),
        encoding="utf-8",
    )
    stock = tmp_path / "tiny-feedstock"
    assert main(["init", str(recipe), "--feedstock-dir", str(stock), "--no-rerender"]) == 0
    args = ["register-github", str(stock), "--github-url", fake_github.url, "--add-teams"]
    assert main(args) == ExitCode.OK
    team = state.team("conda-forge", "tiny")
    assert len(team.members) == 40

    meta = stock / "recipe" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("    - maint39\n", ""))
    git(["commit", "-q", "-am", "drop maint39"], stock)
    capsys.readouterr()
    assert main(args) == ExitCode.OK
    assert "removed   team-member maint39" in capsys.readouterr().out
    assert "maint39" not in team.members and len(team.members) == 39
