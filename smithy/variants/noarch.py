"""conda-build's noarch rule: a noarch recipe is rendered with the newest python only."""

from __future__ import annotations

from dataclasses import replace

from smithy.variants.model import VariantConfig
from smithy.versions import (
    Version,
    version_or_none,
)

PYTHON = "python"


def _version_key(value: str) -> Version | None:
    text = value.split(" ")[0].removesuffix(".*").removesuffix("*")
    return version_or_none(text)


def newest_python_only(config: VariantConfig) -> VariantConfig:
    """Keep the newest ``python`` value (and its zip partners' values at that position).

    Among equal versions the first in the pinning's order wins. Values that are not versions
    are left alone, and so is a config with at most one python.
    """
    values = config.values.get(PYTHON, ())
    keyed = [(v, index) for index, value in enumerate(values) if (v := _version_key(value))]
    if len(values) < 2 or len(keyed) != len(values):
        return config
    newest = max(version for version, _ in keyed)
    keep = next(index for version, index in keyed if version == newest)
    group = config.zip_group_of(PYTHON) or (PYTHON,)
    new_values = dict(config.values)
    new_origins = dict(config.origins)
    for key in group:
        if key in new_values and len(new_values[key]) == len(values):
            new_values[key] = (new_values[key][keep],)
            spans = config.origins.get(key, ())
            new_origins[key] = (spans[keep],) if len(spans) > keep else spans
    return replace(config, values=new_values, origins=new_origins)
