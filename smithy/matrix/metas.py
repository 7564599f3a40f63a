"""Describe each rendered output for the collapse: its variant and the keys it uses."""

from __future__ import annotations

import functools
from collections.abc import Container
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
from smithy.recipe.recipe_cuts import split_recipe_text
from smithy.recipe.used_vars import (
    OutputRequirements,
    output_text_uses,
    shared_key_set,
    used_in_block,
)
from smithy.variants.model import VariantConfig

# conda-build counts these as used whenever the variant has them.
_ALWAYS_USED = ("channel_targets",)
_TARGET = frozenset({"target_platform"})


_NO_REQUIREMENTS = OutputRequirements(build=(), host=(), run=())


def _requirements(output: RenderedOutput) -> OutputRequirements:
    reqs = output.requirements
    return OutputRequirements(
        build=tuple(dep.spec for dep in reqs.build),
        host=tuple(dep.spec for dep in reqs.host),
        run=tuple(dep.spec for dep in reqs.run),
    )


class _ScriptKeys:
    """The keys each build script reads, found once per platform rather than per variant.

    Key: the variant's key set and the output's script (its path in the recipe), or the
    platform for the top level's build.sh/bld.bat. The object lives for one ``rendered_metas``
    call (one recipe), and the files do not change during a render.
    """

    def __init__(self, raw: RawRecipe) -> None:
        self._raw = raw
        self._top: dict[tuple[str, frozenset[str]], frozenset[str]] = {}
        self._found: dict[tuple[str, frozenset[str]], frozenset[str]] = {}

    def top_level(self, platform: str, keys: frozenset[str]) -> frozenset[str]:
        """The keys build.sh (and bld.bat on Windows) read."""
        found = self._top.get((platform, keys))
        if found is None:
            found = self._top[(platform, keys)] = script_variables(self._raw, platform, keys)
        return found

    def of_output(self, output: RenderedOutput, keys: frozenset[str]) -> frozenset[str]:
        """The keys an output's own ``.sh``/``.bat`` script reads."""
        script = output.script
        if not script or not script.endswith((".sh", ".bat")):
            return frozenset()
        found = self._found.get((script, keys))
        if found is None:
            path = self._raw.recipe_dir / Path(script)
            found = self._found[(script, keys)] = script_file_variables(path, keys)
        return found


def _v0_uses(
    raw: RawRecipe,
    recipe: RenderedRecipe,
    space: VariantConfig,
    scripts: _ScriptKeys,
    keep_noarch: bool,
) -> list[tuple[RenderedOutput, frozenset[str], frozenset[str]]]:
    """(output, keys it uses, keys top level + it use) for each built output (:func:`_built`).

    The text scan of an output that is not built is skipped (each output's uses are its own);
    its script is still read, so a broken script file fails the render as it always did.
    """
    keys = shared_key_set(frozenset(recipe.variant))
    ignore = space.ignore_build_only_deps
    selected, unselected = split_recipe_text(recipe.selected_text), split_recipe_text(raw.text)
    result = []
    if not selected.outputs:
        build_scripts = scripts.top_level(recipe.platform, keys)
        for output in recipe.outputs:
            if _built(output, keep_noarch):
                reqs = _requirements(output)
                uses = used_in_block(selected.top, unselected.top, keys, reqs, ignore)
                result.append((output, uses | build_scripts, uses | build_scripts))
        return result
    for index, output in enumerate(recipe.outputs):
        # conda-build reads an output named like the package as the top level itself: the
        # whole recipe text and build.sh/bld.bat, not just its own block and script.
        as_top = output.name == recipe.name
        own_script = (
            scripts.top_level(recipe.platform, keys) if as_top else scripts.of_output(output, keys)
        )
        if not _built(output, keep_noarch):
            continue
        with_top, alone = output_text_uses(selected, unselected, index, keys)
        # Only a text whose requirements use keys reads the rendered requirements.
        needed = with_top.in_requirements or alone.in_requirements
        reqs = _requirements(output) if needed else _NO_REQUIREMENTS
        top = with_top.trimmed(reqs, ignore) | own_script
        own = top if as_top else alone.trimmed(reqs, ignore) | own_script
        result.append((output, own, top))
    return result


def _always_used(keys: Container[str], noarch: bool) -> frozenset[str]:
    """The keys of ``keys`` every output uses: ``_ALWAYS_USED``, target_platform unless noarch."""
    always = frozenset(key for key in _ALWAYS_USED if key in keys)
    return always if noarch or "target_platform" not in keys else always | _TARGET


def _built(output: RenderedOutput, keep_noarch: bool) -> bool:
    """Whether ``output`` gets a meta: not skipped, not staging, noarch only if kept."""
    return not (output.is_staging or output.skip or (output.noarch and not keep_noarch))


def _v1_metas(raw: RawRecipe, rendered: PlatformVariants, keep_noarch: bool) -> list[Meta]:
    """:func:`rendered_metas` of a recipe.yaml."""
    metas: list[Meta] = []
    scripts = _ScriptKeys(raw)
    # Renders the v1 memo reused share their outputs and data objects (alive in ``rendered``
    # while this runs, so no id is reused); with the same variant keys they give the same uses.
    done: dict[tuple[object, ...], list[tuple[frozenset[str], bool]]] = {}
    for recipe in rendered.renders:
        keys = frozenset(recipe.variant)
        key = (id(recipe.outputs), id(recipe.data), recipe.platform, keys)
        uses = done.get(key)
        if uses is None:
            uses = done[key] = _v1_uses(recipe, keys, scripts, keep_noarch)
        metas.extend(Meta(recipe.variant, used, used, noarch) for used, noarch in uses)
    return metas


def _v1_uses(
    recipe: RenderedRecipe, keys: frozenset[str], scripts: _ScriptKeys, keep_noarch: bool
) -> list[tuple[frozenset[str], bool]]:
    """(keys it uses, noarch) of each built output of one recipe.yaml render."""
    build_scripts = scripts.top_level(recipe.platform, keys)
    names = frozenset(o.name.replace("-", "_") for o in recipe.outputs if not o.is_staging)
    lists = RecipeYamlVariantLists.of(recipe.data)
    result = []
    for output in recipe.outputs:
        if not _built(output, keep_noarch):
            continue
        own = output.used_variables
        used = _v1_output_keys(
            recipe.used_variables if own is None else own,
            build_scripts,
            lists.output(output.name),
            names,
            bool(output.noarch),
        )
        result.append((used | _always_used(keys, bool(output.noarch)), bool(output.noarch)))
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
    scripts = _ScriptKeys(raw)
    for recipe in rendered.renders:
        uses = _v0_uses(raw, recipe, space, scripts, keep_noarch)
        for output, own, top in uses:
            extra = _always_used(recipe.variant, bool(output.noarch))
            own, top = own | extra, top | extra
            build = meta_yaml_build(recipe.data, output.name)
            own = force_meta_yaml_keys(own, build, recipe.variant)
            top = force_meta_yaml_keys(top, build, recipe.variant)
            metas.append(
                Meta(variant=recipe.variant, used=own, top_used=top, noarch=bool(output.noarch))
            )
    return metas
