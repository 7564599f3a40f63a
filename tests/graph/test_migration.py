"""Migration files: scaffold, lint, and status over generated feedstocks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from smithy.errors import SmithyError
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.migration.new import new_migration
from smithy.graph.migration.status import Status, migration_status
from smithy.lint.migration_engine import lint_migration_files
from smithy.variants.migration_files import read_migration
from tests.conftest import DATA
from tests.graph.conftest import record

MIGRATIONS = DATA / "graph" / "migrations"
PINNING_KEYS = frozenset({"python", "is_python_min", "libffi"})
ZIPS = (("python", "is_python_min"),)


def test_new_migration_has_unique_timestamp(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text("migrator_ts: 1700000000\n")
    (tmp_path / "older.yaml").write_text("migrator_ts: 1700000001.0\n")
    planned = new_migration(
        "libffi", "3.5", directory=tmp_path, now=1700000000.7, also=["libffi_x"]
    )
    assert planned.timestamp == 1700000002
    assert planned.path == tmp_path / "libffi35.yaml"
    assert "libffi:\n  - '3.5'\nlibffi_x:\n  - '3.5'\n" in planned.text
    assert "commit_message: 'Rebuild for libffi 3.5'" in planned.text
    planned.path.write_text(planned.text)
    keys = frozenset({"libffi", "libffi_x"})
    assert lint_migration_files([planned.path], pinning_keys=keys).findings == ()
    with pytest.raises(SmithyError, match="exists already"):
        new_migration("libffi", "3.5", directory=tmp_path, now=0)
    with pytest.raises(SmithyError, match="not a version"):
        new_migration("libffi", "3 5", directory=tmp_path, now=0)


def test_lint_finds_dead_unknown_ordering_and_pinning_problems() -> None:
    findings = lint_migration_files(
        [MIGRATIONS / "bad.yaml"], pinning_keys=PINNING_KEYS, pinning_zips=ZIPS
    ).findings
    got = [(f.code, f.name, f.severity.value, f.line) for f in findings]
    assert got == [
        ("SMY951", "dead-migrator-key", "hint", 5),
        ("SMY951", "dead-migrator-key", "hint", 6),
        ("SMY952", "unknown-migrator-key", "lint", 7),
        ("SMY957", "incomplete-ordering", "lint", 8),
        ("SMY961", "zip-mismatch", "lint", 11),
        ("SMY962", "unknown-pinning-key", "hint", 16),
    ]


def test_lint_zip_lengths_after_selectors_and_bad_timestamp() -> None:
    findings = lint_migration_files([MIGRATIONS / "zips.yaml"], pinning_zips=ZIPS).findings
    assert [(f.code, f.line) for f in findings] == [("SMY961", 8), ("SMY958", 13)]
    assert "linux-64" in findings[0].message


def test_lint_duplicate_timestamps() -> None:
    findings = lint_migration_files([MIGRATIONS / "good.yaml", MIGRATIONS / "bad.yaml"]).findings
    assert [f.path for f in findings if f.code == "SMY963"] == [str(MIGRATIONS / "good.yaml")]
    clean = lint_migration_files([MIGRATIONS / "good.yaml"], pinning_keys=PINNING_KEYS)
    assert clean.findings == ()
    # --select/--ignore choose among the migration rules as among the recipe rules.
    bad = [MIGRATIONS / "bad.yaml"]
    picked = lint_migration_files(bad, select=["SMY95"], ignore=["dead-migrator-key"]).findings
    assert [f.code for f in picked] == ["SMY952", "SMY957"]


def test_status_done_ready_awaiting_and_not_applicable(tmp_path: Path) -> None:
    mig = read_migration(MIGRATIONS / "good.yaml")
    records = [
        record("libffi"),
        record("python", host=["libffi"]),
        record("cffi", host=["python", "libffi"]),
        record("glue", host=["cffi"]),
        record("app", host=["glue", "libffi"]),
        record("pure", noarch=True, host=["libffi"]),
        record("other"),
    ]
    done_dir = tmp_path / "python-feedstock" / ".ci_support" / "migrations"
    done_dir.mkdir(parents=True)
    (done_dir / "good.yaml").write_text((MIGRATIONS / "good.yaml").read_text())
    records[1] = replace(records[1], path=str(tmp_path / "python-feedstock"))
    status = migration_status(FeedstockGraph(records), mig)
    table = {e.name: (e.status, e.blocking) for e in status.feedstocks}
    assert table["python"] == (Status.done, ())
    assert table["cffi"] == (Status.ready, ())
    assert table["app"] == (Status.awaiting_parents, ("cffi",))  # through glue, not a member
    assert table["libffi"][0] is Status.not_applicable
    assert table["pure"][0] is Status.not_applicable
    assert table["glue"][0] is Status.not_applicable
    assert status.edges == (("cffi", "app"), ("python", "cffi"))
    assert status.counts()["awaiting-parents"] == 1
    assert [e.name for e in status.feedstocks][:3] == ["python", "cffi", "app"]
