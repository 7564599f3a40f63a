"""Replace one file so that a reader sees the old file or the new one whole, never a part.

For files smithy owns and rewrites alone (graph cache records, compiled templates, fleet
results, graph.json): one file at a time, no lock and no journal. A feedstock's own files, which
change together, go through ``journal`` instead.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

StreamWriter = Callable[[IO[bytes]], None]


def replace_file(target: Path, content: bytes | StreamWriter) -> None:
    """Write ``content`` to a hidden temporary file beside ``target``, then rename it over it.

    Args:
        target: the file to create or replace; its folder must exist.
        content: the new bytes, or a function that writes them to the open binary stream.

    Raises:
        OSError: the folder or the file cannot be written; the temporary file is gone again and
            ``target`` is as it was. The caller decides whether that is an error (results) or
            not (a cache).
    """
    temporary = target.parent / f".{target.name}.{os.urandom(8).hex()}.tmp"
    # 0o666 less the umask, as a plain open() gives (mkstemp would make every result 0o600).
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(content, bytes):
                stream.write(content)
            else:
                content(stream)
        os.replace(temporary, target)
    except BaseException:  # a failed write or an interrupt: leave no temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
