"""Run the selected migration-file rules (those reading ``Input.MIGRATION``) over files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from smithy.lint.engine import LintResult
from smithy.lint.finding import Finding
from smithy.lint.migration_context import MigrationContext
from smithy.lint.registry import select_rules
from smithy.lint.rule import Input
from smithy.variants.migration_files import TIMESTAMP, read_migration


def lint_migration_files(
    paths: Sequence[Path],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    pinning_keys: frozenset[str] | None = None,
    pinning_zips: Sequence[Sequence[str]] = (),
    other_timestamps: Mapping[str, Path] | None = None,
) -> LintResult:
    """Check migration files with the chosen rules; findings sorted by file, line and code.

    Args:
        paths: the files to check.
        select: code prefixes or names to run (all migration rules when empty).
        ignore: code prefixes or names not to run.
        pinning_keys: keys of the global pinning (None: skip that check).
        pinning_zips: the pinning's zip_keys groups (zipped keys must keep equal lengths).
        other_timestamps: ``migrator_ts`` text -> file, for files not linted but live.

    Raises:
        PinningError: a file cannot be read or is not a YAML mapping.
    """
    rules = [r for r in select_rules(select, ignore) if Input.MIGRATION in r.reads]
    findings: list[Finding] = []
    seen: dict[str, Path] = dict(other_timestamps or {})
    for path in sorted(paths):
        mig = read_migration(path)
        ctx = MigrationContext(mig, pinning_keys, pinning_zips, dict(seen))
        for rule in rules:
            assert rule.migration_check is not None  # every Input.MIGRATION rule has one
            findings += (
                Finding(
                    rule.code,
                    rule.name,
                    rule.severity,
                    None,
                    str(path),
                    problem.line,
                    problem.column,
                    problem.message,
                    rule.fix or None,
                )
                for problem in rule.migration_check(ctx)
            )
        stamp = mig.data.get(TIMESTAMP)
        if isinstance(stamp, str):
            seen.setdefault(stamp, path)
    findings.sort(key=Finding.sort_key)
    return LintResult(tuple(findings), tuple(str(p) for p in sorted(paths)))
