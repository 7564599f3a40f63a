"""Scaffold a CFEP-9 migration file for a pin bump, with a timestamp no other file uses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.graph.impact import migration_file_stem
from smithy.variants.migration_files import timestamp_text

_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_VERSION = re.compile(r"[A-Za-z0-9_.*+!\-]+")


@dataclass(frozen=True, slots=True)
class NewMigration:
    """A migration file to write.

    Attributes:
        path: where it goes (``<dir>/<key><version without dots>.yaml``).
        text: its content.
        timestamp: its ``migrator_ts`` (identity and application order).
    """

    path: Path
    text: str
    timestamp: int


def _used_timestamps(directory: Path) -> set[str]:
    used: set[str] = set()
    if directory.is_dir():
        for path in sorted(directory.glob("*.y*ml")):
            try:
                found = timestamp_text(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
            if found is not None:
                used.add(found.split(".", 1)[0])
    return used


def _check(key: str, version: str) -> None:
    if not _KEY.fullmatch(key):
        raise SmithyError(f"'{key}' is not a pinning key (letters, digits, '_', '-', '.')")
    if not _VERSION.fullmatch(version):
        raise SmithyError(f"'{version}' is not a version (no spaces or quotes)")


def new_migration(
    key: str,
    version: str,
    *,
    directory: Path,
    now: float,
    also: Sequence[str] = (),
    message: str | None = None,
) -> NewMigration:
    """Plan a ``kind: version`` migration moving ``key`` (and ``also`` keys) to ``version``.

    The timestamp is ``now`` in whole seconds, moved forward past any timestamp another file
    in ``directory`` uses: ``migrator_ts`` is a migration's identity and must be unique.

    Args:
        key: the pinning key to move.
        version: its new value.
        directory: the pinning's migrations folder (read only, to avoid clashes).
        now: the current time as a Unix timestamp.
        also: keys that must move together with ``key`` (same version).
        message: the commit message; ``Rebuild for <key> <version>`` by default.

    Raises:
        SmithyError: a bad key or version, or the file exists already.
    """
    keys = [key, *[extra for extra in also if extra != key]]
    for name in keys:
        _check(name, version)
    path = directory / f"{migration_file_stem(key, version)}.yaml"
    if path.exists():
        raise SmithyError("migration file exists already", Span(str(path)))
    used = _used_timestamps(directory)
    stamp = int(now)
    while str(stamp) in used:
        stamp += 1
    title = message or f"Rebuild for {key} {version}"
    lines = [
        "__migrator:",
        "  kind: version",
        "  migration_number: 1",
        "  bump_number: 1",
        f"  commit_message: {_quote(title)}",
    ]
    for name in keys:
        lines += [f"{name}:", f"  - {_quote(version)}"]
    lines.append(f"migrator_ts: {stamp}")
    return NewMigration(path=path, text="\n".join(lines) + "\n", timestamp=stamp)


def _quote(text: str) -> str:
    # Always single-quoted: versions such as 3.10 must stay strings, not become floats.
    return "'" + text.replace("'", "''") + "'"
