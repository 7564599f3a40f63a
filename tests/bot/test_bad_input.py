"""Refusals: bad migration files, a dirty tree, a detached HEAD. One line, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy import cli
from tests.bot.ecosystem import git

BRANCH = "rebuild-libffi35-0-1"
_DIRTY = (
    "uncommitted changes (an interrupted smithy run leaves its edits so); commit or stash them "
    "first"
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts[:1]
    }


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(argv) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err.strip()


def apply_argv(pinning: Path, feedstock: Path) -> list[str]:
    return [
        "migration",
        "apply",
        "libffi35",
        str(feedstock),
        "--pinning",
        str(pinning),
        "--no-cache",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "__migrator:\n  kind: version\nlibffi: ['3.5'\n",
            "libffi35.yaml:3:9: error: invalid YAML",  # where the unclosed list opens
        ),
        (
            "__migrator:\n  kind: version\n  frobnicate: true\nlibffi:\n  - '3.5'\n"
            "migrator_ts: 1724712607\n",
            ":3: error: unknown __migrator key 'frobnicate' (no tool reads it)",
        ),
        (
            "__migrator:\n  kind: version\nlibffi:\n  - '3.5'\n",
            "libffi35.yaml: error: no migrator_ts: a migration needs one",
        ),
    ],
    ids=["does-not-parse", "unknown-key", "no-timestamp"],
)
def test_bad_migration_file(ecosystem, capsys, text: str, message: str) -> None:
    pinning, folder = ecosystem
    (pinning / "migrations" / "libffi35.yaml").write_text(text)
    feedstock = folder / "a1-feedstock"
    before = snapshot(feedstock)
    for argv in (
        apply_argv(pinning, feedstock),
        ["migration", "next", "libffi35", str(folder), "--pinning", str(pinning), "--no-cache"],
    ):
        assert message in refused(argv, capsys)
    assert snapshot(feedstock) == before
    assert git(feedstock, "branch", "--list", BRANCH) == ""


def test_dirty_tree_is_refused(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    feedstock = folder / "a1-feedstock"
    recipe = feedstock / "recipe" / "meta.yaml"
    recipe.write_text(recipe.read_text() + "# work in progress\n")
    before = snapshot(feedstock)
    error = refused(apply_argv(pinning, feedstock), capsys)
    assert error == f"{feedstock}: error: {_DIRTY}"
    assert snapshot(feedstock) == before
    assert git(feedstock, "branch", "--list", BRANCH) == ""


def test_detached_head_is_refused(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    feedstock = folder / "leaf03-feedstock"
    git(feedstock, "checkout", "-q", "--detach")
    before = snapshot(feedstock)
    error = refused(apply_argv(pinning, feedstock), capsys)
    assert error.endswith("error: HEAD is detached; check out the branch to migrate")
    assert snapshot(feedstock) == before
    assert git(feedstock, "branch", "--list", BRANCH) == ""


def test_unknown_migration_and_feedstock_outside_the_graph(ecosystem, tmp_path, capsys) -> None:
    pinning, folder = ecosystem
    argv = ["migration", "next", "nope", str(folder), "--pinning", str(pinning), "--no-cache"]
    assert "migration 'nope' is not in the pinning" in refused(argv, capsys)
    stray = tmp_path / "stray-feedstock"
    stray.mkdir()
    argv = [*apply_argv(pinning, stray)[:-1], "--among", str(folder), "--no-cache"]
    assert "not among the feedstocks the migration is ordered over" in refused(argv, capsys)
