"""Calls smithy never evaluates, found so render and rerender can say their values are empty.

``load_setup_py_data``/``load_setuptools`` would run the project's setup.py and ``load_npm``
would read package.json from the source tree; smithy has no source tree and runs no recipe
code, so each returns an empty mapping. A recipe reading versions or requirements from them
renders with blanks: the user must be told where.
"""

from __future__ import annotations

import re
from pathlib import Path

from smithy.errors import Span
from smithy.recipe.load import load_recipe
from smithy.recipe.model import RawRecipe
from smithy.records import frozen_record

_CALL = re.compile(r"\b(load_setup_py_data|load_setuptools|load_npm)\s*\(")
_WHAT = {
    "load_setup_py_data": "would run setup.py",
    "load_setuptools": "would run setup.py",
    "load_npm": "would read package.json from the source",
}


@frozen_record
class RecipeWarning:
    """A problem worth saying that does not stop the command."""

    span: Span
    message: str

    def __str__(self) -> str:
        return f"{self.span}: warning: {self.message}"


def unevaluated_calls(raw: RawRecipe) -> tuple[RecipeWarning, ...]:
    """One warning per call of a function smithy does not evaluate (comment lines skipped)."""
    found = []
    for number, line in enumerate(raw.text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in _CALL.finditer(line):
            name = match.group(1)
            message = (
                f"{name}() {_WHAT[name]}; smithy does not evaluate it, so every value "
                "read from it is empty"
            )
            found.append(RecipeWarning(Span(raw.display_path, number, match.start() + 1), message))
    return tuple(found)


def recipe_warnings(path: Path) -> tuple[RecipeWarning, ...]:
    """Calls in the recipe at ``path`` (file, recipe folder or feedstock) smithy leaves empty."""
    return unevaluated_calls(load_recipe(path))
