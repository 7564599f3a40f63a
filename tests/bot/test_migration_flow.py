"""``smithy migration next|apply|status|close`` over a generated ecosystem in git repos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy import cli
from tests.bot.ecosystem import MIGRATION, PINNING_CBC, git

BRANCH = "rebuild-libffi35-0-1"
WAVE_ONE = {"a1", "c1", "c2", "pinned", *(f"leaf{i:02d}" for i in range(20))}


def cache(folder: Path) -> list[str]:
    """The graph's parse cache, kept beside the feedstocks (re-parsing is the slow part)."""
    return ["--cache-dir", str(folder.parent / "graph-cache")]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def next_json(pinning: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    argv = ["migration", "next", "libffi35", str(folder), "--pinning", str(pinning)]
    code, out, _ = run([*argv, *cache(folder), "--format", "json"], capsys)
    assert code == 0
    return json.loads(out)


def apply(pinning: Path, folder: Path, names: list[str], capsys, *extra: str) -> list[dict]:
    paths = [str(folder / f"{name}-feedstock") for name in names]
    argv = ["migration", "apply", "libffi35", *paths, "--pinning", str(pinning), *cache(folder)]
    code, out, err = run([*argv, "--format", "json", *extra], capsys)
    assert code in (0, 1), err
    return json.loads(out)


def merge(folder: Path, name: str) -> None:
    git(folder / f"{name}-feedstock", "merge", "-q", "--ff-only", BRANCH)


def test_waves_apply_status_and_close(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    first = next_json(pinning, folder, capsys)
    assert set(first["eligible"]) == WAVE_ONE
    assert first["waiting"] == {"a2": ["a1"], "a3": ["a2"]}
    assert first["done"] == []
    assert first["waves"][1:] == [["a2"], ["a3"]]

    # a2 is held back by a1 (exit 1, nothing written); --force would override.
    (held,) = apply(pinning, folder, ["a2"], capsys)
    assert held["outcome"] == "waiting" and held["pending_parents"] == ["a1"]
    assert git(folder / "a2-feedstock", "branch", "--list", BRANCH) == ""

    results = apply(pinning, folder, sorted(WAVE_ONE), capsys)
    outcomes = {Path(r["feedstock"]).name[: -len("-feedstock")]: r for r in results}
    assert outcomes["pinned"]["outcome"] == "untouched"
    assert git(folder / "pinned-feedstock", "branch", "--list", BRANCH) == ""
    applied = {name for name, r in outcomes.items() if r["outcome"] == "applied"}
    assert applied == WAVE_ONE - {"pinned"}

    # Bot layout on the branch; main untouched until merged.
    a1 = folder / "a1-feedstock"
    assert git(a1, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    files = git(a1, "show", "--name-only", "--format=", BRANCH).splitlines()
    assert ".ci_support/migrations/libffi35.yaml" in files and "recipe/meta.yaml" in files
    assert git(a1, "show", f"{BRANCH}:.ci_support/migrations/libffi35.yaml") + "\n" == MIGRATION
    assert "libffi:\n- '3.5'" in git(a1, "show", f"{BRANCH}:.ci_support/linux_64_.yaml")
    meta = git(a1, "show", f"{BRANCH}:recipe/meta.yaml")
    assert "{% set build_number = 3 %}  {# bumped by migrations #}" in meta
    assert git(a1, "log", "-1", "--format=%s", BRANCH) == "Rebuild for libffi 3.5"
    body = Path(outcomes["a1"]["pr_body"]).read_text()
    assert "| `linux_64_` | changed |" in body and "- a2" in body
    assert "> libffi 3.5 changed its ABI." in body
    leaf = git(folder / "leaf00-feedstock", "show", f"{BRANCH}:recipe/recipe.yaml")
    assert "  number: 1  # first build\n" in leaf + "\n"

    # Branches open: in progress, and children still wait.
    code, out, _ = run(
        ["migration", "status", "libffi35", str(folder), "--pinning", str(pinning), "--no-cache"],
        capsys,
    )
    assert code == 0
    assert "a1         in-progress" in out and "a2         awaiting-parents  a1" in out

    for name in applied:
        merge(folder, name)
    second = next_json(pinning, folder, capsys)
    assert second["eligible"] == ["pinned", "a2"]  # build order: wave 1, then 2
    assert second["waiting"] == {"a3": ["a2"]}
    assert set(second["done"]) == applied

    (a2,) = apply(pinning, folder, ["a2"], capsys)
    assert a2["outcome"] == "applied" and a2["build_number"] == [7, 8]
    recipe = git(folder / "a2-feedstock", "show", f"{BRANCH}:recipe/recipe.yaml")
    assert "  build_number: 8  # the one to bump" in recipe
    merge(folder, "a2")
    assert next_json(pinning, folder, capsys)["eligible"] == ["pinned", "a3"]

    # Close refuses while a3 and pinned are not done, naming them; nothing changes.
    close = [
        "migration",
        "close",
        "libffi35",
        str(folder),
        "--pinning",
        str(pinning),
        *cache(folder),
    ]
    code, _, err = run(close, capsys)
    assert code == 3 and "2 feedstock(s) not done: pinned, a3" in err
    assert (pinning / "migrations" / "libffi35.yaml").exists()

    (a3,) = apply(pinning, folder, ["a3"], capsys)
    assert a3["build_number"] == [5, 6]
    merge(folder, "a3")
    git(folder / "pinned-feedstock", "checkout", "-q", "-b", "by-hand")  # done by hand
    (folder / "pinned-feedstock" / ".ci_support" / "migrations").mkdir()
    (folder / "pinned-feedstock" / ".ci_support" / "migrations" / "libffi35.yaml").write_text(
        MIGRATION
    )
    code, out, _ = run(close, capsys)
    assert code == 0, out
    assert (pinning / "conda_build_config.yaml").read_text() == PINNING_CBC.replace(
        "libffi:\n  - '3.4'   # current ABI\n", "libffi:\n  - '3.5'\n"
    )
    assert not (pinning / "migrations" / "libffi35.yaml").exists()


def test_why_names_blocking_parent_and_rule(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    argv = ["migration", "status", "libffi35", str(folder), "--pinning", str(pinning)]
    code, out, _ = run([*argv, "--no-cache", "--why", "a3"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "a3: awaiting-parents"
    assert "  - waits for a2 (not done)" in out
    assert "migrator_ts 1724712607 and migration_number 1: no" in out
    code, out, _ = run([*argv, "--no-cache", "--why", "tool"], capsys)
    assert "not a member of libffi35: does not use the migrated packages" in out
    code, _, err = run([*argv, "--no-cache", "--why", "nope"], capsys)
    assert code == 3 and "no feedstock 'nope'" in err


def test_dry_run_prints_diff_and_changes_nothing(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    feedstock = folder / "leaf01-feedstock"
    before = git(feedstock, "status", "--porcelain")
    argv = ["migration", "apply", "libffi35", str(feedstock), "--pinning", str(pinning)]
    code, out, _ = run([*argv, "--no-cache", "--dry-run"], capsys)
    assert code == 0
    assert "+++ b/.ci_support/migrations/libffi35.yaml" in out
    assert "-  number: 5  # keep this comment\n+  number: 6  # keep this comment" in out
    assert out.rstrip().endswith("planned: 3 job(s) change, 6 file(s)")
    assert git(feedstock, "status", "--porcelain") == before
    assert git(feedstock, "branch", "--list", BRANCH) == ""


def test_symlinks_in_the_feedstock_are_compared_as_links_never_read_through(
    ecosystem, capsys
) -> None:
    pinning, folder = ecosystem
    feedstock = folder / "leaf01-feedstock"
    (feedstock / "recipe" / "zeros.bin").symlink_to("/dev/zero")  # endless when read
    (feedstock / "recipe" / "loop-a").symlink_to("loop-b")
    (feedstock / "recipe" / "loop-b").symlink_to("loop-a")
    (feedstock / "recipe" / "outside.txt").symlink_to("/etc/hostname")
    git(feedstock, "add", "-A")
    git(feedstock, "commit", "-qm", "links")
    argv = ["migration", "apply", "libffi35", str(feedstock), "--pinning", str(pinning)]
    code, out, _ = run([*argv, "--no-cache", "--dry-run"], capsys)
    assert code == 0
    assert out.rstrip().endswith("planned: 3 job(s) change, 6 file(s)")
    assert "zeros.bin" not in out and "loop-a" not in out and "outside.txt" not in out


def test_next_and_status_output_is_byte_identical_across_hash_seeds(ecosystem, tmp_path) -> None:
    import os
    import subprocess
    import sys

    pinning, folder = ecosystem
    outputs = set()
    for seed, cwd in (("1", tmp_path), ("2", folder)):
        for command in ("next", "status"):
            argv = [sys.executable, "-m", "smithy", "migration", command, "libffi35", str(folder)]
            argv += ["--pinning", str(pinning), *cache(folder), "--format", "json"]
            env = {**os.environ, "PYTHONHASHSEED": seed}
            done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=True)
            outputs.add((command, done.stdout))
    assert len(outputs) == 2
