"""Find and read a recipe file: a path to meta.yaml/recipe.yaml, a recipe dir or a feedstock."""

from __future__ import annotations

import os
from pathlib import Path

from smithy.errors import RecipeParseError, Span
from smithy.recipe.model import RawRecipe, RecipeFormat
from smithy.textfile import read_user_text

_FILE_NAMES = (RecipeFormat.V1, RecipeFormat.V0)


def find_recipe_file(path: Path) -> Path:
    """Return the recipe file for ``path``: the file itself, or the one inside a recipe dir.

    A feedstock root (holding ``recipe/``) works too. When a folder holds both formats,
    ``recipe.yaml`` wins, as rattler-build and conda-smithy's ``init`` decide.
    """
    if path.is_file():
        return path
    for folder in (path, path / "recipe"):
        for fmt in _FILE_NAMES:
            candidate = folder / fmt.value
            if candidate.is_file():
                return candidate
    if not path.exists():
        raise RecipeParseError("no such file or directory", Span(str(path)))
    raise RecipeParseError(
        "no recipe found (looked for recipe.yaml and meta.yaml here and in recipe/)",
        Span(str(path)),
    )


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    # A path outside the working directory reads better as given than as a climb of "../".
    return str(path) if relative.split(os.sep, 1)[0] == os.pardir else relative


def load_recipe(path: Path) -> RawRecipe:
    """Read the recipe at ``path`` (file, recipe dir or feedstock root) without rendering it."""
    recipe_file = find_recipe_file(path).resolve()
    shown = display_path(recipe_file)
    fmt = RecipeFormat.V1 if recipe_file.name.endswith("recipe.yaml") else RecipeFormat.V0
    text = read_user_text(recipe_file, shown, RecipeParseError)
    return RawRecipe(path=recipe_file, format=fmt, text=text, display_path=shown)
