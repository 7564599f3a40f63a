"""A feedstock session: its lock held, and any write a kill interrupted finished first."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from smithy.atomic.journal import recover
from smithy.atomic.lock import feedstock_lock


@contextlib.contextmanager
def feedstock_session(root: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the feedstock's lock, first finishing any write that a kill interrupted.

    Every command that reads generated files or writes the feedstock runs inside one, so it
    never sees (or adds to) a half-applied tree.

    Raises:
        FeedstockBusy: another smithy run holds the feedstock after ``wait`` seconds.
        SmithyError: the interrupted write cannot be finished.
    """
    with feedstock_lock(root, wait):
        recover(root)
        yield


@contextlib.contextmanager
def feedstock_sessions(paths: Iterable[Path]) -> Iterator[None]:
    """A session on each distinct feedstock holding one of ``paths`` (recipes for lint --fix)."""
    roots = sorted({root for path in paths if (root := feedstock_of(path)) is not None})
    with contextlib.ExitStack() as sessions:
        for root in roots:
            sessions.enter_context(feedstock_session(root))
        yield


def feedstock_of(path: Path) -> Path | None:
    """The feedstock root at or above ``path`` (the nearest folder with conda-forge.yml)."""
    start = path.resolve()
    for folder in [start, *start.parents][:4]:
        if (folder / "conda-forge.yml").is_file():
            return folder
    return None
