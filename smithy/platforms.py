"""Facts about conda platforms (subdirs) and the selector namespace each one defines."""

from __future__ import annotations

import functools
import types
from collections.abc import Mapping

# The subdirs conda-forge builds for (conda-smithy's build_platform keys), in a stable order.
CONDA_FORGE_PLATFORMS: tuple[str, ...] = (
    "linux-64",
    "linux-aarch64",
    "linux-ppc64le",
    "linux-armv7l",
    "linux-s390x",
    "linux-riscv64",
    "osx-64",
    "osx-arm64",
    "win-64",
    "win-arm64",
    "emscripten-wasm32",
    "wasi-wasm32",
)
# The six platforms conda-forge's CI builds by default when a recipe asks for them.
MAIN_PLATFORMS: tuple[str, ...] = (
    "linux-64",
    "linux-aarch64",
    "linux-ppc64le",
    "osx-64",
    "osx-arm64",
    "win-64",
)
# Every subdir conda knows; selectors for all of their OS and arch names exist on every platform.
KNOWN_SUBDIRS: tuple[str, ...] = (
    *CONDA_FORGE_PLATFORMS,
    "linux-32",
    "linux-armv6l",
    "linux-ppc64",
    "linux-loongarch64",
    "win-32",
    "freebsd-64",
    "zos-z",
)
_ARCH_NAMES = {"32": "x86", "64": "x86_64"}  # conda-build's ARCH_MAP for selector names
OS_NAMES = tuple(sorted({subdir.split("-", 1)[0] for subdir in KNOWN_SUBDIRS}))
_ARCH_SUFFIXES = tuple(sorted({subdir.split("-", 1)[1] for subdir in KNOWN_SUBDIRS}))

# Values conda-build assumes when the variant does not set them (selectors `py`, `np`).
DEFAULT_PYTHON = "3.12"
DEFAULT_NUMPY = "1.26"


def is_known_platform(platform: str) -> bool:
    """Return whether ``platform`` is a subdir smithy knows (``linux-64``, ``osx-arm64``, ...)."""
    return platform in KNOWN_SUBDIRS or platform == "noarch"


def platform_names(platform: str) -> dict[str, bool]:
    """Return the boolean selector names of ``platform`` (``linux``, ``x86_64``, ``unix``, ...).

    Mirrors conda-build's ``get_selectors``: every OS and arch name of every known subdir is
    defined (False unless it matches), so ``# [ppc64le]`` is valid on win-64.
    """
    names: dict[str, bool] = {}
    for os_name in OS_NAMES:
        names[os_name] = platform.startswith(f"{os_name}-")
    for suffix in _ARCH_SUFFIXES:
        names[_ARCH_NAMES.get(suffix, suffix)] = platform.endswith(f"-{suffix}")
    # conda-build counts 64-bit intel as x86 too.
    names["x86"] = platform.endswith(("-32", "-64"))
    names.update(
        linux32=platform == "linux-32",
        linux64=platform == "linux-64",
        win32=platform == "win-32",
        win64=platform == "win-64",
        osx64=platform == "osx-64",
        arm=platform.startswith("linux-arm"),
        unix=platform.startswith(("linux-", "osx-", "emscripten-")),
    )
    return names


def version_number(version: str) -> int:
    """Turn ``"3.12.1 *_cpython"`` into ``312`` the way conda-build computes ``py`` and ``np``."""
    parts = version.split(" ", 1)[0].split(".")
    digits = "".join(parts[:2])
    return int(digits) if digits.isdigit() else 0


@functools.lru_cache(maxsize=4096)  # a namespace is built per variant; values repeat
def coerce_variant_value(value: str) -> object:
    """Give a variant value the type conda-build gives it in selectors: int, bool or str."""
    try:
        return int(value)
    except ValueError:
        pass
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def selector_namespace(
    target_platform: str,
    variant: Mapping[str, str] | None = None,
    build_platform: str | None = None,
) -> dict[str, object]:
    """Build the names a ``# [selector]`` sees for one platform and variant.

    Args:
        target_platform: the subdir being built for, e.g. ``linux-aarch64``.
        variant: the variant's values (strings, as read from variant files).
        build_platform: the subdir the build runs on; defaults to ``target_platform``.

    Returns:
        Platform booleans, ``py``/``py3k``/``py2k``/``py27``..., ``np``, ``target_platform``,
        ``build_platform`` and every variant key (ints and booleans coerced as conda-build does).
    """
    variant = variant or {}
    names = _fixed_names(
        target_platform,
        build_platform or target_platform,
        variant.get("python", DEFAULT_PYTHON),
        variant.get("numpy", DEFAULT_NUMPY),
    )
    # Then every variant key those names do not define, in the variant's order. A variant holds
    # every pinning key (~460 for conda-forge's) and a big recipe builds one namespace per
    # render, so this runs as C loops (map, zip, dict union) rather than a Python loop: the
    # union puts new keys after the names, ``update`` gives the names back their values.
    coerced = map(coerce_variant_value, variant.values())
    merged = names | dict(zip(variant, coerced, strict=True))
    merged.update(names)
    return merged


# Keyed by everything the names are computed from; a feedstock has a few platforms and pythons.
@functools.lru_cache(maxsize=256)
def _fixed_names(
    target_platform: str, build_platform: str, python: str, numpy: str
) -> types.MappingProxyType[str, object]:
    """The names that do not come from variant keys (one mapping shared by the callers)."""
    namespace: dict[str, object] = dict(platform_names(target_platform))
    py = version_number(python)
    major = python.split(" ", 1)[0].split(".", 1)[0]
    namespace.update(
        py=py,
        py3k=major == "3",
        py2k=major == "2",
        nomkl=False,  # conda-build reads FEATURE_NOMKL from the environment; never set here
        # conda-forge recipes write `x in (undefined, "None")`; conda-build reads the unknown
        # name `undefined` as False, and so does smithy, on purpose rather than by accident.
        undefined=False,
        np=version_number(numpy),
        target_platform=target_platform,
        build_platform=build_platform,
    )
    for minor in (26, 27, 33, 34, 35, 36):
        namespace[f"py{minor}"] = py == minor
    return types.MappingProxyType(namespace)  # shared by every caller: read-only
