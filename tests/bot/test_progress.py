"""Done as the bot decides it: uid (timestamp and number), architecture migrations, --force."""

from __future__ import annotations

import json
from pathlib import Path

from smithy import cli
from tests.bot.ecosystem import MIGRATION, git

ARCH = """\
__migrator:
  kind: version
  migration_number: 1
  bump_number: 0
  override_cbc_keys:
    - libffi
  conda_forge_yml_patches:
    provider.linux_aarch64: default
  commit_message: Build for linux-aarch64
migrator_ts: 1730000000
"""


def state(pinning: Path, folder: Path, name: str, migration: str, capsys) -> dict:
    argv = ["migration", "status", migration, str(folder), "--pinning", str(pinning)]
    assert cli.main([*argv, "--no-cache", "--why", name, "-f", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_copy_from_an_earlier_run_is_not_done(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    copy = folder / "leaf04-feedstock" / ".ci_support" / "migrations" / "libffi35.yaml"
    copy.parent.mkdir()
    copy.write_text(MIGRATION)
    assert state(pinning, folder, "leaf04", "libffi35", capsys)["status"] == "done"
    copy.write_text(MIGRATION.replace("migration_number: 1", "migration_number: 2"))
    assert state(pinning, folder, "leaf04", "libffi35", capsys)["status"] == "ready"
    copy.write_text(MIGRATION.replace("1724712607", "1724712608"))
    assert state(pinning, folder, "leaf04", "libffi35", capsys)["status"] == "ready"


def test_architecture_migration_patches_and_reads_conda_forge_yml(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    (pinning / "migrations" / "aarch64.yaml").write_text(ARCH)
    feedstock = folder / "leaf05-feedstock"
    argv = ["migration", "apply", "aarch64", str(feedstock), "--pinning", str(pinning)]
    assert cli.main([*argv, "--no-cache", "-f", "json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["outcome"] == "applied" and result["build_number"] is None
    assert (
        "linux_aarch64_" in result["jobs_after"] and "linux_aarch64_" not in result["jobs_before"]
    )
    branch = "rebuild-aarch64-0-1"
    config = git(feedstock, "show", f"{branch}:conda-forge.yml")
    assert "provider:\n  linux_aarch64: default" in config
    assert state(pinning, folder, "leaf05", "aarch64", capsys)["status"] == "in-progress"
    git(feedstock, "merge", "-q", "--ff-only", branch)
    # Done from conda-forge.yml even without the migration file in .ci_support/migrations.
    git(feedstock, "rm", "-q", ".ci_support/migrations/aarch64.yaml")
    git(feedstock, "commit", "-q", "-m", "drop the copy")
    why = state(pinning, folder, "leaf05", "aarch64", capsys)
    assert why["status"] == "done"
    assert any("conda-forge.yml sets provider.linux_aarch64: yes" in r for r in why["reasons"])


def test_force_applies_past_pending_parents_and_says_so(ecosystem, capsys) -> None:
    pinning, folder = ecosystem
    argv = ["migration", "apply", "libffi35", str(folder / "a3-feedstock"), "--pinning"]
    assert cli.main([*argv, str(pinning), "--no-cache", "--force"]) == 0
    out = capsys.readouterr().out
    assert "a3-feedstock: applied: 3 job(s) change" in out and "[forced past a2]" in out
