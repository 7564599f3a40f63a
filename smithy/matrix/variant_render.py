"""Render a recipe for every distinct combination of the variant keys it actually uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from smithy.errors import VariantError
from smithy.recipe.model import RawRecipe, RenderContext, RenderedRecipe
from smithy.recipe.render import render_recipe
from smithy.records import record
from smithy.variants.expand import combinations
from smithy.variants.pinning import VariantConfig

# Rendering never explores more than this many variants per platform: a guard, not a target.
MAX_VARIANTS = 10_000
# Keys whose use is discovered while rendering can reveal further keys; a few rounds suffice.
_MAX_ROUNDS = 5


@record
class PlatformVariants:
    """The rendered variants of one platform.

    Attributes:
        platform: target platform.
        build_platform: where the build runs.
        used_keys: the variant keys the recipe uses on this platform, sorted.
        renders: one rendered recipe per distinct combination of ``used_keys`` values.
    """

    platform: str
    build_platform: str
    used_keys: tuple[str, ...]
    renders: tuple[RenderedRecipe, ...]


def _used_keys(rendered: Iterable[RenderedRecipe], available: frozenset[str]) -> set[str]:
    used: set[str] = set()
    for recipe in rendered:
        used |= recipe.used_variables
    return used & available


def _first_values(config: VariantConfig) -> dict[str, str]:
    return {key: values[0] for key, values in config.values.items() if values}


def _variant_id(variant: Mapping[str, str], keys: Iterable[str]) -> tuple[tuple[str, str], ...]:
    return tuple((key, variant[key]) for key in sorted(keys) if key in variant)


def render_platform_variants(
    raw: RawRecipe, config: VariantConfig, context: RenderContext
) -> PlatformVariants:
    """Render ``raw`` for each combination of the variant keys it uses on one platform.

    The keys are found by rendering: a first pass with each key's first value reveals the
    keys the recipe reads; combinations of those are rendered, and any key newly read (say,
    behind a selector that only holds for some python) widens the set, until it is stable.
    """
    available = config.keys()
    defaults = _first_values(config)
    probe = render_recipe(raw, replace(context, variant=defaults))
    used = _used_keys([probe], available)
    renders: dict[tuple[tuple[str, str], ...], RenderedRecipe] = {}
    # A widened round often re-renders the same variants (new keys with a single value keep
    # their default): render each distinct variant once.
    done: dict[tuple[tuple[str, str], ...], RenderedRecipe] = {}
    for _ in range(_MAX_ROUNDS):
        combos = combinations(config, sorted(used))
        if len(combos) > MAX_VARIANTS:
            raise VariantError(
                f"the recipe uses {len(used)} variant keys giving {len(combos)} combinations "
                f"on {context.platform}; more than {MAX_VARIANTS} is not supported"
            )
        renders = {}
        for combo in combos:
            variant = {**defaults, **combo}
            # The variant is the defaults with these changes: equal changes, equal variant.
            key = tuple(sorted((k, v) for k, v in combo.items() if defaults.get(k) != v))
            if key not in done:
                done[key] = render_recipe(raw, replace(context, variant=variant))
            renders.setdefault(_variant_id(variant, combo), done[key])
        widened = used | _used_keys(renders.values(), available)
        if widened == used:
            break
        used = widened
    return PlatformVariants(
        platform=context.platform,
        build_platform=context.build_platform,
        used_keys=tuple(sorted(used)),
        renders=tuple(renders.values()),
    )
