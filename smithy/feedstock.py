"""Where a feedstock's root and its conda-forge.yml are, found from a recipe folder."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_FILE = "conda-forge.yml"


def feedstock_root(recipe_dir: Path) -> Path | None:
    """Return the feedstock root of a recipe folder: the folder holding conda-forge.yml.

    That is the recipe folder's parent (``<root>/recipe``), else the recipe folder itself (a
    recipe shipped with its own conda-forge.yml); None when neither has one.
    """
    for folder in (recipe_dir.parent, recipe_dir):
        # Anything named conda-forge.yml counts (a folder, a broken link): reading it then
        # fails with its reason, where is_file() used its defaults in silence.
        if os.path.lexists(folder / CONFIG_FILE):
            return folder
    return None


def config_file(recipe_dir: Path) -> Path | None:
    """Return the conda-forge.yml that applies to a recipe folder, None when there is none."""
    root = feedstock_root(recipe_dir)
    return None if root is None else root / CONFIG_FILE
