"""Find feedstocks on disk: a feedstock folder itself, or the feedstocks inside a folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from smithy.errors import SmithyError, Span


def feedstock_folders(paths: Sequence[Path]) -> list[Path]:
    """Expand each path: a feedstock (holding ``recipe/``) itself, else its feedstock children.

    Raises:
        SmithyError: a path that is neither.
    """
    found: list[Path] = []
    for path in paths:
        if (path / "recipe").is_dir():
            found.append(path)
            continue
        if not path.is_dir():
            raise SmithyError("no such feedstock folder", Span(str(path)))
        children = sorted(p for p in path.iterdir() if (p / "recipe").is_dir())
        if not children:
            raise SmithyError(
                "no feedstock here (no recipe/ in it or its sub-folders)", Span(str(path))
            )
        found.extend(children)
    return found
