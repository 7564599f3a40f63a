"""The supported Python surface of smithy; the CLI calls only these functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy.config.load import load_config
from smithy.config.schema import FeedstockConfig
from smithy.errors import SmithyError, Span
from smithy.platforms import MAIN_PLATFORMS, is_known_platform
from smithy.recipe.load import display_path, load_recipe
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext
from smithy.recipe.variant_render import PlatformVariants, render_platform_variants
from smithy.variants.defaults import conda_build_defaults
from smithy.variants.environment import pinning_environment, uses_cuda_compiler
from smithy.variants.pinning import (
    VariantConfig,
    all_keys,
    load_variant_file,
    merge_variant_configs,
)
from smithy.variants.source import PinningSource, resolve_pinning

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


def _feedstock_config(raw: RawRecipe) -> FeedstockConfig:
    # conda-forge.yml sits at the feedstock root, one level above recipe/.
    for folder in (raw.recipe_dir.parent, raw.recipe_dir):
        candidate = folder / "conda-forge.yml"
        if candidate.is_file():
            return load_config(candidate, display_path=display_path(candidate))
    return load_config(None)


def _recipe_variant_files(raw: RawRecipe) -> list[Path]:
    names = ["conda_build_config.yaml"]
    if raw.format is RecipeFormat.V1:
        names.append("variants.yaml")
    return [raw.recipe_dir / name for name in names if (raw.recipe_dir / name).is_file()]


@dataclass(frozen=True, slots=True)
class _RecipeInputs:
    """What every platform of one render shares: read once, not once per platform."""

    raw: RawRecipe
    config: FeedstockConfig
    variant_files: tuple[Path, ...]
    known_variables: frozenset[str]
    cuda_enabled: bool


def _recipe_inputs(raw: RawRecipe, pinning: PinningSource) -> _RecipeInputs:
    files = (pinning.cbc, *_recipe_variant_files(raw))
    defaults = conda_build_defaults("noarch").keys()
    return _RecipeInputs(
        raw=raw,
        config=_feedstock_config(raw),
        variant_files=files,
        known_variables=frozenset().union(defaults, *(all_keys(path) for path in files)),
        cuda_enabled=uses_cuda_compiler(raw),
    )


def _platform_variants(inputs: _RecipeInputs, platform: str) -> PlatformVariants:
    config = inputs.config
    build_platform = config.build_platform_for(platform)
    env = pinning_environment(
        build_platform=build_platform,
        linux_version=config.os_version_for(platform),
        cuda_enabled=inputs.cuda_enabled,
        config_version=config.config_version,
    )
    loaded: list[VariantConfig] = [conda_build_defaults(platform)]
    loaded += [
        load_variant_file(
            path,
            platform=platform,
            build_platform=build_platform,
            env=env,
            display_path=display_path(path),
        )
        for path in inputs.variant_files
    ]
    context = RenderContext(
        platform=platform,
        build_platform=build_platform,
        env=env,
        known_variables=inputs.known_variables,
    )
    return render_platform_variants(inputs.raw, merge_variant_configs(*loaded), context)


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
    inputs = _recipe_inputs(raw, source)
    chosen = tuple(platforms) or MAIN_PLATFORMS
    return RenderReport(
        recipe=raw,
        pinning=source,
        platforms=tuple(_platform_variants(inputs, p) for p in chosen),
    )
