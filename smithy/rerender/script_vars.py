"""Variant keys a recipe reads outside its YAML: build scripts and conda-smithy's text checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from smithy.errors import RecipeParseError
from smithy.recipe.model import RawRecipe
from smithy.textfile import read_user_text

# conda-smithy adds python_min when a recipe line holds "{{ python_min }}" (CFEP-25 recipes).
_PYTHON_MIN = re.compile(r".*\{\{ python_min \}\}")


@lru_cache(maxsize=64)
def _script_text(path: Path) -> str:
    return read_user_text(path, str(path), RecipeParseError) if path.is_file() else ""


def _shell_uses(text: str, key: str) -> bool:
    # conda-build's rule: "$key" or "${key" as the first "$" of a stretch of text that starts
    # a line, followed by a space, "|" or "}".
    if key not in text:
        return False
    pattern = rf"(^[^$]*?\$\{{?\s*{re.escape(key)}\s*[\s|\}}])"
    return re.search(pattern, text, flags=re.MULTILINE | re.DOTALL) is not None


def script_file_variables(path: Path, keys: Iterable[str]) -> frozenset[str]:
    """Keys of ``keys`` one script file (``.sh`` or ``.bat``) reads; none when it is missing."""
    text = _script_text(path)
    if not text:
        return frozenset()
    if path.suffix == ".bat":
        return frozenset(key for key in keys if f"%{key}%" in text)
    return frozenset(key for key in keys if _shell_uses(text, key))


def script_variables(raw: RawRecipe, platform: str, keys: Iterable[str]) -> frozenset[str]:
    """Keys of ``keys`` the recipe's ``build.sh`` (or, on Windows, ``bld.bat``) reads."""
    shell = _script_text(raw.recipe_dir / "build.sh")
    batch = _script_text(raw.recipe_dir / "bld.bat") if platform.startswith("win") else ""
    used = {key for key in keys if shell and _shell_uses(shell, key)}
    used |= {key for key in keys if batch and f"%{key}%" in batch}
    return frozenset(used)


def text_variables(raw: RawRecipe) -> frozenset[str]:
    """Keys conda-smithy adds from the recipe text itself (``python_min``)."""
    if any(_PYTHON_MIN.match(line) for line in raw.text.splitlines()):
        return frozenset({"python_min"})
    return frozenset()
