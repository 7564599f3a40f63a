"""smithy's cache folder in the user's home, and the checked record files kept below it.

The pinning and graph records and the compiled-template caches live in that folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import time
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import platformdirs

_APP = "smithy"


def smithy_cache_dir(environ: Mapping[str, str]) -> Path | None:
    r"""Return smithy's cache folder, or None when no absolute one can be found.

    ``XDG_CACHE_HOME`` is read from ``environ`` (so callers and tests can pass their own) and, as
    the XDG rules say, only when absolute: ``$XDG_CACHE_HOME/smithy``. Otherwise platformdirs
    gives the platform's user cache folder: ``~/.cache/smithy`` on Linux,
    ``~/Library/Caches/smithy`` on macOS, ``%LOCALAPPDATA%\smithy\Cache`` on Windows.
    """
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg, _APP)
    try:
        found = Path(platformdirs.user_cache_dir(_APP, appauthor=False))
    except RuntimeError:  # platformdirs: no absolute home folder
        return None
    return found if found.is_absolute() else None


def cache_subdir(environ: Mapping[str, str] | None, name: str) -> Path | None:
    """Return the folder ``name`` in smithy's cache folder, or None for no disk cache.

    ``environ`` is None when the caller gave no environment: library callers then write nothing
    outside the feedstock.
    """
    if environ is None:
        return None
    base = smithy_cache_dir(environ)
    return None if base is None else base / name


@contextlib.contextmanager
def folder_for_block(var: ContextVar[Path | None], folder: Path | None) -> Iterator[None]:
    """Set the cache folder ``var`` names to ``folder`` during the block (None: no disk cache)."""
    token = var.set(folder)
    try:
        yield
    finally:
        var.reset(token)


# A record file: a magic line, the 64-hex-digit key it was made for, the SHA-256 of the payload,
# then the payload in marshal's format (as Python's own __pycache__ files hold code).
_DIGEST = 64


def sha256_hex(data: bytes) -> bytes:
    """The SHA-256 of ``data`` as 64 ASCII hex digits."""
    return hashlib.sha256(data).hexdigest().encode("ascii")


def encode_record(magic: bytes, key: bytes, value: Any) -> bytes:  # Any: marshal's plain data
    """The file holding ``value`` made for ``key`` (64 hex digits).

    Raises:
        ValueError: ``value`` is not data marshal can write.
    """
    payload = marshal.dumps(value)
    return b"".join((magic, key, b"\n", sha256_hex(payload), b"\n", payload))


def record_header_size(magic: bytes) -> int:
    """Bytes before a record's payload: the magic line, the key line and the digest line."""
    return len(magic) + 2 * (_DIGEST + 1)


def decode_record(magic: bytes, data: bytes) -> tuple[bytes, object] | None:
    """(key, value) from a record file, or None when it is not a whole one of this kind."""
    head = record_header_size(magic)
    if len(data) < head or not data.startswith(magic):
        return None
    payload = data[head:]
    if data[head - _DIGEST - 1 : head - 1] != sha256_hex(payload):
        return None
    try:
        return data[len(magic) : len(magic) + _DIGEST], marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def discard(path: Path) -> None:
    """Delete a cache file that cannot be used (gone already or not ours: harmless)."""
    with contextlib.suppress(OSError):
        path.unlink()


# Record folders are named by a 20-hex-digit tag of the code that made them; other tags belong to
# other smithy (or jinja, Python) versions. Another installed version may still use its folder,
# so one is pruned only when nothing in it changed for this long.
_TAG = re.compile(r"[0-9a-f]{20}")
UNUSED_FOR = 14 * 24 * 3600.0
_NO_LINKS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_NO_LINKS |= getattr(os, "O_DIRECTORY", 0)  # (Windows cannot open folders: no pruning there)


def prune_other_tags(
    parent: Path, keep: str, suffix: str, *, unused_for: float = UNUSED_FOR
) -> None:
    """Delete the record folders in ``parent`` other than ``keep`` left unused for ``unused_for`` s.

    Only what smithy writes goes: folders named like a tag holding nothing but record files
    (``<sha256><suffix>``) and the temporary files of a killed writer; a folder holding anything
    else is left whole. Symbolic links are never followed (folders are opened ``O_NOFOLLOW`` and
    worked on through their descriptors). Another process writing or pruning at the same time
    only makes a step fail, which is ignored: nothing here raises.
    """
    record = re.compile(rf"\.?[0-9a-f]{{64}}{re.escape(suffix)}(?:\.[0-9a-f]{{16}}\.tmp)?")
    with contextlib.suppress(OSError), _opened(parent) as parent_fd:
        with os.scandir(parent_fd) as entries:
            names = [entry.name for entry in entries if entry.name != keep]
        for name in filter(_TAG.fullmatch, names):
            with contextlib.suppress(OSError):
                _prune_folder(parent_fd, name, record, time.time() - unused_for)


def write_record_file(path: Path, data: bytes, suffix: str) -> bool:
    """Write one cache record (folder made, file replaced whole); False if it cannot be written.

    After a write, other smithy releases' tag folders beside this one are pruned (once per
    process): the caches keep one folder per release, named by its tag.
    """
    # Imported here: only a rerender writes, and lint must not load the writing modules.
    from smithy.atomic.single_file import replace_file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError:  # a read-only or unusable folder: the caller prepares again next time
        return False
    prune_other_tags_once(path.parent.parent, path.parent.name, suffix)
    return True


@functools.cache
def prune_other_tags_once(parent: Path, keep: str, suffix: str) -> None:
    """:func:`prune_other_tags`, at most once per process (the caches call it after a write)."""
    prune_other_tags(parent, keep, suffix)


def _prune_folder(parent_fd: int, name: str, record: re.Pattern[str], before: float) -> None:
    with _opened(name, parent_fd) as fd:
        with os.scandir(fd) as found:
            entries = list(found)
        if not all(record.fullmatch(e.name) and e.is_file(follow_symlinks=False) for e in entries):
            return  # not (only) smithy's: left alone
        newest = max(
            [os.stat(fd).st_mtime, *(e.stat(follow_symlinks=False).st_mtime for e in entries)]
        )
        if newest > before:
            return
        for entry in entries:
            os.unlink(entry.name, dir_fd=fd)
    os.rmdir(name, dir_fd=parent_fd)  # fails, harmlessly, when a writer added a file meanwhile


@contextlib.contextmanager
def _opened(path: Path | str, dir_fd: int | None = None) -> Iterator[int]:
    fd = os.open(path, _NO_LINKS, dir_fd=dir_fd)
    try:
        yield fd
    finally:
        os.close(fd)
