"""Describe each rendered output for the collapse: its variant and the keys it uses."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from smithy.matrix.collapse import Meta
from smithy.matrix.script_vars import script_file_variables, script_variables
from smithy.matrix.variant_render import PlatformVariants
from smithy.recipe.forced_keys import (
    RecipeYamlVariantLists,
    VariantLists,
    force_meta_yaml_keys,
    meta_yaml_build,
)
from smithy.recipe.model import (
    RawRecipe,
    RecipeFormat,
    RenderedOutput,
    RenderedRecipe,
)
from smithy.recipe.used_vars import OutputRequirements, split_recipe_text, used_in_block
from smithy.variants.model import VariantConfig

# conda-build counts these as used whenever the variant has them.
_ALWAYS_USED = ("channel_targets",)
_TARGET = frozenset({"target_platform"})


def _requirements(output: RenderedOutput) -> OutputRequirements:
    reqs = output.requirements
    return OutputRequirements(
        build=tuple(dep.spec for dep in reqs.build),
        host=tuple(dep.spec for dep in reqs.host),
        run=tuple(dep.spec for dep in reqs.run),
    )


def _output_script_keys(
    raw: RawRecipe, output: RenderedOutput, keys: Iterable[str]
) -> frozenset[str]:
    script = output.script
    if not script or not script.endswith((".sh", ".bat")):
        return frozenset()
    return script_file_variables(raw.recipe_dir / Path(script), keys)


def _v0_uses(
    raw: RawRecipe, recipe: RenderedRecipe, space: VariantConfig
) -> list[tuple[RenderedOutput, frozenset[str], frozenset[str]]]:
    """(output, keys it uses, keys top level + it use) for each output of a meta.yaml render."""
    keys = frozenset(recipe.variant)
    ignore = space.ignore_build_only_deps
    selected, unselected = split_recipe_text(recipe.selected_text), split_recipe_text(raw.text)
    result = []
    if not selected.outputs:
        scripts = script_variables(raw, recipe.platform, keys)
        for output in recipe.outputs:
            uses = used_in_block(selected.top, unselected.top, keys, _requirements(output), ignore)
            result.append((output, uses | scripts, uses | scripts))
        return result
    build_scripts: frozenset[str] | None = None
    for index, output in enumerate(recipe.outputs):
        reqs = _requirements(output)
        block, raw_block = selected.output(index), unselected.output(index)
        top = used_in_block(selected.top + block, unselected.top + raw_block, keys, reqs, ignore)
        if output.name == recipe.name:
            # conda-build reads an output named like the package as the top level itself:
            # the whole recipe text and build.sh/bld.bat, not just its own block and script.
            if build_scripts is None:
                build_scripts = script_variables(raw, recipe.platform, keys)
            result.append((output, top | build_scripts, top | build_scripts))
            continue
        scripts = _output_script_keys(raw, output, keys)
        own = used_in_block(block, raw_block, keys, reqs, ignore) | scripts
        result.append((output, own, top | scripts))
    return result


def _v1_metas(raw: RawRecipe, rendered: PlatformVariants, keep_noarch: bool) -> list[Meta]:
    """:func:`rendered_metas` of a recipe.yaml."""
    metas: list[Meta] = []
    # Renders the v1 memo reused share their outputs and data objects (alive in ``rendered``
    # while this runs, so no id is reused); with the same variant keys they give the same uses.
    done: dict[tuple[object, ...], list[tuple[frozenset[str], bool]]] = {}
    for recipe in rendered.renders:
        keys = frozenset(recipe.variant)
        key = (id(recipe.outputs), id(recipe.data), recipe.platform, keys)
        uses = done.get(key)
        if uses is None:
            uses = done[key] = _v1_uses(raw, recipe, keys, keep_noarch)
        metas.extend(Meta(recipe.variant, used, used, noarch) for used, noarch in uses)
    return metas


def _v1_uses(
    raw: RawRecipe, recipe: RenderedRecipe, keys: frozenset[str], keep_noarch: bool
) -> list[tuple[frozenset[str], bool]]:
    """(keys it uses, noarch) of each built output of one recipe.yaml render."""
    scripts = script_variables(raw, recipe.platform, keys)
    names = frozenset(o.name.replace("-", "_") for o in recipe.outputs if not o.is_staging)
    lists = RecipeYamlVariantLists.of(recipe.data)
    always = frozenset(key for key in _ALWAYS_USED if key in keys)
    result = []
    for output in recipe.outputs:
        if output.is_staging or output.skip or (output.noarch and not keep_noarch):
            continue
        own = output.used_variables
        used = _v1_output_keys(
            recipe.used_variables if own is None else own,
            scripts,
            lists.output(output.name),
            names,
            bool(output.noarch),
        )
        extra = always if output.noarch or "target_platform" not in keys else always | _TARGET
        result.append((used | extra, bool(output.noarch)))
    return result


@functools.lru_cache(maxsize=1024)  # pure; the renders of a matrix repeat these few inputs
def _v1_output_keys(
    own: frozenset[str],
    scripts: frozenset[str],
    lists: VariantLists,
    output_names: frozenset[str],
    noarch: bool,
) -> frozenset[str]:
    # conda-smithy reads a recipe.yaml's used keys through rattler-build-conda-compat, which
    # leaves out the recipe's own output names (`- ruby` in ruby's build requirements) unless
    # `build.variant.use_keys` names them, and, for a noarch output, target_platform (even
    # when an `if:` reads it).
    used = own | (scripts - lists.ignore_keys)
    dropped = {
        key for key in used if key.replace("-", "_") in output_names and key not in lists.use_keys
    }
    if noarch:
        dropped.add("target_platform")
    return frozenset(used - dropped)


def rendered_metas(
    raw: RawRecipe,
    rendered: PlatformVariants,
    space: VariantConfig,
    keep_noarch: bool,
) -> list[Meta]:
    """One :class:`Meta` per built output of every rendered variant of one platform.

    Skipped outputs, staging outputs and (unless ``keep_noarch``) noarch outputs are left out.
    """
    if raw.format is RecipeFormat.V1:
        return _v1_metas(raw, rendered, keep_noarch)
    metas: list[Meta] = []
    for recipe in rendered.renders:
        uses = _v0_uses(raw, recipe, space)
        always = {key for key in _ALWAYS_USED if key in recipe.variant}
        for output, own, top in uses:
            if output.is_staging or output.skip or (output.noarch and not keep_noarch):
                continue
            extra = set(always)
            if not output.noarch and "target_platform" in recipe.variant:
                extra.add("target_platform")
            own, top = own | extra, top | extra
            build = meta_yaml_build(recipe.data, output.name)
            own = force_meta_yaml_keys(own, build, recipe.variant)
            top = force_meta_yaml_keys(top, build, recipe.variant)
            metas.append(
                Meta(variant=recipe.variant, used=own, top_used=top, noarch=bool(output.noarch))
            )
    return metas
