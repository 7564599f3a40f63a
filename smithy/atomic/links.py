"""Generated paths never go through a symlink inside the feedstock.

A pull request can plant ``.ci_support -> /`` or ``README.md -> ~/.bashrc``; following such
links would read, write or delete files outside the feedstock.
"""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path

from smithy.errors import SmithyError, Span


def _link_error(rel: str) -> SmithyError:
    return SmithyError(
        "is a symlink; smithy only writes real files inside the feedstock "
        "(remove the link and rerender)",
        Span(rel),
    )


class LinkGuard:
    """Checks generated paths below one root, each folder on the way once.

    A guard lives for one compare or one apply: smithy holds the feedstock's lock then and
    creates no links itself, so a folder found to be no link stays so (a folder the apply
    creates is a real one). Checking ``.ci_support`` once instead of for each of its hundreds of
    job files is most of what a rerender's writing costs in system calls.
    """

    def __init__(self, root: Path) -> None:
        self._root = os.fspath(root)
        self._checked: set[str] = {""}  # folders (relative) known to be no symlink

    def lstat(self, rel: str) -> os.stat_result | None:
        """The status of ``rel`` itself (None: absent), refusing a symlink at or above it.

        Raises:
            SmithyError: naming the first link on the way and what to do.
            OSError: the path cannot be examined (e.g. a file where a folder should be).
        """
        self._check_folder(posixpath.dirname(rel))
        try:
            status = os.lstat(os.path.join(self._root, rel))
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(status.st_mode):
            raise _link_error(rel)
        return status

    def _check_folder(self, folder: str) -> None:
        if folder in self._checked:
            return
        self._check_folder(posixpath.dirname(folder))  # the first link from the top is named
        if os.path.islink(os.path.join(self._root, folder)):
            raise _link_error(folder)
        self._checked.add(folder)
