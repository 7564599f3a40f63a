"""What a migration-file rule reads: the raw file, the pinning's keys and zips, other files."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smithy.errors import SmithyError
from smithy.lint.finding import Problem
from smithy.platforms import selector_namespace
from smithy.records import frozen_record
from smithy.variants.migration_files import RawMigration
from smithy.variants.migrations import migration_from_text

# Zip lengths are checked on one platform of each OS: selectors mostly split by OS.
ZIP_PLATFORMS = ("linux-64", "osx-arm64", "win-64")
_TS_LINE = re.compile(r"^migrator_ts:.*$", re.MULTILINE)


@frozen_record
class Rendered:
    """The file with selectors applied for each of ``ZIP_PLATFORMS``, or why it cannot be.

    Attributes:
        specs: platform -> variant keys and values.
        error: the problem that stopped the reading, or None.
    """

    specs: Mapping[str, Mapping[str, Any]]
    error: Problem | None = None


@dataclass(frozen=True)
class MigrationContext:
    """One migration file and what it is checked against.

    Attributes:
        mig: the file as written.
        pinning_keys: keys of the global pinning (None: that check is skipped).
        pinning_zips: the pinning's zip_keys groups.
        earlier_timestamps: ``migrator_ts`` text -> file, for live files and those linted before.
    """

    mig: RawMigration
    pinning_keys: frozenset[str] | None = None
    pinning_zips: Sequence[Sequence[str]] = ()
    earlier_timestamps: Mapping[str, Path] = field(default_factory=dict)

    def problem(self, message: str, key: str = "") -> Problem:
        """A problem at ``key`` (``name`` or ``__migrator.name``), or on the whole file."""
        return Problem(message, self.mig.span(key).line)

    @functools.cached_property
    def rendered(self) -> Rendered:
        """The file read per platform (a bad timestamp has its own rule, so it is left out)."""
        specs: dict[str, Mapping[str, Any]] = {}
        for platform in ZIP_PLATFORMS:
            try:
                # As rerender reads it: the __migrator settings it refuses are problems too.
                specs[platform] = migration_from_text(
                    _TS_LINE.sub("", self.mig.text),
                    file=self.mig.path,
                    namespace=selector_namespace(platform),
                    env={},
                    path=str(self.mig.path),
                ).spec
            except SmithyError as exc:
                line = exc.span.line if exc.span else 0
                return Rendered(specs, Problem(exc.message, line))
        return Rendered(specs)
