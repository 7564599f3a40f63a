"""The supported Python surface of smithy; the CLI calls only these functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.platforms import MAIN_PLATFORMS, is_known_platform
from smithy.recipe.load import load_recipe
from smithy.recipe.model import RawRecipe
from smithy.recipe.variant_render import PlatformVariants, render_platform_variants
from smithy.variants.source import PinningSource, resolve_pinning
from smithy.variants.space import RecipeInputs, platform_space, recipe_inputs

__all__ = ["RenderReport", "render"]


@dataclass(frozen=True, slots=True)
class RenderReport:
    """What ``smithy render`` shows: the recipe rendered per platform and variant.

    Attributes:
        recipe: the recipe that was rendered.
        pinning: where the global pinning came from.
        platforms: one entry per requested platform, in the order asked for.
    """

    recipe: RawRecipe
    pinning: PinningSource
    platforms: tuple[PlatformVariants, ...]


def _platform_variants(inputs: RecipeInputs, platform: str) -> PlatformVariants:
    space, context = platform_space(inputs, platform)
    return render_platform_variants(inputs.raw, space, context)


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
    for platform in platforms:
        if not is_known_platform(platform) or platform == "noarch":
            raise SmithyError(f"unknown platform '{platform}' (expected e.g. linux-64, osx-arm64)")
    raw = load_recipe(path)
    source = resolve_pinning(pinning, environ or {})
    if not source.cbc.is_file():
        raise SmithyError("pinning has no conda_build_config.yaml", Span(str(source.path)))
    inputs = recipe_inputs(raw, source.cbc)
    chosen = tuple(platforms) or MAIN_PLATFORMS
    return RenderReport(
        recipe=raw,
        pinning=source,
        platforms=tuple(_platform_variants(inputs, p) for p in chosen),
    )
