"""Expand chosen variant keys into their combinations, zip_keys groups moving together."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from smithy.errors import VariantError
from smithy.variants.model import VariantConfig, check_zip_group

# Combinations one platform may expand to. conda-forge's largest matrices stay in the hundreds;
# past this, time and memory grow with a matrix no CI service would run.
MAX_COMBINATIONS = 20_000


def _dimensions(config: VariantConfig, keys: Iterable[str]) -> list[tuple[str, ...]]:
    """Group the wanted keys into dimensions: one per lone key, one per zip group.

    A zipped key pulls in its partners present in ``config``, so a combination never pairs
    values the pinning keeps apart.
    """
    wanted = sorted({key for key in keys if key in config.values and key not in config.extend_keys})
    dimensions: list[tuple[str, ...]] = []
    placed: set[str] = set()
    for key in wanted:
        if key in placed:
            continue
        group = config.zip_group_of(key)
        if group is None:
            dimension: tuple[str, ...] = (key,)
        else:
            check_zip_group(config, group)
            dimension = tuple(sorted(k for k in group if k in config.values))
        placed.update(dimension)
        dimensions.append(dimension)
    return dimensions


def combinations(config: VariantConfig, keys: Iterable[str]) -> list[dict[str, str]]:
    """Return every combination of the values of ``keys`` in ``config``.

    Keys missing from ``config`` (and ``extend_keys``) are ignored. Keys of one zip group
    move together, and a zipped key brings its partners along. The product runs over the
    keys in sorted order (the first key changes slowest) and each key's values in file
    order; each combination lists its keys sorted. Repeated combinations are dropped.
    With no usable key the result is one empty combination.

    Raises:
        VariantError: a zip group involved has keys with different numbers of values.
    """
    dimensions = _dimensions(config, keys)
    axes = [
        list(zip(*(config.values[key] for key in dimension), strict=True))
        for dimension in dimensions
    ]
    _check_size(config, dimensions, [len(axis) for axis in axes])
    order = sorted(key for dimension in dimensions for key in dimension)
    seen: set[tuple[str, ...]] = set()
    result: list[dict[str, str]] = []
    for rows in itertools.product(*axes):
        variant = {
            key: value
            for dimension, row in zip(dimensions, rows, strict=True)
            for key, value in zip(dimension, row, strict=True)
        }
        ordered = {key: variant[key] for key in order}
        fingerprint = tuple(ordered.values())
        if fingerprint not in seen:
            seen.add(fingerprint)
            result.append(ordered)
    return result


def _check_size(
    config: VariantConfig, dimensions: list[tuple[str, ...]], lengths: list[int]
) -> None:
    """Refuse a product past ``MAX_COMBINATIONS`` before building any of it."""
    total = 1
    for length in lengths:
        total *= length
    if total <= MAX_COMBINATIONS:
        return
    largest = max(range(len(lengths)), key=lambda index: lengths[index])
    key = dimensions[largest][0]
    factors = " x ".join(f"{'+'.join(d)}={n}" for d, n in zip(dimensions, lengths, strict=True))
    origins = config.origins.get(key)
    raise VariantError(
        f"the variant keys multiply to {total} combinations ({factors}), more than "
        f"smithy's limit of {MAX_COMBINATIONS}",
        origins[0] if origins else None,
    )
