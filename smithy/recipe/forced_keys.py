"""Variant keys a recipe forces into or out of an output's used keys.

meta.yaml has ``build: {force_use_keys, force_ignore_keys}``: conda-build drops the ignored
keys from the keys an output uses, then adds the forced ones. recipe.yaml has
``build: {variant: {use_keys, ignore_keys}}``: rattler-build adds the forced keys the variant
has, then drops the ignored ones. Both change how conda-smithy splits the CI jobs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any


def _names(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list | tuple):
        return frozenset(str(item) for item in value if item is not None)
    return frozenset()


def meta_yaml_build(data: Mapping[str, Any], output_name: str) -> Mapping[str, Any]:
    """The ``build`` section conda-build gives the output ``output_name`` of a meta.yaml.

    An output with its own ``build`` section replaces the top-level one; any other output
    (and the top-level package) keeps the top-level ``build``.
    """
    top = data.get("build")
    top_build = top if isinstance(top, Mapping) else {}
    outputs = data.get("outputs")
    for item in outputs if isinstance(outputs, list) else ():
        if isinstance(item, Mapping) and str(item.get("name")) == output_name:
            if "build" in item:
                own = item.get("build")
                return own if isinstance(own, Mapping) else {}
            return top_build
    return top_build


def force_meta_yaml_keys(
    used: frozenset[str], build: Mapping[str, Any], variant: Collection[str]
) -> frozenset[str]:
    """Apply ``force_ignore_keys`` then ``force_use_keys`` (limited to ``variant``'s keys)."""
    ignore = _names(build.get("force_ignore_keys"))
    use = _names(build.get("force_use_keys"))
    if not ignore and not use:
        return used
    return frozenset((used - ignore) | {key for key in use if key in variant})


def force_recipe_yaml_keys(
    used: frozenset[str], build: Any, variant: Collection[str]
) -> frozenset[str]:
    """Apply ``build.variant.use_keys`` (limited to ``variant``'s keys) then ``ignore_keys``."""
    section = build.get("variant") if isinstance(build, Mapping) else None
    if not isinstance(section, Mapping):
        return used
    use = {key for key in _names(section.get("use_keys")) if key in variant}
    return frozenset((used | use) - _names(section.get("ignore_keys")))


def recipe_yaml_use_keys(builds: Collection[Any], variant: Collection[str]) -> frozenset[str]:
    """Every ``use_keys`` entry of ``builds`` the variant has (they widen the whole matrix)."""
    keys: set[str] = set()
    for build in builds:
        section = build.get("variant") if isinstance(build, Mapping) else None
        if isinstance(section, Mapping):
            keys.update(key for key in _names(section.get("use_keys")) if key in variant)
    return frozenset(keys)


def recipe_yaml_ignored(data: Mapping[str, Any], output_name: str) -> frozenset[str]:
    """The ``build.variant.ignore_keys`` of a recipe.yaml's top level and of one output.

    rattler-build drops them from every key the output uses, the build script's included.
    """
    return _variant_entries(data, output_name, "ignore_keys")


def recipe_yaml_named(data: Mapping[str, Any], output_name: str) -> frozenset[str]:
    """The ``build.variant.use_keys`` of a recipe.yaml's top level and of one output.

    A key named there is used even when it is also one of the recipe's own output names
    (rattler-build then gives it the pinned output's version).
    """
    return _variant_entries(data, output_name, "use_keys")


def _variant_entries(data: Mapping[str, Any], output_name: str, kind: str) -> frozenset[str]:
    builds = [data.get("build")]
    outputs = data.get("outputs")
    for item in outputs if isinstance(outputs, list) else ():
        package = item.get("package") if isinstance(item, Mapping) else None
        if isinstance(package, Mapping) and str(package.get("name")) == output_name:
            builds.append(item.get("build"))
    found: set[str] = set()
    for build in builds:
        section = build.get("variant") if isinstance(build, Mapping) else None
        if isinstance(section, Mapping):
            found |= _names(section.get(kind))
    return frozenset(found)
