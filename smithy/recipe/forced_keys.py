"""Variant keys a recipe forces into or out of an output's used keys.

meta.yaml has ``build: {force_use_keys, force_ignore_keys}``: conda-build drops the ignored
keys from the keys an output uses, then adds the forced ones. recipe.yaml has
``build: {variant: {use_keys, ignore_keys}}``: rattler-build adds the forced keys the variant
has, then drops the ignored ones. Both change how conda-smithy splits the CI jobs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from smithy.records import frozen_record


def _names(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, (list, tuple)):
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


@frozen_record
class VariantLists:
    """The ``build.variant`` lists of a recipe.yaml's top level and of one output, together.

    Attributes:
        use_keys: keys used even when nothing reads them, or when they are also one of the
            recipe's own output names (rattler-build then gives them the pinned version).
        ignore_keys: keys rattler-build drops from every key the output uses, the build
            script's included.
    """

    use_keys: frozenset[str] = frozenset()
    ignore_keys: frozenset[str] = frozenset()

    def widened(self, build: Any) -> VariantLists:
        """These lists with those of the ``build`` section ``build`` added."""
        section = build.get("variant") if isinstance(build, Mapping) else None
        if not isinstance(section, Mapping):
            return self
        use, ignore = _names(section.get("use_keys")), _names(section.get("ignore_keys"))
        return VariantLists(self.use_keys | use, self.ignore_keys | ignore)


@frozen_record
class RecipeYamlVariantLists:
    """Each output's :class:`VariantLists` of one rendered recipe.yaml, read in one pass."""

    top: VariantLists
    by_output: Mapping[str, VariantLists]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> RecipeYamlVariantLists:
        """Read the lists of a rendered recipe.yaml's data (its top level and ``outputs``)."""
        top = VariantLists().widened(data.get("build"))
        by_output: dict[str, VariantLists] = {}
        outputs = data.get("outputs")
        for item in outputs if isinstance(outputs, list) else ():
            package = item.get("package") if isinstance(item, Mapping) else None
            if isinstance(package, Mapping):
                name = str(package.get("name"))
                by_output[name] = by_output.get(name, top).widened(item.get("build"))
        return cls(top, by_output)

    def output(self, name: str) -> VariantLists:
        """The lists of the output called ``name`` (the top level's alone for any other)."""
        return self.by_output.get(name, self.top)
