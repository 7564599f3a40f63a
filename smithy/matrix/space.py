"""Build one platform's variant space for a recipe: defaults, pinning, recipe files, migrations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from smithy.config.load import load_config, refuse_invalid
from smithy.config.schema import FeedstockConfig
from smithy.feedstock import CONFIG_FILE, feedstock_root
from smithy.platforms import selector_namespace
from smithy.recipe.load import display_path
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext
from smithy.records import record
from smithy.textfile import present
from smithy.variants.defaults import conda_build_defaults
from smithy.variants.environment import pinning_environment, uses_cuda_compiler
from smithy.variants.macos import merge_deployment_target
from smithy.variants.migrations import load_migration
from smithy.variants.pinning import (
    VariantConfig,
    all_keys,
    load_variant_file,
    merge_variant_configs,
)
from smithy.variants.spec import migrate


def config_in(folder: Path) -> FeedstockConfig:
    """Load ``folder``'s conda-forge.yml; conda-smithy's defaults when it has none.

    Raises:
        ConfigError: unreadable, or a value conda-smithy's schema rejects (see
            ``refuse_invalid``); lint reads the file leniently instead, to report it all.
    """
    path = folder / CONFIG_FILE
    config = load_config(path, display_path=display_path(path))
    return refuse_invalid(config)


def feedstock_config(raw: RawRecipe) -> FeedstockConfig:
    """Load the feedstock's conda-forge.yml (at the root, one level above recipe/)."""
    root = feedstock_root(raw.recipe_dir)
    return load_config(None) if root is None else config_in(root)


def recipe_variant_files(raw: RawRecipe) -> list[Path]:
    """The recipe's own variant files: ``conda_build_config.yaml`` (+ v1 ``variants.yaml``)."""
    names = ["conda_build_config.yaml"]
    if raw.format is RecipeFormat.V1:
        names.append("variants.yaml")
    return [raw.recipe_dir / name for name in names if present(raw.recipe_dir / name)]


@record
class RecipeInputs:
    """What every platform of one recipe shares: read once, not once per platform.

    Attributes:
        raw: the recipe.
        config: the feedstock's conda-forge.yml.
        variant_files: pinning file first, then the recipe's own variant files.
        known_variables: every key any of those files (or conda-build's defaults) defines.
        cuda_enabled: the recipe asks for the cuda compiler (``CF_CUDA_ENABLED``).
        migrations: migration files to apply on every platform.
    """

    raw: RawRecipe
    config: FeedstockConfig
    variant_files: tuple[Path, ...]
    known_variables: frozenset[str]
    cuda_enabled: bool
    migrations: tuple[Path, ...] = ()


def recipe_inputs(
    raw: RawRecipe,
    pinning_file: Path,
    *,
    config: FeedstockConfig | None = None,
    migrations: Sequence[Path] = (),
) -> RecipeInputs:
    """Read what every platform's variant space of ``raw`` shares."""
    files = (pinning_file, *recipe_variant_files(raw))
    defaults = conda_build_defaults("noarch").keys()
    known = frozenset().union(defaults, *(all_keys(path) for path in files))
    known |= frozenset().union(*(all_keys(path) for path in migrations))
    return RecipeInputs(
        raw=raw,
        config=config if config is not None else feedstock_config(raw),
        variant_files=files,
        known_variables=known,
        cuda_enabled=uses_cuda_compiler(raw),
        migrations=tuple(migrations),
    )


def platform_space(
    inputs: RecipeInputs, platform: str, *, linux_version: str | None = None
) -> tuple[VariantConfig, RenderContext]:
    """Return ``platform``'s variant space and the context to render the recipe in it.

    ``linux_version`` is the linux image version the pinning sees; by default the
    platform's own ``os_version``.

    Raises:
        SmithyError: a variant or migration file is malformed or cannot be combined.
    """
    config = inputs.config
    build_platform = config.build_platform_for(platform)
    env = pinning_environment(
        build_platform=build_platform,
        linux_version=linux_version or config.os_version_for(platform),
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
    space = merge_variant_configs(*loaded)
    if inputs.migrations:
        namespace = selector_namespace(platform, {}, build_platform)
        parsed = [
            load_migration(path, namespace=namespace, env=env, display_path=display_path(path))
            for path in inputs.migrations
        ]
        space = migrate(space, parsed)
    # conda-smithy makes osx's deployment target and stdlib version agree before rendering;
    # every render (rerender, lint, render, bump) sees it, so meta.yaml may read it.
    space = merge_deployment_target(space, platform)
    context = RenderContext(
        platform=platform,
        build_platform=build_platform,
        env=env,
        known_variables=inputs.known_variables,
    )
    return space, context
