"""Read and replace user files as UTF-8 text, turning OS and decoding failures into SmithyErrors."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from smithy.errors import SmithyError, Span


def read_user_text(path: Path, shown: str, error: type[SmithyError] = SmithyError) -> str:
    """Return the text of ``path``; raise ``error`` at ``shown`` when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason})", Span(shown)) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", Span(shown)) from None


def replace_user_text(path: Path, text: str, shown: str, what: str = "the file") -> None:
    """Atomically replace ``path`` (``what`` in the error) with ``text``, keeping its mode.

    The temporary file is created exclusively (never through a planted symlink or over an
    existing file) next to ``path``, so the final rename stays on one file system.

    Raises:
        SmithyError: the folder is not writable or the disk is full; ``path`` is unchanged.
    """
    temp = ""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        message = f"cannot write {what} ({exc.strerror or exc})"
        raise SmithyError(message, Span(shown)) from None
