"""The only code that writes a rerender to disk: compare a plan with the tree, apply it atomically.

Applying stages every new file next to its target first, moves each file it replaces or removes
aside, and only then renames the staged files into place. Any failure puts every original back,
so a feedstock is never left half rerendered.
"""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.rerender.model import FeedstockPlan, FileStatus

_STAGED = ".smithy-new"
_ASIDE = ".smithy-old"


@dataclass(frozen=True, slots=True)
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


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SmithyError(f"cannot read ({exc.strerror})", Span(str(path))) from None


def _mode_differs(path: Path, mode: int) -> bool:
    # Only the executable bit matters: git records nothing else.
    return bool(mode & 0o111) != bool(path.stat().st_mode & 0o111)


def _check_no_symlink(root: Path, rel: str) -> None:
    """Refuse a generated path that is, or lies below, a symlink inside the feedstock.

    A pull request can plant ``.ci_support -> /`` or ``README.md -> ~/.bashrc``; following
    such links would read, write or delete files outside the feedstock.

    Raises:
        SmithyError: naming the link and what to do.
    """
    current = root
    for part in Path(rel).parts:
        current = current / part
        if current.is_symlink():
            shown = current.relative_to(root).as_posix()
            raise SmithyError(
                "is a symlink; smithy only writes real files inside the feedstock "
                "(remove the link and rerender)",
                Span(shown),
            )


def compare(root: Path, plan: FeedstockPlan) -> list[FileChange]:
    """Return one change per planned or removed file, sorted by path.

    A file whose bytes match but whose executable bit differs counts as an update.

    Raises:
        SmithyError: a generated path goes through a symlink, or cannot be read.
    """
    changes: list[FileChange] = []
    for rel in sorted({*plan.files, *plan.remove}):
        _check_no_symlink(root, rel)
    for rel, planned in sorted(plan.files.items()):
        target = root / rel
        old = _read(target)
        if old is None:
            status: FileStatus = "create"
        elif old != planned.content or _mode_differs(target, planned.mode):
            status = "update"
        else:
            status = "identical"
        changes.append(FileChange(rel, status, old, planned.content, planned.mode))
    for rel in sorted(set(plan.remove) - set(plan.files)):
        old = _read(root / rel)
        if old is not None:
            changes.append(FileChange(rel, "remove", old, None))
    return sorted(changes, key=lambda change: change.path)


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


@dataclass
class _Transaction:
    root: Path
    staged: list[tuple[Path, Path]]
    aside: list[tuple[Path, Path]]
    placed: list[Path]
    made: list[Path]

    def stage(self, change: FileChange) -> None:
        target = self.root / change.path
        self._make_parents(target.parent)
        temp = target.with_name(target.name + _STAGED)
        temp.unlink(missing_ok=True)  # a leftover or planted file/symlink: never write through it
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(temp, flags, 0o600), "wb") as stream:
            self.staged.append((temp, target))
            stream.write(change.new or b"")
        os.chmod(temp, change.mode)

    def _make_parents(self, folder: Path) -> None:
        missing = []
        while not folder.exists() and folder != self.root:
            missing.append(folder)
            folder = folder.parent
        for created in reversed(missing):
            created.mkdir()
            self.made.append(created)

    def move_aside(self, change: FileChange) -> None:
        target = self.root / change.path
        if target.exists():
            backup = target.with_name(target.name + _ASIDE)
            os.replace(target, backup)
            self.aside.append((backup, target))

    def commit(self) -> None:
        for temp, target in self.staged:
            os.replace(temp, target)
            self.placed.append(target)
        for backup, _ in self.aside:
            backup.unlink()

    def roll_back(self) -> None:
        for target in self.placed:
            target.unlink(missing_ok=True)
        for temp, _ in self.staged:
            temp.unlink(missing_ok=True)
        for backup, target in self.aside:
            os.replace(backup, target)
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only folders this run created, emptied above


def apply(root: Path, changes: Sequence[FileChange]) -> None:
    """Write, update and remove files as ``changes`` say, all or nothing.

    Raises:
        SmithyError: a file cannot be written; the feedstock is left as it was.
    """
    work = [change for change in changes if change.changes_anything]
    transaction = _Transaction(root, [], [], [], [])
    try:
        for change in work:
            if change.new is not None:
                transaction.stage(change)
        for change in work:
            transaction.move_aside(change)
        transaction.commit()
    except OSError as exc:
        transaction.roll_back()
        where = exc.filename or str(root)
        message = f"cannot write the rerender ({exc.strerror}); nothing was changed"
        raise SmithyError(message, Span(str(where))) from None
    _prune_empty_dirs(root, [change.path for change in work if change.new is None])


def _prune_empty_dirs(root: Path, removed: Iterable[str]) -> None:
    # A removed provider's folder (e.g. .azure-pipelines/) should not linger empty.
    for rel in removed:
        folder = (root / rel).parent
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
