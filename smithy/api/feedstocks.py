"""Finding feedstocks: the folder checks every per-feedstock use case starts with."""

from __future__ import annotations

from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.feedstocks import feedstock_folders as feedstock_folders


def feedstock_root(path: Path) -> Path:
    """Return ``path`` when it is a folder.

    Raises:
        SmithyError: no such folder.
    """
    if not path.is_dir():
        raise SmithyError("no such feedstock folder", Span(str(path)))
    return path
