"""``migration close`` writes the folded pinning and deletes the migration file together."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from smithy.atomic import journal
from smithy.bot.close import ClosePlan, write_close
from smithy.errors import SmithyError

OLD = "python:\n  - 3.11\n"
NEW = "python:\n  - 3.12\n"


def _plan(root: Path) -> ClosePlan:
    cbc = root / "conda_build_config.yaml"
    cbc.write_text(OLD, encoding="utf-8")
    cbc.chmod(0o640)
    (root / "migrations").mkdir()
    migration = root / "migrations" / "python312.yaml"
    migration.write_text("migrator_ts: 1\n", encoding="utf-8")
    return ClosePlan(cbc, OLD, NEW, migration, ("python",), ())


def test_close_writes_both_and_keeps_the_folders(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    write_close(plan)
    assert plan.cbc.read_text(encoding="utf-8") == NEW
    assert stat.S_IMODE(plan.cbc.stat().st_mode) == 0o640
    assert not plan.migration_file.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conda_build_config.yaml", "migrations"]


def test_a_failed_close_changes_nothing(
    tmp_path: Path, disk_full_on: Callable[[str], None]
) -> None:
    plan = _plan(tmp_path)
    disk_full_on("conda_build_config.yaml")
    with pytest.raises(SmithyError, match=r"cannot write the closed migration .*nothing was"):
        write_close(plan)
    assert plan.cbc.read_text(encoding="utf-8") == OLD
    assert plan.migration_file.read_text(encoding="utf-8") == "migrator_ts: 1\n"
    assert not (tmp_path / journal.WORK_AREA).exists()
