"""One smithy run per feedstock at a time: an advisory lock on the feedstock folder itself.

The lock is ``flock`` on an open handle of the feedstock directory, so it creates no file that
could be committed or left behind, and the kernel drops it when the process dies (kill -9
included). Platforms without ``fcntl`` (Windows) run unlocked.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from smithy.errors import SmithyError, Span

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_POLL_SECONDS = 0.05


class FeedstockBusy(SmithyError):
    """Another smithy process holds the feedstock's lock."""


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def feedstock_lock(root: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the feedstock's lock for the ``with`` block, waiting up to ``wait`` seconds for it.

    Raises:
        FeedstockBusy: another smithy run still holds it after ``wait`` seconds.
        SmithyError: the folder cannot be opened.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError as exc:
        raise SmithyError(f"cannot open the feedstock ({exc.strerror})", Span(str(root))) from None
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                waited = f" after waiting {wait:g} s" if wait > 0 else " (--wait SECONDS waits)"
                raise FeedstockBusy(f"another smithy run holds {root}{waited}", Span(str(root)))
            time.sleep(_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the last handle releases the lock
