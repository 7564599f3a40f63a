"""Run the proof: render a copy with only meta.yaml and one with only recipe.yaml, compare.

The rendering itself (recipe x pinning x conda-forge.yml -> per-platform renders and
``.ci_support`` jobs) is passed in, so this package depends on no other consumer of the matrix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from smithy.convert.feedstock import stage, write_new_files
from smithy.convert.model import META, RECIPE, Difference
from smithy.convert.variant_keys import key_changes, with_key_changes
from smithy.convert.verify import RenderedFeedstock, compare, spelling
from smithy.errors import SmithyError

RenderFn = Callable[[Path], RenderedFeedstock]


@dataclass(frozen=True, slots=True)
class Verified:
    """The comparison's result, with the recipe text it was made for."""

    differences: tuple[Difference, ...]
    recipe_text: str


def _render_before(render: RenderFn, root: Path, staged: Path) -> RenderedFeedstock:
    """Render the staged meta.yaml copy; its errors name the user's files, not the copy."""
    try:
        return render(staged)
    except SmithyError as error:
        span = error.span
        named = Path(os.path.abspath(span.path)) if span is not None else staged
        if span is not None and named.is_relative_to(staged.absolute()):
            original = root / named.relative_to(staged.absolute())
            error.span = replace(span, path=os.path.relpath(original))
        raise


def _render_after(render: RenderFn, root: Path) -> RenderedFeedstock | Difference:
    try:
        return render(root)
    except SmithyError as error:
        return Difference("*", "*", "render", "ok", f"recipe.yaml: {error.message}")


def _meta_text(recipe_dir: Path) -> str:
    return (recipe_dir / META).read_text(encoding="utf-8", errors="replace")


def verify_existing(root: Path, recipe_dir: Path, render: RenderFn) -> tuple[Difference, ...]:
    """Compare the recipe.yaml beside meta.yaml with it (a conversion done by any tool)."""
    with tempfile.TemporaryDirectory(prefix="smithy-convert-") as scratch:
        staged = stage(root, Path(scratch) / "a", keep=META, recipe_dir=recipe_dir)
        before = _render_before(render, root, staged)
        after_root = stage(root, Path(scratch) / "b", keep=RECIPE, recipe_dir=recipe_dir)
        after = _render_after(render, after_root)
    if isinstance(after, Difference):
        return (after,)
    text = (recipe_dir / RECIPE).read_text(encoding="utf-8", errors="replace")
    return compare(before, after, spelling(_meta_text(recipe_dir), text))


def verify_conversion(
    root: Path, recipe_dir: Path, render: RenderFn, recipe_text: str, config_text: str
) -> Verified:
    """Verify the converted texts, keeping the variant keys conda-build counted.

    conda-build counts a variant key as used from its text scan of meta.yaml (say ``vc`` in
    ``ignore_run_exports``), rattler-build from the expressions it evaluates. Keys only one
    side counted are named in ``build.variant.use_keys``/``ignore_keys`` (see
    ``variant_keys``) so the CI matrix (and the package hashes) stay what they were; the
    comparison is then run again and the widened recipe kept if it differs less.
    """
    meta = _meta_text(recipe_dir)
    with tempfile.TemporaryDirectory(prefix="smithy-convert-") as scratch:
        staged = stage(root, Path(scratch) / "a", keep=META, recipe_dir=recipe_dir)
        before = _render_before(render, root, staged)

        def after_for(text: str, name: str) -> RenderedFeedstock | Difference:
            after_root = stage(root, Path(scratch) / name, keep=RECIPE, recipe_dir=recipe_dir)
            write_new_files(
                after_root, after_root / recipe_dir.relative_to(root), text, config_text
            )
            return _render_after(render, after_root)

        after = after_for(recipe_text, "b")
        if isinstance(after, Difference):
            return Verified((after,), recipe_text)
        found = compare(before, after, spelling(meta, recipe_text))
        changes = key_changes(before.ci_files, after.ci_files)
        if changes:
            widened = with_key_changes(recipe_text, changes)
            retry = after_for(widened, "c")
            if not isinstance(retry, Difference):
                again = compare(before, retry, spelling(meta, widened))
                if len(again) < len(found):
                    return Verified(again, widened)
    return Verified(found, recipe_text)
