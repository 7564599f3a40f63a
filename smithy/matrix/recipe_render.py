"""Render a recipe for the platforms asked for (``smithy render``, registration, ``init``).

Lighter than :mod:`smithy.matrix.render`: no job collapse, so commands that only read a
recipe's name or show its renders do not import the rerender's matrix code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from smithy.errors import SmithyError
from smithy.matrix.space import RecipeInputs, platform_space, recipe_inputs
from smithy.matrix.variant_render import PlatformVariants, render_platform_variants
from smithy.pinning.model import PinningSource
from smithy.platforms import MAIN_PLATFORMS, is_known_platform
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.load import load_recipe
from smithy.recipe.model import RawRecipe
from smithy.records import record


@record
class RecipeRender:
    """A recipe rendered per platform and variant (what ``smithy render`` shows).

    Attributes:
        recipe: the recipe that was rendered.
        pinning: the global pinning it was rendered with.
        platforms: one entry per requested platform, in the order asked for.
    """

    recipe: RawRecipe
    pinning: PinningSource
    platforms: tuple[PlatformVariants, ...]


def _platform_variants(inputs: RecipeInputs, platform: str) -> PlatformVariants:
    space, context = platform_space(inputs, platform)
    return render_platform_variants(inputs.raw, space, context)


def check_platforms(platforms: Sequence[str]) -> None:
    """Refuse a platform name smithy does not know (``noarch`` is not a build platform).

    Raises:
        SmithyError: the first unknown platform.
    """
    for platform in platforms:
        if not is_known_platform(platform) or platform == "noarch":
            raise SmithyError(f"unknown platform '{platform}' (expected e.g. linux-64, osx-arm64)")


def render_recipe(
    path: Path, pinning: PinningSource, platforms: Sequence[str] = ()
) -> RecipeRender:
    """Render the recipe at ``path`` for each platform and each variant it uses.

    Args:
        path: a recipe file, a recipe folder or a feedstock root.
        pinning: the global pinning.
        platforms: target platforms (subdirs); the six main conda-forge platforms if empty.

    Raises:
        SmithyError: on any bad input (recipe, pinning, config, unknown platform).
    """
    check_platforms(platforms)
    raw = load_recipe(path)
    inputs = recipe_inputs(raw, pinning.cbc)
    chosen = tuple(platforms) or MAIN_PLATFORMS
    with render_session():  # variants reading equal values share renders, as in a rerender
        rendered = tuple(_platform_variants(inputs, p) for p in chosen)
    return RecipeRender(recipe=raw, pinning=pinning, platforms=rendered)
