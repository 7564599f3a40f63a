"""Shared fixtures: paths to test data and small-tree builders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of committed test fixtures."""
    return DATA


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``{relative path: text}`` below ``root`` and return ``root``."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def build_tree(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    """Return a function writing a small file tree into a fresh temporary folder."""

    def build(files: Mapping[str, str]) -> Path:
        return write_tree(tmp_path, files)

    return build
