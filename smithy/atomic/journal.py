"""Apply file changes to a feedstock so that a kill at any instant is finished by the next run.

Layout of the work area ``<feedstock>/.smithy-apply/`` (it holds a ``.gitignore`` of ``*``, so
nothing in it can be committed, whatever the feedstock's own ``.gitignore`` says):

    new/<path>     every new file, written in full before anything in the tree moves
    old/<path>     each replaced or removed original, moved aside just before its replacement
    journal.json   the intent record: written (atomically) once every new file is staged

Before the journal exists the tree is untouched, so recovery deletes the work area (old tree).
Once it exists, recovery rolls forward (new tree): every step is idempotent, so a kill during
recovery is finished by the next recovery. An error inside this process rolls back instead.
Data files are not fsynced (a kill -9 loses no written page; a power cut is another matter);
the journal is.

Cost: a rerender of a big matrix writes hundreds of files, so the loops use ``os`` calls on
strings and look at each path once: every target is examined (``lstat``) once before the journal
is written, each folder is checked for links and created once, and the apply that staged the
files moves them on that knowledge. Only recovery, which may find any state, checks each step
again. The order of the moves, the journal and what recovery does are the same either way.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import shutil
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from smithy.atomic.links import LinkGuard
from smithy.errors import SmithyError, Span
from smithy.records import frozen_record

WORK_AREA = ".smithy-apply"
_JOURNAL = "journal.json"
_FORMAT = 1
_RECOVER = "cannot finish an interrupted smithy write"
# Leftovers of smithy releases that staged next to each target; recovery removes them.
LEGACY_SUFFIXES = (".smithy-new", ".smithy-old")


@frozen_record
class Step:
    """One file to place (``content`` set) or remove (``content`` None)."""

    path: str
    content: bytes | None
    mode: int = 0o644


class _Area:
    """Paths inside the work area of one feedstock (strings: they are built once per file)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root / WORK_AREA
        self.journal = self.base / _JOURNAL
        self._new = os.path.join(self.base, "new")
        self._old = os.path.join(self.base, "old")

    def new(self, rel: str) -> str:
        return os.path.join(self._new, rel)

    def old(self, rel: str) -> str:
        return os.path.join(self._old, rel)


class _Folders:
    """Creates folders on demand, each once (``makedirs`` for every file is two system calls)."""

    def __init__(self) -> None:
        self._ready: set[str] = set()

    def ensure(self, folder: str) -> None:
        if folder not in self._ready:
            os.makedirs(folder, exist_ok=True)
            self._ready.add(folder)


def _check_area(area: _Area) -> None:
    if area.base.is_symlink() or (area.base.exists() and not area.base.is_dir()):
        raise SmithyError(
            "is not smithy's work folder (a symlink or a file); remove it and rerun",
            Span(WORK_AREA),
        )


def _write_file(path: str, content: bytes, mode: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
    finally:
        os.close(fd)
    if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
        os.chmod(path, mode)


def _write_journal(area: _Area, record: _Record) -> None:
    data = {
        "format": _FORMAT,
        "steps": [{"path": p, "place": place, "had": had} for p, place, had in record.steps],
        "made_dirs": list(record.made_dirs),
    }
    temp = area.base / (_JOURNAL + ".tmp")
    with open(temp, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temp, area.journal)  # the commit point: from here on, recovery rolls forward
    _fsync_dir(area.base)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@frozen_record
class _Record:
    steps: tuple[tuple[str, bool, bool], ...]  # (path, place a new file, had an original)
    made_dirs: tuple[str, ...]


def _safe_rel(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("path is not a string")
    pure = PurePosixPath(value)
    if pure.is_absolute() or ".." in pure.parts or "\\" in value or pure.as_posix() != value:
        raise ValueError(f"path {value!r} leaves the feedstock")
    # A journal could be planted by a pull request: never let it write git hooks or config.
    if any(part.lower() in (".git", WORK_AREA) for part in pure.parts):
        raise ValueError(f"path {value!r} is not a file smithy generates")
    return value


def _read_journal(area: _Area) -> _Record:
    try:
        data = json.loads(area.journal.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        steps = tuple(
            (_safe_rel(s["path"]), bool(s["place"]), bool(s["had"])) for s in data["steps"]
        )
        made = tuple(_safe_rel(d) for d in data["made_dirs"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SmithyError(
            f"{_RECOVER}: unreadable journal ({exc}); remove {WORK_AREA}/ and run smithy again",
            Span(f"{WORK_AREA}/{_JOURNAL}"),
        ) from None
    return _Record(steps, made)


def _missing_parents(root: Path, steps: Sequence[Step], present: Sequence[bool]) -> list[str]:
    """Folders the placed files need that do not exist yet (each folder is looked at once)."""
    base = os.fspath(root)
    missing: set[str] = set()
    existing = {""}
    for step, there in zip(steps, present, strict=True):
        if step.content is None or there:
            continue  # a file that is there has its folder
        folder = posixpath.dirname(step.path)
        while folder not in existing and folder not in missing:
            if os.path.exists(os.path.join(base, folder)):
                existing.add(folder)
                break
            missing.add(folder)
            folder = posixpath.dirname(folder)
    return sorted(missing)


def _forward(area: _Area, record: _Record, present: Sequence[bool] | None = None) -> None:
    """Finish the apply.

    Recovery (``present`` None) may find any step done or not, so each step checks first.
    The apply that staged every file and recorded which targets exist (``present``, from the
    ``lstat`` made for the journal, under the lock, after which this process changed nothing
    in the tree) moves the files on that knowledge: the same moves in the same order.
    """
    root = os.fspath(area.root)
    guard = LinkGuard(area.root)
    folders = _Folders()
    for index, (rel, place, _had) in enumerate(record.steps):
        target, staged = os.path.join(root, rel), area.new(rel)
        if present is None:
            there = _exists(guard, rel)  # refuses a link, even for a step already done
            if place and not os.path.exists(staged):
                continue  # placed by an earlier run
        else:
            there = present[index]
        if there:
            aside = area.old(rel)
            folders.ensure(os.path.dirname(aside))
            os.replace(target, aside)
        if place:
            folders.ensure(os.path.dirname(target))
            os.replace(staged, target)
    prune_empty_dirs(area.root, [rel for rel, place, _had in record.steps if not place])


def _exists(guard: LinkGuard, rel: str) -> bool:
    """Whether ``rel`` is there, of any kind; below a file it is not (as ``Path.exists`` says)."""
    try:
        return guard.lstat(rel) is not None
    except NotADirectoryError:
        return False


def _backward(area: _Area, record: _Record) -> None:
    """Undo the apply: put every original back and take away every file that had none."""
    root = os.fspath(area.root)
    for rel, place, had in reversed(record.steps):
        target, staged, aside = os.path.join(root, rel), area.new(rel), area.old(rel)
        if os.path.exists(aside):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(aside, target)
        elif place and not had and not os.path.exists(staged):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)  # placed, and there was no original to put back
    for rel in reversed(record.made_dirs):
        with contextlib.suppress(OSError):
            os.rmdir(os.path.join(root, rel))  # only folders the apply created, if empty


def _discard(area: _Area) -> None:
    area.journal.unlink(missing_ok=True)  # first: without it, the rest is only litter
    shutil.rmtree(area.base, ignore_errors=True)


def _remove_legacy_leftovers(root: Path, rels: Iterable[str]) -> None:
    folders = {(root / rel).parent for rel in rels}
    for folder in sorted(folders):
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(LEGACY_SUFFIXES) and not entry.is_dir(follow_symlinks=False):
                    os.unlink(entry.path)


def recover(root: Path) -> bool:
    """Finish an apply that a kill interrupted, or discard one that never started moving files.

    Returns:
        Whether there was anything to recover.

    Raises:
        SmithyError: the journal is unreadable, or a file cannot be moved (the journal is kept,
            so the next run tries again).
    """
    area = _Area(root)
    _check_area(area)
    if not area.base.exists():
        return False
    if area.journal.exists():
        record = _read_journal(area)
        try:
            _forward(area, record)
        except OSError as exc:
            raise _os_error(exc, root, _RECOVER, "the next smithy run tries again") from None
        _remove_legacy_leftovers(root, [step[0] for step in record.steps])
    _discard(area)
    return True


def apply_steps(root: Path, steps: Sequence[Step], *, what: str = "the rerender") -> None:
    """Apply ``steps``: all of them, or (on an error in this process) none of them.

    Args:
        root: the folder the steps' paths are relative to (the feedstock root).
        steps: the files to place or remove.
        what: how an error names the change (``cannot write <what>``).

    Raises:
        SmithyError: a file cannot be written, or a path goes through a symlink; the
            feedstock is left as it was.
    """
    write = f"cannot write {what}"
    recover(root)
    _remove_legacy_leftovers(root, [step.path for step in steps])
    if not steps:
        return
    area = _Area(root)
    try:
        area.base.mkdir()
        (area.base / ".gitignore").write_text("*\n", encoding="utf-8")
        _stage(area, steps)
        record, present = _record(root, steps)
        _write_journal(area, record)
    except (OSError, SmithyError) as exc:
        _discard(area)  # nothing in the tree has moved yet
        if isinstance(exc, SmithyError):
            raise
        raise _os_error(exc, root, write, "nothing was changed") from None
    # Each path once: a path given twice could change between the lstat and its second move.
    unique = len({step.path for step in steps}) == len(steps)
    try:
        _forward(area, record, present if unique else None)
    except OSError as exc:
        try:
            _backward(area, record)
        except OSError:
            raise _os_error(exc, root, write, "the next smithy run finishes it") from None
        _discard(area)
        raise _os_error(exc, root, write, "nothing was changed") from None
    _discard(area)


def _stage(area: _Area, steps: Sequence[Step]) -> None:
    folders = _Folders()
    for step in steps:
        if step.content is not None:
            staged = area.new(step.path)
            folders.ensure(os.path.dirname(staged))
            _write_file(staged, step.content, step.mode)


def _record(root: Path, steps: Sequence[Step]) -> tuple[_Record, list[bool]]:
    """The journal's record, and for each step whether its target exists (of any kind).

    Raises:
        SmithyError: a path goes through a symlink (refused before anything moves).
    """
    guard = LinkGuard(root)
    statuses = [guard.lstat(step.path) for step in steps]
    present = [status is not None for status in statuses]
    entries = tuple(
        (s.path, s.content is not None, status is not None and stat.S_ISREG(status.st_mode))
        for s, status in zip(steps, statuses, strict=True)
    )
    return _Record(entries, tuple(_missing_parents(root, steps, present))), present


def _os_error(exc: OSError, root: Path, what: str, outcome: str) -> SmithyError:
    where = str(exc.filename or root)
    with contextlib.suppress(ValueError):
        where = Path(where).relative_to(root).as_posix()
    return SmithyError(f"{what} ({exc.strerror or exc}); {outcome}", Span(where))


def prune_empty_dirs(root: Path, removed: Iterable[str]) -> None:
    """Remove folders left empty by removed files (e.g. ``.azure-pipelines/``), up to ``root``."""
    base = os.fspath(root)
    # Each folder once, deepest first: a parent is looked at after its children went.
    starts = {posixpath.dirname(rel) for rel in removed}
    for start in sorted(starts, key=lambda folder: (-folder.count("/"), folder)):
        folder = start
        while folder:
            path = os.path.join(base, folder)
            # A folder already gone was removed by a run that a kill stopped: look above it.
            if os.path.isdir(path):
                with os.scandir(path) as entries:
                    if next(entries, None) is not None:
                        break
                os.rmdir(path)
            folder = posixpath.dirname(folder)
