"""``smithy lint --fix``: rewrite recipes with the fixers of their fixable findings."""

from __future__ import annotations

from pathlib import Path

from smithy.errors import SmithyError
from smithy.lint.engine import LintResult, recipe_location
from smithy.lint.fix import codes_to_fix, fix_text
from smithy.recipe.load import find_recipe_file, load_recipe
from smithy.textfile import replace_user_text


def apply_fixes(paths: list[Path], result: LintResult) -> list[str]:
    """Rewrite each recipe with the fixers of its fixable findings; one line per recipe touched.

    Raises:
        SmithyError: a fixed recipe cannot be written; it is left as it was.
    """
    changed = []
    for path in paths:
        try:
            location = recipe_location(path)
            raw = load_recipe(location)
            linked = _through_symlink(path, find_recipe_file(location), raw.path)
        except SmithyError:
            continue  # already reported as SMY001
        codes = codes_to_fix(result.findings, raw.display_path)
        fixed = fix_text(raw.text, raw.format, codes)
        if not fixed.changed(raw.text):
            continue
        if linked:
            # Writing through the link could land outside the repository (a recipe from a
            # pull request may point anywhere); replacing it would fork the shared file.
            changed.append(f"{raw.display_path}: not fixed (reached through a symlink)")
            continue
        replace_user_text(raw.path, fixed.text, raw.display_path, "the fixed recipe")
        changed.append(f"{raw.display_path}: fixed {', '.join(fixed.applied)}")
    return changed


def _through_symlink(target: Path, found: Path, resolved: Path) -> bool:
    """Whether the recipe file is a symlink or a symlinked folder took it out of ``target``."""
    base = (target if target.is_dir() else target.parent).resolve()
    return found.is_symlink() or not resolved.is_relative_to(base)
