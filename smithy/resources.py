"""Locate the data shipped with smithy: ``templates/`` and the default pinning ``ci_support/``."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries the folders under smithy/_data/; a source checkout has them at the top.
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"smithy installation is missing its {name}/ folder")


def templates_dir() -> Path:
    """Return the folder of built-in feedstock templates."""
    return _data_dir("templates")


def default_pinning_dir() -> Path:
    """Return the folder of the embedded default pinning (``conda_build_config.yaml``)."""
    return _data_dir("ci_support")
