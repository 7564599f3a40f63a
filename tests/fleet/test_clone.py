"""``fleet clone`` against the fake GitHub server and its bare git repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from smithy.cli import main
from tests.github.fake_github import FakeGitHub
from tests.github.fixtures import ORG

RECIPE = "package:\n  name: {name}\n  version: 1.0\n"


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def org(fake_github: FakeGitHub, git_identity: None) -> FakeGitHub:
    state = fake_github.state
    for name in ("alpha", "beta", "gamma"):
        repo = state.add_repo(
            ORG, f"{name}-feedstock", {"recipe/meta.yaml": RECIPE.format(name=name)}
        )
        repo.write("README.md", b"second commit\n", "add readme")
    state.add_repo(ORG, "not-a-feedstock-repo", {"README.md": "x\n"})
    return fake_github


@pytest.mark.usefixtures("github_env")
def test_clone_lists_feedstocks_and_clones_shallow(
    org: FakeGitHub,
    tmp_path: Path,
    github_env: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    into = tmp_path / "clones"
    code = main(["fleet", "clone", ORG, "--into", str(into), "--github-url", org.url,
                 "--match", "[ab]*"])  # fmt: skip
    assert code == 0, capsys.readouterr()
    assert sorted(p.name for p in into.iterdir()) == ["alpha-feedstock", "beta-feedstock"]
    alpha = into / "alpha-feedstock"
    assert (alpha / "recipe" / "meta.yaml").read_text() == RECIPE.format(name="alpha")
    assert _git(alpha, "rev-parse", "--is-shallow-repository") == "true"
    assert _git(alpha, "rev-list", "--count", "HEAD") == "1"
    assert "cloned alpha-feedstock" in capsys.readouterr().out


@pytest.mark.usefixtures("github_env")
def test_update_fetches_only_what_changed(
    org: FakeGitHub,
    tmp_path: Path,
    github_env: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    into = tmp_path / "clones"
    args = ["fleet", "clone", ORG, "--into", str(into), "--github-url", org.url]
    assert main(args) == 0
    org.state.repos[f"{ORG}/alpha-feedstock".lower()].write(
        "recipe/build.sh", b"make\n", "add build"
    )
    capsys.readouterr()
    assert main([*args, "--update"]) == 0
    out = capsys.readouterr().out
    assert "updated alpha-feedstock" in out and "unchanged beta-feedstock" in out
    alpha = into / "alpha-feedstock"
    assert (alpha / "recipe" / "build.sh").read_text() == "make\n"
    assert _git(alpha, "rev-list", "--count", "HEAD") == "2"  # the new commit, nothing older
    assert main(args) == 0
    assert "present gamma-feedstock" in capsys.readouterr().out


@pytest.mark.usefixtures("github_env")
def test_unknown_owner_is_one_line(
    org: FakeGitHub,
    tmp_path: Path,
    github_env: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["fleet", "clone", "nobody", "--into", str(tmp_path), "--github-url", org.url])
    err = capsys.readouterr().err
    assert code == 3 and "nobody" in err and len(err.strip().splitlines()) == 1
