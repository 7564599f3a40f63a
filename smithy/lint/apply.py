"""``smithy lint --fix``: rewrite recipes with the fixers of their fixable findings."""

from __future__ import annotations

import stat
from pathlib import Path

from smithy.atomic.journal import Step, apply_steps
from smithy.atomic.session import feedstock_of
from smithy.errors import SmithyError
from smithy.lint.engine import LintResult, recipe_location
from smithy.lint.fix import codes_to_fix, fix_text
from smithy.recipe.load import find_recipe_file, load_recipe


def apply_fixes(paths: list[Path], result: LintResult) -> list[str]:
    """Rewrite each recipe with the fixers of its fixable findings; one line per recipe touched.

    The recipes of one feedstock are written together through the feedstock's journal (as a
    rerender is): all of them or, on an error, none; a kill midway is finished by the next run.

    Raises:
        SmithyError: a fixed recipe cannot be written; the recipes of its feedstock are left
            as they were.
    """
    lines: list[str] = []
    pending: dict[Path, list[Step]] = {}
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
            lines.append(f"{raw.display_path}: not fixed (reached through a symlink)")
            continue
        root = feedstock_of(raw.path) or raw.path.parent
        rel = raw.path.relative_to(root).as_posix()
        if any(step.path == rel for step in pending.get(root, ())):
            continue  # the same recipe reached through two of ``paths``
        mode = stat.S_IMODE(raw.path.stat().st_mode)
        pending.setdefault(root, []).append(Step(rel, fixed.text.encode("utf-8"), mode))
        lines.append(f"{raw.display_path}: fixed {', '.join(fixed.applied)}")
    for root, steps in pending.items():
        apply_steps(root, steps, what="the fixed recipe")
    return lines


def _through_symlink(target: Path, found: Path, resolved: Path) -> bool:
    """Whether the recipe file is a symlink or a symlinked folder took it out of ``target``."""
    base = (target if target.is_dir() else target.parent).resolve()
    return found.is_symlink() or not resolved.is_relative_to(base)
