"""Close a finished migration: fold its keys into the pinning, then drop its file."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from smithy.atomic.journal import Step, apply_steps
from smithy.bot.migration import BotMigration
from smithy.errors import SmithyError, Span
from smithy.graph.migration.status import MigrationStatus, Status

_TOP_KEY = re.compile(r"^([A-Za-z_][\w.\-]*)[ \t]*:")
# Migrations whose effect is not "these sections, as written" cannot be folded by text.
_NOT_FOLDABLE = ("operation", "additional_zip_keys")
# Top-level keys that would replace a whole shared section of the pinning.
_SHARED_SECTIONS = ("zip_keys", "pin_run_as_build")


@dataclass(frozen=True, slots=True)
class ClosePlan:
    """The close-out of a migration.

    Attributes:
        cbc: the pinning's conda_build_config.yaml.
        old: its text now.
        new: its text with the migration folded in.
        migration_file: the file to delete.
        replaced: keys whose sections were replaced.
        added: keys the pinning did not have (appended).
    """

    cbc: Path
    old: str
    new: str
    migration_file: Path
    replaced: tuple[str, ...]
    added: tuple[str, ...]


def _sections(text: str) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """Lines (with ends) and top-level key -> [first, end) line range of its section.

    A section is its key line and the lines after it that are indented or list items; blank
    and column-0 comment lines after it belong to whatever follows.
    """
    lines = text.splitlines(keepends=True)
    found: dict[str, tuple[int, int]] = {}
    index = 0
    while index < len(lines):
        match = _TOP_KEY.match(lines[index])
        if not match:
            index += 1
            continue
        end = index + 1
        last = end
        while end < len(lines) and not _TOP_KEY.match(lines[end]):
            stripped = lines[end].strip()
            if stripped and not lines[end].startswith("#"):
                last = end + 1
            end += 1
        found[match.group(1)] = (index, last)
        index = last
    return lines, found


def fold_migration(
    cbc_text: str, migration_text: str, keys: tuple[str, ...]
) -> tuple[str, list[str]]:
    """``cbc_text`` with each key's section replaced by the migration's (appended if new)."""
    lines, sections = _sections(cbc_text)
    mig_lines, mig_sections = _sections(migration_text)
    replacements: dict[int, tuple[int, list[str]]] = {}
    added: list[str] = []
    for key in keys:
        first, last = mig_sections[key]
        block = mig_lines[first:last]
        if block and not block[-1].endswith("\n"):
            block[-1] += "\n"
        if key in sections:
            start, end = sections[key]
            replacements[start] = (end, block)
        else:
            added.append(key)
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index in replacements:
            end, block = replacements[index]
            out += block
            index = end
        else:
            out.append(lines[index])
            index += 1
    if added:
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
        for key in added:
            first, last = mig_sections[key]
            out += mig_lines[first:last]
    return "".join(out), added


def plan_close(migration: BotMigration, cbc: Path, status: MigrationStatus) -> ClosePlan:
    """Fold ``migration`` into ``cbc`` once every member feedstock is done.

    Raises:
        SmithyError: members not done (named), or a migration that cannot be folded as text.
    """
    stragglers = [e.name for e in status.feedstocks if e.status not in _CLOSED]
    if stragglers:
        shown = ", ".join(stragglers[:20]) + (" ..." if len(stragglers) > 20 else "")
        raise SmithyError(
            f"{len(stragglers)} feedstock(s) not done: {shown}", Span(str(migration.raw.path))
        )
    for key in _NOT_FOLDABLE:
        if key in migration.raw.migrator:
            raise SmithyError(
                f"a migration with __migrator.{key} cannot be folded as text; edit the pinning",
                migration.raw.span(f"__migrator.{key}"),
            )
    for key in _SHARED_SECTIONS:
        if key in migration.raw.data:
            raise SmithyError(
                f"a migration with its own {key} cannot be folded as text; edit the pinning",
                migration.raw.span(key),
            )
    keys = migration.raw.variant_keys
    try:
        old = cbc.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SmithyError(f"cannot read: {exc}", Span(str(cbc))) from None
    new, added = fold_migration(old, migration.raw.text, keys)
    replaced = tuple(k for k in keys if k not in added)
    return ClosePlan(cbc, old, new, migration.raw.path, replaced, tuple(added))


_CLOSED = (Status.done, Status.not_applicable)


def write_close(plan: ClosePlan) -> None:
    """Write the folded pinning and delete the migration file: both, or (on an error) neither.

    The two changes go through the journal, rooted at the folder holding both files, so a kill
    between them is finished by the next smithy run on that folder.

    Raises:
        SmithyError: a file cannot be written or removed; the pinning is left as it was.
    """
    cbc, migration = plan.cbc.resolve(), plan.migration_file.resolve()
    root = Path(os.path.commonpath([cbc.parent, migration.parent]))
    try:
        mode = stat.S_IMODE(cbc.stat().st_mode)
    except OSError as exc:
        raise SmithyError(f"cannot read: {exc.strerror}", Span(str(plan.cbc))) from None
    steps = [
        Step(cbc.relative_to(root).as_posix(), plan.new.encode("utf-8"), mode),
        Step(migration.relative_to(root).as_posix(), None),
    ]
    apply_steps(root, steps, what="the closed migration")
    migration.parent.mkdir(exist_ok=True)  # the journal prunes an emptied folder; keep it
