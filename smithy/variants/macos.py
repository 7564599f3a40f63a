"""Make the macOS deployment target keys agree, as conda-smithy does before writing osx jobs."""

from __future__ import annotations

from dataclasses import replace

from smithy.errors import VariantError
from smithy.variants.model import VariantConfig
from smithy.versions import (
    BadVersion,
    Version,
    parse_version,
)

STDLIB = "c_stdlib_version"
DEPLOYMENT_TARGET = "MACOSX_DEPLOYMENT_TARGET"
SDK = "MACOSX_SDK_VERSION"


def _version(text: str) -> Version:
    try:
        return parse_version(text)
    except BadVersion:
        message = (
            f"{STDLIB}, {DEPLOYMENT_TARGET} and {SDK} must each be a single version, not {text!r}"
        )
        raise VariantError(message) from None


def _merged(stdlib: str, target: str | None, sdk: str | None) -> tuple[str, str]:
    """(deployment target, sdk): the larger of stdlib and target; the sdk at least that."""
    chosen = stdlib
    if target is not None and _version(stdlib) < _version(target):
        chosen = target
    sdk_value = sdk if sdk is not None else stdlib
    if _version(sdk_value) < _version(chosen):
        sdk_value = chosen
    return chosen, sdk_value


def merge_deployment_target(config: VariantConfig, platform: str) -> VariantConfig:
    """On osx, set c_stdlib_version and MACOSX_DEPLOYMENT_TARGET to the larger of the two.

    ``MACOSX_SDK_VERSION`` is raised to that value when lower. conda-forge's CI setup reads
    ``MACOSX_DEPLOYMENT_TARGET``, so osx jobs always carry it when ``c_stdlib_version`` is set.
    Several values (a zipped or looping stdlib) are merged position by position when the
    three keys have the same number of values, else value by value against single ones; a
    single deployment target raises each of several SDK values (which keep their count).

    Raises:
        VariantError: one of the keys holds a version range instead of a version.
    """
    values = dict(config.values)
    stdlibs = values.get(STDLIB)
    if not platform.startswith("osx") or not stdlibs:
        return config
    targets = values.get(DEPLOYMENT_TARGET, ())
    sdks = values.get(SDK, ())

    def pick(items: tuple[str, ...], index: int) -> str | None:
        if not items:
            return None
        return items[index] if len(items) == len(stdlibs) else items[0]

    merged = [_merged(s, pick(targets, i), pick(sdks, i)) for i, s in enumerate(stdlibs)]
    values[STDLIB] = tuple(target for target, _ in merged)
    values[DEPLOYMENT_TARGET] = tuple(target for target, _ in merged)
    values[SDK] = tuple(sdk for _, sdk in merged)
    if len(stdlibs) == 1 and len(sdks) > 1:
        # conda-smithy merges each variant on its own: one deployment target raises every
        # SDK value (which may be zipped with other keys) and the SDK keeps its length.
        values[SDK] = tuple(_merged(values[STDLIB][0], None, sdk)[1] for sdk in sdks)
    origins = dict(config.origins)
    for key in (DEPLOYMENT_TARGET, SDK):
        if len(origins.get(key, ())) != len(values[key]):
            origins[key] = config.origins.get(STDLIB, ())
    return replace(config, values=values, origins=origins)
