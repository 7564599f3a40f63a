"""Rules for CFEP-9 migration files: control keys, timestamps, key_add, zips, pinning keys."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from smithy.lint.finding import Problem
from smithy.lint.migration_context import MigrationContext
from smithy.lint.rule import HINT, LINT, migration_rule
from smithy.variants.migration_files import MIGRATOR, TIMESTAMP

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


@migration_rule(
    "SMY950", "missing-migrator", LINT, fix="Add a __migrator block (smithy migration new)."
)
def missing_migrator(ctx: MigrationContext) -> Iterator[Problem]:
    """The migration file has no ``__migrator`` block.

    The bot reads the migration's kind, numbers and commit message from it; without it the
    file is not a migration the bot can run. A ``__migrator`` that is not a mapping (empty, a
    list, a single value) is no block either, and rerender refuses the file.
    """
    if MIGRATOR not in ctx.mig.data:
        yield ctx.problem("no __migrator block")
    elif not isinstance(ctx.mig.data[MIGRATOR], Mapping):
        yield ctx.problem("__migrator must be a mapping of settings", MIGRATOR)


@migration_rule(
    "SMY951",
    "dead-migrator-key",
    HINT,
    fix="Rename the key as the message says, or remove it.",
)
def dead_migrator_key(ctx: MigrationContext) -> Iterator[Problem]:
    """A ``__migrator`` key the bot no longer reads.

    ``build_number`` is ignored (the bot reads ``bump_number``) and ``max_solver_attempts``
    was replaced by ``force_pr_after_solver_attempts``: the setting silently has no effect.
    """
    for key in ctx.mig.migrator:
        if key in DEAD_KEYS:
            yield ctx.problem(DEAD_KEYS[key], f"{MIGRATOR}.{key}")


@migration_rule(
    "SMY952",
    "unknown-migrator-key",
    LINT,
    fix="Correct the spelling or remove the key.",
)
def unknown_migrator_key(ctx: MigrationContext) -> Iterator[Problem]:
    """A ``__migrator`` key that neither the bot nor conda-smithy reads.

    Usually a misspelling (``pr_limt``), so the setting the author meant is not applied.
    """
    for key in ctx.mig.migrator:
        if key not in DEAD_KEYS and key not in KNOWN_KEYS:
            message = f"unknown __migrator key '{key}' (no tool reads it)"
            yield ctx.problem(message, f"{MIGRATOR}.{key}")


@migration_rule("SMY953", "bad-migrator-kind", LINT, fix="Write kind: version.")
def bad_migrator_kind(ctx: MigrationContext) -> Iterator[Problem]:
    """``__migrator.kind`` is not ``version``, the only kind of pinning migration."""
    kind = ctx.mig.migrator.get("kind")
    if kind is not None and kind != "version":
        yield ctx.problem(f"kind must be 'version', not '{kind}'", f"{MIGRATOR}.kind")


def _operation_problem(ctx: MigrationContext) -> tuple[str, str] | None:
    """The first problem of a key_add/key_remove migration: (rule name, message)."""
    mig = ctx.mig
    operation = mig.migrator.get("operation")
    if operation is None:
        return None
    if not isinstance(operation, str) or operation not in OPERATIONS:  # a list is unhashable
        return (
            "bad-migrator-operation",
            f"operation must be key_add or key_remove, not '{operation}'",
        )
    primary = mig.migrator.get("primary_key")
    if not isinstance(primary, str) or primary not in mig.data:
        return "missing-primary-key", f"{operation} needs a primary_key naming a key of this file"
    ordering = mig.migrator.get("ordering")
    order = ordering.get(primary) if isinstance(ordering, dict) else None
    if operation == "key_add" and not isinstance(order, list):
        message = f"key_add needs __migrator.ordering.{primary} listing every value in order"
        return "missing-ordering", message
    values = mig.data.get(primary)
    written = [str(v) for v in values] if isinstance(values, list) else []
    ordered = [str(o) for o in order] if isinstance(order, list) else written
    missing = [v for v in written if v not in ordered]
    if missing:
        return "incomplete-ordering", f"ordering.{primary} lacks {', '.join(map(repr, missing))}"
    return None


def _operation(ctx: MigrationContext, name: str, key: str) -> Iterator[Problem]:
    found = _operation_problem(ctx)
    if found is not None and found[0] == name:
        yield ctx.problem(found[1], key)


@migration_rule(
    "SMY954", "bad-migrator-operation", LINT, fix="Use key_add or key_remove (or no operation)."
)
def bad_migrator_operation(ctx: MigrationContext) -> Iterator[Problem]:
    """``__migrator.operation`` is neither ``key_add`` nor ``key_remove``."""
    yield from _operation(ctx, "bad-migrator-operation", f"{MIGRATOR}.operation")


@migration_rule(
    "SMY955",
    "missing-primary-key",
    LINT,
    fix="Set __migrator.primary_key to the variant key the operation adds or removes.",
)
def missing_primary_key(ctx: MigrationContext) -> Iterator[Problem]:
    """A key_add/key_remove migration whose ``primary_key`` is not a key of the file.

    The operation adds or removes values of that key; without it the bot cannot apply it.
    """
    yield from _operation(ctx, "missing-primary-key", f"{MIGRATOR}.operation")


@migration_rule(
    "SMY956",
    "missing-ordering",
    LINT,
    fix="Add __migrator.ordering.<primary_key> listing every value, oldest first.",
)
def missing_ordering(ctx: MigrationContext) -> Iterator[Problem]:
    """A key_add migration without an ``ordering`` for its primary key.

    conda-smithy merges added values into the pinning in that order; without it the merge
    has no defined result.
    """
    yield from _operation(ctx, "missing-ordering", f"{MIGRATOR}.operation")


@migration_rule(
    "SMY957",
    "incomplete-ordering",
    LINT,
    fix="List every value of the primary key in __migrator.ordering.",
)
def incomplete_ordering(ctx: MigrationContext) -> Iterator[Problem]:
    """``__migrator.ordering`` lacks values the file sets for its primary key."""
    yield from _operation(ctx, "incomplete-ordering", f"{MIGRATOR}.ordering")


@migration_rule(
    "SMY958", "bad-migrator-ts", LINT, fix="Write migrator_ts as a number (a Unix time)."
)
def bad_migrator_ts(ctx: MigrationContext) -> Iterator[Problem]:
    """``migrator_ts`` is missing or not a number.

    It is the migration's identity and decides the order migrations are applied in.
    """
    try:
        float(ctx.mig.data.get(TIMESTAMP))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        message = "migrator_ts must be a number (its identity and application order)"
        yield ctx.problem(message, TIMESTAMP)


@migration_rule("SMY959", "migration-key-not-a-list", LINT, fix="Write the values as a YAML list.")
def migration_key_not_a_list(ctx: MigrationContext) -> Iterator[Problem]:
    """A variant key of the migration is not a list of values, as the pinning's keys are."""
    for key in ctx.mig.variant_keys:
        if not isinstance(ctx.mig.data[key], list):
            yield ctx.problem(f"'{key}' must be a list of values", key)


@migration_rule(
    "SMY960",
    "unreadable-migration",
    LINT,
    fix="Correct the line shown; the file must read for every platform.",
)
def unreadable_migration(ctx: MigrationContext) -> Iterator[Problem]:
    """The migration cannot be read for a platform once its selectors are applied.

    It is read as conda-smithy reads it for linux-64, osx-arm64 and win-64, and as rerender
    reads it: a ``migration_number`` that is no integer or a ``use_local`` that is no boolean
    stops a rerender, so it is reported here too.
    """
    if ctx.rendered.error is not None:
        yield ctx.rendered.error


def _zip_groups(ctx: MigrationContext) -> list[list[str]]:
    mig = ctx.mig
    groups = [list(group) for group in ctx.pinning_zips]
    own = mig.data.get("zip_keys")
    if isinstance(own, list):
        groups += [[str(k) for k in group] for group in own if isinstance(group, list)]
    extra = mig.migrator.get("additional_zip_keys")
    primary = mig.migrator.get("primary_key")
    if isinstance(extra, list) and isinstance(primary, str):
        groups.append([primary, *[str(k) for k in extra]])
    return groups


@migration_rule(
    "SMY961",
    "zip-mismatch",
    LINT,
    fix="Give every key of a zip_keys group the same number of values on each platform.",
)
def zip_mismatch(ctx: MigrationContext) -> Iterator[Problem]:
    """Zipped keys have different numbers of values on some platform.

    The keys of a ``zip_keys`` group (the pinning's, the file's own, and the primary key
    with ``additional_zip_keys``) are paired value by value, so their lengths must agree
    after selectors; the first platform where they differ is reported.
    """
    groups = _zip_groups(ctx)
    for platform, spec in ctx.rendered.specs.items():
        for group in groups:
            present = [k for k in group if isinstance(spec.get(k), list)]
            if len({len(spec[k]) for k in present}) > 1:
                sizes = ", ".join(f"{k}={len(spec[k])}" for k in present)
                message = f"zipped keys have different lengths on {platform}: {sizes}"
                yield ctx.problem(message, present[0])
                return


@migration_rule(
    "SMY962",
    "unknown-pinning-key",
    HINT,
    fix="Check the spelling against conda_build_config.yaml of the pinning.",
)
def unknown_pinning_key(ctx: MigrationContext) -> Iterator[Problem]:
    """The migration sets a variant key the global pinning does not have.

    Allowed (a migration may introduce a key) but often a misspelling, which no recipe
    would use. Checked only when the pinning is known.
    """
    known = ctx.pinning_keys
    if known is None:
        return
    for key in ctx.mig.variant_keys:
        if key not in known:
            yield ctx.problem(f"'{key}' is not a key of the global pinning", key)


@migration_rule(
    "SMY963",
    "duplicate-migrator-ts",
    LINT,
    fix="Give the migration a timestamp of its own (smithy migration new picks one).",
)
def duplicate_migrator_ts(ctx: MigrationContext) -> Iterator[Problem]:
    """Another live migration file has the same ``migrator_ts``.

    The timestamp is a migration's identity: two files with one timestamp are confused.
    """
    stamp = ctx.mig.data.get(TIMESTAMP)
    other = ctx.earlier_timestamps.get(stamp) if isinstance(stamp, str) else None
    if other is not None and other.name != ctx.mig.path.name:
        message = f"migrator_ts {stamp} is also used by {other.name}; it must be unique"
        yield ctx.problem(message, TIMESTAMP)


RULES = (
    missing_migrator,
    dead_migrator_key,
    unknown_migrator_key,
    bad_migrator_kind,
    bad_migrator_operation,
    missing_primary_key,
    missing_ordering,
    incomplete_ordering,
    bad_migrator_ts,
    migration_key_not_a_list,
    unreadable_migration,
    zip_mismatch,
    unknown_pinning_key,
    duplicate_migrator_ts,
)
