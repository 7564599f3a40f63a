"""Rendering: a recipe per platform and variant, and a feedstock's build matrix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.api.feedstocks import feedstock_root
from smithy.matrix.recipe_render import RecipeRender, check_platforms, render_recipe
from smithy.pinning.source import resolve_pinning
from smithy.recipe.unevaluated import recipe_warnings as recipe_warnings

if TYPE_CHECKING:
    from smithy.matrix.render import FeedstockMatrix, ProgressFn
    from smithy.pinning.model import PinningSource

RenderReport = RecipeRender


def render(
    path: Path,
    *,
    platforms: Sequence[str] = (),
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> RenderReport:
    """Render the recipe at ``path`` for each platform and each variant it uses.

    Args:
        path: a recipe file, a recipe folder or a feedstock root.
        platforms: target platforms (subdirs); the six main conda-forge platforms if empty.
        pinning: ``--pinning`` value: a file or folder; None to use the default search.
        environ: the process environment, read only for ``SMITHY_PINNING``/``CONDA_PREFIX``.

    Raises:
        SmithyError: on any bad input (recipe, pinning, config, unknown platform).
    """
    check_platforms(platforms)  # before the pinning search: a typo is the clearer error
    return render_recipe(path, resolve_pinning(pinning, environ or {}), platforms)


def variants(
    feedstock_dir: Path,
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    progress: ProgressFn | None = None,
    helpers: int = 0,
) -> tuple[PinningSource, FeedstockMatrix]:
    """Compute the feedstock's build matrix without planning any file.

    ``helpers``: forked processes rendering platforms alongside this one (0: none).

    Raises:
        SmithyError: on any bad input.
    """
    # Imported here: ``render`` should not pay for the rerender matrix's imports.
    from smithy.matrix.render import render_feedstock

    source = resolve_pinning(pinning, environ or {})
    root = feedstock_root(feedstock_dir)
    return source, render_feedstock(root, source, progress=progress, helpers=helpers)
