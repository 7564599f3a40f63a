"""Read user files as UTF-8 text, turning OS and decoding failures into SmithyErrors."""

from __future__ import annotations

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
