"""The only code that writes a rerender to disk: compare a plan with the tree, apply it atomically.

Applying goes through ``journal``: every new file is staged first, an intent record is written,
and only then are files moved; a failure puts every original back, and a kill is finished by the
next smithy run, so a feedstock is never left half rerendered.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from smithy.atomic.journal import Step, apply_steps
from smithy.atomic.links import LinkGuard
from smithy.errors import SmithyError, Span
from smithy.records import record
from smithy.rerender.manifest import read_manifest
from smithy.rerender.model import FeedstockPlan, FileStatus


@record
class FileChange:
    """What applying a plan does to one file.

    Attributes:
        path: relative to the feedstock root (POSIX separators).
        status: create, update, identical or remove.
        old: current bytes (None when absent).
        new: wanted bytes (None for a removal).
        mode: wanted permission bits.
    """

    path: str
    status: FileStatus
    old: bytes | None
    new: bytes | None
    mode: int = 0o644

    @property
    def changes_anything(self) -> bool:
        """Whether applying this change touches the disk."""
        return self.status != "identical"


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_file(path: str, size: int) -> bytes:
    """The bytes of the file at ``path``; ``size`` (from its ``lstat``) sizes the first read."""
    fd = os.open(path, _READ_FLAGS)
    try:
        chunks = [os.read(fd, size + 1)]
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 16))
    finally:
        os.close(fd)
    return b"".join(chunks)


def _current(root: Path, rel: str, status: os.stat_result | None) -> tuple[bytes, int] | None:
    """The bytes and mode of ``rel`` (None: absent), read only when its ``lstat`` found it."""
    if status is None:
        return None
    try:
        return _read_file(os.path.join(root, rel), status.st_size), status.st_mode
    except OSError as exc:
        raise SmithyError(f"cannot read ({exc.strerror})", Span(str(root / rel))) from None


def _statuses(root: Path, paths: Iterable[str]) -> dict[str, os.stat_result | None]:
    """``lstat`` of each path (None: absent), every link at or above one refused first."""
    guard = LinkGuard(root)
    found = {}
    for rel in paths:
        try:
            found[rel] = guard.lstat(rel)
        except OSError as exc:
            raise SmithyError(f"cannot read ({exc.strerror})", Span(str(root / rel))) from None
    return found


def compare(root: Path, plan: FeedstockPlan) -> list[FileChange]:
    """Return one change per planned or removed file, sorted by path.

    A file whose bytes match but whose executable bit differs counts as an update (only that
    bit matters: git records nothing else).

    Raises:
        SmithyError: a generated path goes through a symlink, or cannot be read.
    """
    statuses = _statuses(root, sorted({*plan.files, *plan.remove}))
    changes: list[FileChange] = []
    for rel, status in statuses.items():
        planned = plan.files.get(rel)
        found = _current(root, rel, status)
        old = None if found is None else found[0]
        if planned is None:
            if old is not None:
                changes.append(FileChange(rel, "remove", old, None))
            continue
        kind: FileStatus
        if found is None:
            kind = "create"
        elif old != planned.content or bool(planned.mode & 0o111) != bool(found[1] & 0o111):
            kind = "update"
        else:
            kind = "identical"
        changes.append(FileChange(rel, kind, old, planned.content, planned.mode))
    return changes


def _text(content: bytes | None) -> list[str]:
    if content is None:
        return []
    return content.decode("utf-8", errors="replace").splitlines(keepends=True)


def unified_diff(changes: Iterable[FileChange]) -> str:
    """A unified diff of every change, as ``git diff`` would show it (a/ and b/ prefixes)."""
    parts: list[str] = []
    for change in changes:
        if not change.changes_anything:
            continue
        before = "/dev/null" if change.old is None else f"a/{change.path}"
        after = "/dev/null" if change.new is None else f"b/{change.path}"
        lines = list(difflib.unified_diff(_text(change.old), _text(change.new), before, after))
        if not lines:  # same text, different mode
            lines = [f"mode change {change.path} -> {oct(change.mode)}\n"]
        parts.extend(line if line.endswith("\n") else line + "\n" for line in lines)
    return "".join(parts)


def apply(root: Path, changes: Sequence[FileChange]) -> None:
    """Write, update and remove files as ``changes`` say, all or nothing, surviving a kill.

    An apply interrupted by kill -9 is finished by the next call (see ``journal``); stray
    files of older smithy releases next to the changed paths are removed.

    Raises:
        SmithyError: a file cannot be written; the feedstock is left as it was.
    """
    steps = [
        Step(change.path, change.new, change.mode) for change in changes if change.changes_anything
    ]
    apply_steps(root, steps)


@record
class RemovalNote:
    """Why a rerender removes a file in ``.ci_support/`` that smithy did not generate."""

    path: str
    reason: str


_FOREIGN_JOB = (
    "smithy did not generate it; .ci_support/ holds only generated job files (conda-smithy "
    "removes such files too) and no job of the new matrix has this name"
)
_FINISHED = "a migration the pinning no longer has (finished); the feedstock's copy is dropped"


def explain_removals(
    root: Path, changes: Iterable[FileChange], finished: Collection[Path]
) -> tuple[RemovalNote, ...]:
    """Name each removal under ``.ci_support/`` of a file smithy did not write, and why.

    Args:
        root: the feedstock root (its manifest lists what smithy wrote last time).
        changes: the compared plan.
        finished: feedstock migration files the pinning no longer has.
    """
    previous = read_manifest(root)
    generated = set(previous.paths) if previous is not None else set()
    done = {path.relative_to(root).as_posix() for path in finished}
    notes = []
    for change in changes:
        path = change.path
        if change.status != "remove" or not path.startswith(".ci_support/"):
            continue
        if path in done:
            notes.append(RemovalNote(path, _FINISHED))
        elif path not in generated:
            notes.append(RemovalNote(path, _FOREIGN_JOB))
    return tuple(notes)
