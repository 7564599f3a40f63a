"""A migration file read for the bot: validated control block, identity and branch name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smithy.errors import PinningError, SmithyError, Span
from smithy.lint.finding import Severity
from smithy.lint.migration_engine import lint_migration_files
from smithy.variants.migration_files import TIMESTAMP, RawMigration, read_migration

# cf-scripts' MigrationYaml has ``migrator_version = 0``; it is part of the branch name.
MIGRATOR_VERSION = 0
# Patches under these conda-forge.yml keys add or drop platforms: an architecture migration.
ARCH_PATCH_ROOTS = ("provider", "build_platform")


@dataclass(frozen=True, slots=True)
class BotMigration:
    """A migration as the bot reads it.

    Attributes:
        raw: the file as written.
        timestamp: its ``migrator_ts`` as written (part of its identity).
        number: ``__migrator.migration_number`` (the other part; 1 by default).
        bump: how much the build number goes up.
        commit_message: the commit message (first line: the PR title).
        patches: ``conda_forge_yml_patches``: dotted key -> value (None deletes the key).
    """

    raw: RawMigration
    timestamp: str
    number: int
    bump: int
    commit_message: str
    patches: Mapping[str, Any]

    @property
    def name(self) -> str:
        """The file name without ``.yaml``."""
        return self.raw.name

    @property
    def branch(self) -> str:
        """The branch the bot pushes: ``rebuild-<name>-<migrator_version>-<number>``."""
        return f"rebuild-{self.name}-{MIGRATOR_VERSION}-{self.number}"

    @property
    def is_architecture(self) -> bool:
        """Whether it adds platforms (its progress lives in conda-forge.yml)."""
        return any(key.split(".", 1)[0] in ARCH_PATCH_ROOTS for key in self.patches)


def _integer(raw: RawMigration, key: str, default: int) -> int:
    value = raw.migrator.get(key)
    if value is None:
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise PinningError(
            f"__migrator.{key} must be a whole number, not '{value}'", raw.span(f"__migrator.{key}")
        ) from None
    if number < 0:
        raise PinningError(f"__migrator.{key} must not be negative", raw.span(f"__migrator.{key}"))
    return number


def _patches(raw: RawMigration) -> dict[str, Any]:
    block = raw.migrator.get("conda_forge_yml_patches")
    if block is None:
        return {}
    if not isinstance(block, Mapping):
        where = raw.span("__migrator.conda_forge_yml_patches")
        raise PinningError("conda_forge_yml_patches must map dotted keys to values", where)
    return {
        str(key): (None if value in ("null", "~", "") else value) for key, value in block.items()
    }


def _commit_message(raw: RawMigration) -> str:
    message = raw.migrator.get("commit_message")
    return (
        str(message) if isinstance(message, str) and message.strip() else f"Rebuild for {raw.name}"
    )


def load_migration(path: Path) -> BotMigration:
    """Read and check ``path`` as the bot needs it.

    The lint's errors (unknown ``__migrator`` keys, a missing or non-numeric ``migrator_ts``,
    bad operations) refuse the file: acting on a file the bot would misread does harm.

    Raises:
        PinningError: the file does not parse, or has an error-level lint finding.
    """
    raw = read_migration(path)
    if TIMESTAMP not in raw.data:
        raise PinningError(
            "no migrator_ts: a migration needs one (its identity and order)", raw.span()
        )
    for finding in lint_migration_files([path]).findings:
        if finding.severity is Severity.LINT:
            where = Span(finding.path, finding.line)
            raise PinningError(f"{finding.message} ({finding.code} {finding.name})", where)
    # The bot reads bump_number; files written by its own proposals spell it build_number.
    bump_key = "bump_number" if "bump_number" in raw.migrator else "build_number"
    return BotMigration(
        raw=raw,
        timestamp=str(raw.data[TIMESTAMP]),
        number=_integer(raw, "migration_number", 1),
        bump=_integer(raw, bump_key, 1),
        commit_message=_commit_message(raw),
        patches=_patches(raw),
    )


def find_migration(name: str, migrations_dir: Path | None) -> Path:
    """The pinning's file for ``name`` (a name, or a path whose file name the pinning has).

    Rerender drops feedstock migration files the pinning does not know, so a migration
    must be known to the pinning before it can be applied, tracked or closed.

    Raises:
        SmithyError: the pinning has no such migration, or a copy with another timestamp.
    """
    given = Path(name)
    stem = given.name[: -len(".yaml")] if given.name.endswith(".yaml") else given.name
    if migrations_dir is None:
        raise SmithyError("the pinning has no migrations folder (use --pinning DIR)")
    candidate = migrations_dir / f"{stem}.yaml"
    if not candidate.is_file():
        raise SmithyError(f"migration '{stem}' is not in the pinning ({migrations_dir})")
    if given.is_file() and given.resolve() != candidate.resolve():
        ours, theirs = load_migration(given), load_migration(candidate)
        if ours.timestamp != theirs.timestamp:
            raise SmithyError(
                f"the pinning's {stem}.yaml has migrator_ts {theirs.timestamp}, not "
                f"{ours.timestamp}",
                Span(str(given)),
            )
    return candidate
