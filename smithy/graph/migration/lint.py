"""Check CFEP-9 migration files: control keys, timestamps, key_add rules, zips, pinning keys."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.graph.migration.files import MIGRATOR, TIMESTAMP, RawMigration, read_migration
from smithy.platforms import selector_namespace
from smithy.variants.migrations import parse_migration_text

# `__migrator` keys the bot or conda-smithy read (reference: graph-and-migrations.md, 2.2).
KNOWN_KEYS = frozenset(
    {
        "kind", "operation", "migration_number", "bump_number", "commit_message", "paused",
        "longterm", "pr_limit", "exclude", "exclude_pinned_pkgs", "include_noarch",
        "include_build", "override_cbc_keys", "check_solvable",
        "force_pr_after_solver_attempts", "automerge", "wait_for_migrators",
        "ignored_deps_per_node", "allowlist_file", "platform_allowlist",
        "conda_forge_yml_patches", "primary_key", "ordering", "additional_zip_keys",
        "use_local",
    }
)  # fmt: skip
DEAD_KEYS = {
    "build_number": "the bot reads bump_number; build_number is ignored (the increment is 1)",
    "max_solver_attempts": "removed from the bot; use force_pr_after_solver_attempts",
}
OPERATIONS = frozenset({"key_add", "key_remove"})
# Zip lengths are checked on one platform of each OS: selectors mostly split by OS.
_ZIP_PLATFORMS = ("linux-64", "osx-arm64", "win-64")
_TS_LINE = re.compile(r"^migrator_ts:.*$", re.MULTILINE)


class Level(StrEnum):
    """How serious a finding is: errors fail ``smithy migration lint``."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True, slots=True)
class MigrationFinding:
    """One problem in a migration file.

    Attributes:
        rule: kebab-case rule name, e.g. ``dead-migrator-key``.
        level: error or warning.
        message: one line, lower-case start.
        span: where it is.
    """

    rule: str
    level: Level
    message: str
    span: Span


def _control(mig: RawMigration) -> Iterator[MigrationFinding]:
    if MIGRATOR not in mig.data:
        yield MigrationFinding("missing-migrator", Level.error, "no __migrator block", mig.span())
    for key in mig.migrator:
        span = mig.span(f"{MIGRATOR}.{key}")
        if key in DEAD_KEYS:
            yield MigrationFinding("dead-migrator-key", Level.warning, DEAD_KEYS[key], span)
        elif key not in KNOWN_KEYS:
            message = f"unknown __migrator key '{key}' (no tool reads it)"
            yield MigrationFinding("unknown-migrator-key", Level.error, message, span)
    kind = mig.migrator.get("kind")
    if kind is not None and kind != "version":
        message = f"kind must be 'version', not '{kind}'"
        yield MigrationFinding("bad-kind", Level.error, message, mig.span(f"{MIGRATOR}.kind"))


def _values(mig: RawMigration, key: str) -> list[str]:
    value = mig.data.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def _operation(mig: RawMigration) -> Iterator[MigrationFinding]:
    operation = mig.migrator.get("operation")
    if operation is None:
        return
    span = mig.span(f"{MIGRATOR}.operation")
    if operation not in OPERATIONS:
        message = f"operation must be key_add or key_remove, not '{operation}'"
        yield MigrationFinding("bad-operation", Level.error, message, span)
        return
    primary = mig.migrator.get("primary_key")
    if not isinstance(primary, str) or primary not in mig.data:
        message = f"{operation} needs a primary_key naming a key of this file"
        yield MigrationFinding("missing-primary-key", Level.error, message, span)
        return
    ordering = mig.migrator.get("ordering")
    order = ordering.get(primary) if isinstance(ordering, dict) else None
    if operation == "key_add" and not isinstance(order, list):
        message = f"key_add needs __migrator.ordering.{primary} listing every value in order"
        yield MigrationFinding("missing-ordering", Level.error, message, span)
    elif isinstance(order, list):
        missing = [v for v in _values(mig, primary) if v not in [str(o) for o in order]]
        if missing:
            message = f"ordering.{primary} lacks {', '.join(repr(v) for v in missing)}"
            where = mig.span(f"{MIGRATOR}.ordering")
            yield MigrationFinding("incomplete-ordering", Level.error, message, where)


def _shape(mig: RawMigration) -> Iterator[MigrationFinding]:
    raw_ts = mig.data.get(TIMESTAMP)
    try:
        float(raw_ts)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        message = "migrator_ts must be a number (its identity and application order)"
        yield MigrationFinding("bad-timestamp", Level.error, message, mig.span(TIMESTAMP))
    for key in mig.variant_keys:
        if not isinstance(mig.data[key], list):
            message = f"'{key}' must be a list of values"
            yield MigrationFinding("not-a-list", Level.error, message, mig.span(key))


def _zip_groups(mig: RawMigration, pinning_zips: Sequence[Sequence[str]]) -> list[list[str]]:
    groups = [list(group) for group in pinning_zips]
    own = mig.data.get("zip_keys")
    if isinstance(own, list):
        groups += [[str(k) for k in group] for group in own if isinstance(group, list)]
    extra = mig.migrator.get("additional_zip_keys")
    primary = mig.migrator.get("primary_key")
    if isinstance(extra, list) and isinstance(primary, str):
        groups.append([primary, *[str(k) for k in extra]])
    return groups


def _zips(mig: RawMigration, pinning_zips: Sequence[Sequence[str]]) -> Iterator[MigrationFinding]:
    groups = _zip_groups(mig, pinning_zips)
    for platform in _ZIP_PLATFORMS:
        try:
            spec = parse_migration_text(
                _TS_LINE.sub("", mig.text),  # a bad timestamp has its own finding
                namespace=selector_namespace(platform),
                env={},
                path=str(mig.path),
            )
        except SmithyError as exc:
            yield MigrationFinding("unreadable", Level.error, exc.message, exc.span or mig.span())
            return
        for group in groups:
            present = [k for k in group if isinstance(spec.get(k), list)]
            lengths = {len(spec[k]) for k in present}
            if len(lengths) > 1:
                sizes = ", ".join(f"{k}={len(spec[k])}" for k in present)
                message = f"zipped keys have different lengths on {platform}: {sizes}"
                yield MigrationFinding("zip-mismatch", Level.error, message, mig.span(present[0]))
                return


def _pinning_keys(mig: RawMigration, known: frozenset[str]) -> Iterator[MigrationFinding]:
    for key in mig.variant_keys:
        if key not in known:
            message = f"'{key}' is not a key of the global pinning"
            yield MigrationFinding("unknown-pinning-key", Level.warning, message, mig.span(key))


def lint_migrations(
    paths: Sequence[Path],
    *,
    pinning_keys: frozenset[str] | None = None,
    pinning_zips: Sequence[Sequence[str]] = (),
    other_timestamps: dict[str, Path] | None = None,
) -> list[MigrationFinding]:
    """Check migration files; findings sorted by file, line and rule.

    Args:
        paths: the files to check.
        pinning_keys: keys of the global pinning (None: skip that check).
        pinning_zips: the pinning's zip_keys groups (zipped keys must keep equal lengths).
        other_timestamps: ``migrator_ts`` text -> file, for files not linted but live.

    Raises:
        PinningError: a file cannot be read or is not a YAML mapping.
    """
    findings: list[MigrationFinding] = []
    seen: dict[str, Path] = dict(other_timestamps or {})
    for path in sorted(paths):
        mig = read_migration(path)
        findings += [*_control(mig), *_operation(mig), *_shape(mig), *_zips(mig, pinning_zips)]
        if pinning_keys is not None:
            findings += _pinning_keys(mig, pinning_keys)
        stamp = mig.data.get(TIMESTAMP)
        if isinstance(stamp, str):
            other = seen.get(stamp)
            if other is not None and other.name != path.name:
                message = f"migrator_ts {stamp} is also used by {other.name}; it must be unique"
                where = mig.span(TIMESTAMP)
                findings.append(
                    MigrationFinding("duplicate-timestamp", Level.error, message, where)
                )
            seen.setdefault(stamp, path)
    return sorted(findings, key=lambda f: (f.span.path, f.span.line, f.rule))
