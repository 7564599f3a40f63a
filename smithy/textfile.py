"""Read user files as UTF-8 text, turning OS and decoding failures into SmithyErrors.

Files are changed through ``smithy.atomic`` (the journal), never here.

Every recipe, config and pinning file goes through here, so the size cap is checked once, while
reading: at most ``limit + 1`` bytes are read, whatever the file (or a device) holds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from smithy.errors import SmithyError, Span

DEFAULT_MAX_BYTES = 4 * 1024 * 1024  # 100 times the largest real recipe or pinning file
MAX_BYTES_VARIABLE = "SMITHY_MAX_FILE_MB"
_limit = {"bytes": DEFAULT_MAX_BYTES}


def set_max_bytes(limit: int) -> None:
    """Set the size cap for user text files, 0 for none (the CLI reads ``SMITHY_MAX_FILE_MB``)."""
    _limit["bytes"] = limit


def max_bytes() -> int:
    """The size cap for user text files, in bytes."""
    return _limit["bytes"]


def present(path: Path) -> bool:
    """Whether anything is at ``path``: a file, a folder, a device, a link (even a broken one).

    Use it, not ``is_file()``, to decide whether the user wrote a file smithy reads: a folder,
    a broken or looping link or a device in its place would otherwise pass for no file at all,
    and its defaults be used in silence. Reading what is there says what is wrong with it.
    """
    return os.path.lexists(path)


def read_user_text(
    path: Path, shown: str, error: type[SmithyError] = SmithyError, *, capped: bool = True
) -> str:
    """Return the text of ``path``; raise ``error`` at ``shown`` when it cannot be read.

    Args:
        path: the file.
        shown: how errors name it.
        error: the SmithyError subclass to raise.
        capped: refuse a file larger than ``max_bytes()`` (off for smithy's own graph files).
    """
    limit = max_bytes() if capped else 0
    try:
        with path.open("rb") as stream:
            data = _read_capped(stream, limit)
    except OSError as exc:
        raise _unreadable(error(f"cannot read: {exc.strerror or exc}", Span(shown))) from None
    if limit and len(data) > limit:
        line = data.count(b"\n", 0, limit) + 1
        raise _unreadable(
            error(
                f"file is larger than smithy's {_megabytes(limit)} limit for input files "
                f"(set {MAX_BYTES_VARIABLE} to raise it)",
                Span(shown, line),
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        span = _byte_span(shown, data, exc.start)
        raise _unreadable(error(f"not UTF-8 text ({exc.reason})", span)) from None


def _read_capped(stream: BinaryIO, limit: int) -> bytes:
    """All of ``stream``, but at most ``limit + 1`` bytes when ``limit`` is set.

    ``read(limit + 1)`` alone would allocate a buffer of the cap (4 MiB) for every file, ~80 us
    each; a read sized by the file's size does not. A file that grew since the ``fstat``, or a
    device or pipe (size 0), is read on up to the cap.
    """
    if not limit:
        return stream.read()
    size = os.fstat(stream.fileno()).st_size
    data = stream.read(min(size, limit) + 1)
    if size < len(data) <= limit:
        data += stream.read(limit + 1 - len(data))
    return data


def _unreadable(exc: SmithyError) -> SmithyError:
    exc.unreadable = True
    return exc


def _byte_span(shown: str, data: bytes, offset: int) -> Span:
    """Line and column of the undecodable byte at ``offset`` (the text before it is UTF-8)."""
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8")) + 1
    return Span(shown, data.count(b"\n", 0, offset) + 1, column)


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB"
