"""The one place the conversion reads a feedstock's build matrix (``smithy.matrix``)."""

from __future__ import annotations

from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.convert.verify import RenderedFeedstock
from smithy.pinning.model import PinningSource
from smithy.recipe.model import RawRecipe


def rendered_recipe(
    root: Path, recipe: RawRecipe, config: FeedstockConfig, pinning: PinningSource
) -> RenderedFeedstock:
    """``recipe``'s renders per target platform and its ``.ci_support`` job configs.

    ``recipe`` is rendered as the recipe of the feedstock at ``root`` (its migrations apply)
    with ``config`` as its conda-forge.yml, whether or not it is the file on disk.
    """
    from smithy.matrix.render import render_matrix

    matrix = render_matrix(recipe, config, pinning, feedstock=root)
    renders = {p.target.platform: p.rendered.renders for p in matrix.platforms}
    ci_files = {job.ci_support_path: job.config for job in matrix.jobs}
    return RenderedFeedstock(renders, ci_files, matrix)
