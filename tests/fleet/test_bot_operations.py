"""``fleet bump`` and ``fleet migrate``: real git repositories, a local PyPI, real migrations."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smithy import api
from smithy.cli import main
from tests.bot.ecosystem import commit_all, git, recipes, write_ecosystem
from tests.bump.conftest import OLD_SHA, Upstream, make_tarball
from tests.bump.recipes import META_PYPI
from tests.fleet.conftest import BROKEN_RECIPE


def _records(path: Path) -> dict[str, dict[str, object]]:
    return {r["name"]: r for r in map(json.loads, path.read_text().splitlines())}


@pytest.fixture
def bump_fleet(tmp_path: Path, upstream: Upstream, embedded_pinning: None, git_identity: None):
    """Three feedstocks in git: one behind PyPI, one up to date, one with a broken recipe."""
    root = tmp_path / "feedstocks"
    texts = {
        "tinypkg": META_PYPI,
        "samepkg": META_PYPI.replace("tinypkg", "samepkg"),
        "broken": BROKEN_RECIPE,
    }
    for name, text in texts.items():
        feedstock = root / f"{name}-feedstock"
        (feedstock / "recipe").mkdir(parents=True)
        (feedstock / "conda-forge.yml").write_text("{}\n")
        recipe = text.replace("BASE", upstream.base).replace("OLD_SHA", OLD_SHA)
        (feedstock / "recipe" / "meta.yaml").write_text(recipe)
        commit_all(feedstock, "initial")
    upstream.pypi("tinypkg", {"1.0.0": False, "1.1.0": False, "2.0.0rc1": False})
    upstream.pypi("samepkg", {"1.0.0": False})
    tarball = make_tarball("tinypkg", "1.1.0")
    upstream.file("/packages/source/t/tinypkg/tinypkg-1.1.0.tar.gz", tarball)
    return root


def _bump(root: Path, out: Path, upstream: Upstream, **settings: bool) -> api.fleet.FleetReport:
    lookup = upstream.options()
    return api.fleet.run(
        "bump", [root], output=out, jobs=2, bump=api.fleet.BumpSettings(lookup, **settings)
    )


def test_bump_check_reports_new_versions_and_writes_nothing(
    bump_fleet: Path, upstream: Upstream, tmp_path: Path
) -> None:
    recipe = bump_fleet / "tinypkg-feedstock" / "recipe" / "meta.yaml"
    before = recipe.read_bytes()
    report = _bump(bump_fleet, tmp_path / "check.jsonl", upstream)
    records = _records(report.output)
    assert report.summary.by_status == {"ok": 1, "changed": 1, "failed": 1, "timeout": 0}
    tiny = records["tinypkg-feedstock"]["bump"]
    assert isinstance(tiny, dict)
    assert (tiny["current"], tiny["newest"], tiny["outdated"]) == ("1.0.0", "1.1.0", True)
    assert tiny["source"]["kind"] == "pypi"
    assert records["samepkg-feedstock"]["bump"]["outdated"] is False  # type: ignore[index]
    assert str(records["broken-feedstock"]["error"]).startswith("recipe/meta.yaml:3:")
    assert recipe.read_bytes() == before
    assert git(bump_fleet / "tinypkg-feedstock", "status", "--porcelain") == ""


def test_bump_writes_rerenders_and_commits_each_feedstock(
    bump_fleet: Path, upstream: Upstream, tmp_path: Path
) -> None:
    report = _bump(bump_fleet, tmp_path / "bump.jsonl", upstream, write=True, commit=True)
    records = _records(report.output)
    assert report.summary.by_status == {"ok": 1, "changed": 1, "failed": 1, "timeout": 0}
    tiny = records["tinypkg-feedstock"]
    branch = tiny["bump"]["branch"]  # type: ignore[index]
    assert tiny["bump"]["version"] == "1.1.0"  # type: ignore[index]
    assert "recipe/meta.yaml" in tiny["drift"]["files"]["update"]  # type: ignore[index]
    assert ".ci_support/linux_64_.yaml" in tiny["drift"]["files"]["create"]  # type: ignore[index]
    feedstock = bump_fleet / "tinypkg-feedstock"
    assert git(feedstock, "branch", "--show-current") == branch
    assert git(feedstock, "log", "-1", "--format=%s") == "updated v1.1.0"
    assert git(feedstock, "status", "--porcelain") == ""
    assert '"1.1.0"' in (feedstock / "recipe" / "meta.yaml").read_text()
    same = bump_fleet / "samepkg-feedstock"
    assert git(same, "branch", "--show-current") == "main"
    assert records["samepkg-feedstock"]["status"] == "ok"


@pytest.fixture
def migration_fleet(tmp_path: Path, git_identity: None) -> tuple[Path, Path]:
    """(pinning, feedstocks): rerendered and committed; the pinning knows libffi35."""
    names = ("libffi", "a1", "a2", "pinned", "tool", "leaf00", "leaf01")
    texts = {name: text for name, text in recipes(leaves=2).items() if name in names}
    pinning, folder = write_ecosystem(tmp_path / "eco", texts)
    for feedstock in sorted(folder.iterdir()):
        api.rerender(feedstock, pinning=str(pinning), environ={})
        commit_all(feedstock, "initial")
    broken = folder / "broken-feedstock"
    (broken / "recipe").mkdir(parents=True)
    (broken / "recipe" / "meta.yaml").write_text(BROKEN_RECIPE)
    commit_all(broken, "initial")
    return pinning, folder


def _migrate(pinning: Path, folder: Path, out: Path, **kw: bool) -> api.fleet.FleetReport:
    settings = api.fleet.MigrateSettings(pinning / "migrations" / "libffi35.yaml", **kw)
    return api.fleet.run(
        "migrate", [folder], output=out, pinning=str(pinning), jobs=2, migrate=settings
    )


def test_migrate_commits_where_needed_and_reports_the_rest(
    migration_fleet: tuple[Path, Path], tmp_path: Path
) -> None:
    pinning, folder = migration_fleet
    dry = _migrate(pinning, folder, tmp_path / "dry.jsonl", dry_run=True)
    assert dry.summary.by_status == {"ok": 3, "changed": 4, "failed": 1, "timeout": 0}
    assert all(git(f, "branch", "--list", "rebuild-*") == "" for f in folder.iterdir())

    report = _migrate(pinning, folder, tmp_path / "run.jsonl")
    records = _records(report.output)
    changed = sorted(n for n, r in records.items() if r["status"] == "changed")
    assert changed == ["a1-feedstock", "a2-feedstock", "leaf00-feedstock", "leaf01-feedstock"]
    a1 = records["a1-feedstock"]
    migration = a1["migration"]
    assert isinstance(migration, dict)
    assert migration["outcome"] == "applied" and migration["build_number"] == [2, 3]
    assert ".ci_support/migrations/libffi35.yaml" in a1["drift"]["files"]["create"]  # type: ignore[index]
    repo = folder / "a1-feedstock"
    assert git(repo, "branch", "--show-current") == "main"  # back where it was
    assert "Rebuild for libffi 3.5" in git(repo, "log", "-1", "--format=%B", migration["branch"])
    untouched = {n: r["migration"]["outcome"] for n, r in records.items() if r["status"] == "ok"}  # type: ignore[index]
    assert untouched == {"libffi-feedstock": "untouched", "pinned-feedstock": "untouched",
                         "tool-feedstock": "untouched"}  # fmt: skip
    assert str(records["broken-feedstock"]["error"]).startswith("recipe/meta.yaml:3:")

    again = _records(_migrate(pinning, folder, tmp_path / "again.jsonl").output)
    assert again["a1-feedstock"]["status"] == "ok"
    assert again["a1-feedstock"]["migration"]["outcome"] == "in-progress"  # type: ignore[index]


def test_migrate_cli_refuses_a_migration_the_pinning_lacks(
    migration_fleet: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pinning, folder = migration_fleet
    stray = tmp_path / "other.yaml"
    stray.write_text((pinning / "migrations" / "libffi35.yaml").read_text())
    args = ["fleet", "migrate", str(stray), str(folder), "--pinning", str(pinning)]
    assert main([*args, "-o", str(tmp_path / "r.jsonl")]) == 3
    err = capsys.readouterr().err
    assert "migration 'other' is not in the pinning" in err and "Traceback" not in err


def test_bump_cli_checks_with_the_shared_options(
    bump_fleet: Path, upstream: Upstream, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.jsonl"
    args = ["fleet", "bump", str(bump_fleet), "--check", "--pypi-url", upstream.base]
    assert main([*args, "-j", "2", "-o", str(out), "--shard", "1/1"]) == 1  # broken failed
    assert "changed           1" in capsys.readouterr().out
    assert _records(out)["tinypkg-feedstock"]["bump"]["newest"] == "1.1.0"  # type: ignore[index]
    assert main(["fleet", "bump", str(bump_fleet), "--check", "--commit"]) == 2
    assert "--commit cannot go with --check" in capsys.readouterr().err


def _resumed(root: Path, earlier: Path, upstream: Upstream, out: Path) -> api.fleet.FleetReport:
    settings = api.fleet.BumpSettings(upstream.options())
    return api.fleet.run("bump", [root], output=out, jobs=2, resume=earlier, bump=settings)


def _aged(results: Path, target: Path, hours: float | None) -> None:
    """``results`` with each lookup made ``hours`` ago (None: records without the time)."""
    lines = []
    for record in map(json.loads, results.read_text().splitlines()):
        if isinstance(record.get("bump"), dict):
            if hours is None:
                del record["bump"]["checked_at"]
            else:
                then = datetime.now(UTC) - timedelta(hours=hours)
                record["bump"]["checked_at"] = then.isoformat(timespec="seconds")
        lines.append(json.dumps(record) + "\n")
    target.write_text("".join(lines))


def test_bump_resume_reuses_a_fresh_lookup_and_repeats_a_stale_one(
    bump_fleet: Path, upstream: Upstream, tmp_path: Path
) -> None:
    first = tmp_path / "first.jsonl"
    _bump(bump_fleet, first, upstream)
    assert "checked_at" in _records(first)["samepkg-feedstock"]["bump"]  # type: ignore[operator]
    upstream.server.clear_all_handlers()  # samepkg 1.1.0 is released after the first run
    upstream.pypi("tinypkg", {"1.0.0": False, "1.1.0": False})
    upstream.pypi("samepkg", {"1.0.0": False, "1.1.0": False})

    fresh = _resumed(bump_fleet, first, upstream, tmp_path / "fresh.jsonl")
    assert fresh.reused == 2  # the broken one is redone
    assert _records(fresh.output)["samepkg-feedstock"]["status"] == "ok"  # the earlier answer

    for hours in (2.0, None):  # older than --recheck-after's hour, or an older smithy's record
        _aged(first, tmp_path / "aged.jsonl", hours)
        again = _resumed(bump_fleet, tmp_path / "aged.jsonl", upstream, tmp_path / "again.jsonl")
        assert again.reused == 0
        same = _records(again.output)["samepkg-feedstock"]
        assert (same["status"], same["bump"]["newest"]) == ("changed", "1.1.0")  # type: ignore[index]


def test_bump_cli_refuses_a_negative_recheck_after(bump_fleet: Path, capsys) -> None:
    assert main(["fleet", "bump", str(bump_fleet), "--check", "--recheck-after", "-1"]) == 2
    assert "--recheck-after must be 0 or more seconds" in capsys.readouterr().err
