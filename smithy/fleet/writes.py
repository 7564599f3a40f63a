"""A rerender's changes to one feedstock, applied without ever leaving it half-written."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from pathlib import Path

from smithy.matrix.render import FeedstockMatrix, render_feedstock
from smithy.pinning.model import PinningSource
from smithy.rerender.plan import build_plan
from smithy.rerender.writer import FileChange, apply, compare


def apply_held(root: Path, changes: Sequence[FileChange]) -> None:
    """Apply all or nothing, as ``smithy rerender`` does, with SIGTERM held back meanwhile.

    A timeout stops a pool worker with SIGTERM and SIGKILLs it only seconds later: holding
    SIGTERM while files move lets the move finish, so no feedstock is left half-written.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        apply(root, changes)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def rerender_changes(
    root: Path, pinning: PinningSource, *, write: bool
) -> tuple[FeedstockMatrix, list[FileChange]]:
    """Render the feedstock, compare with its files and (``write``) apply the differences."""
    matrix = render_feedstock(root, pinning)
    changes = compare(root, build_plan(root, matrix, pinning))
    if write:
        apply_held(root, changes)
    return matrix, changes
