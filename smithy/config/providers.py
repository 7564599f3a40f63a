"""Platform keys of conda-forge.yml and how a build platform is mapped to its CI providers."""

from __future__ import annotations

from collections.abc import Mapping

# The platform keys conda-smithy's `build_platform`/`provider` maps know (conda's subdirs with
# `_` for `-`), in the order its defaults file lists them.
CONFIG_PLATFORMS: tuple[str, ...] = (
    "emscripten_wasm32",
    "freebsd_64",
    "linux_32",
    "linux_64",
    "linux_aarch64",
    "linux_armv6l",
    "linux_armv7l",
    "linux_ppc64",
    "linux_ppc64le",
    "linux_riscv64",
    "linux_s390x",
    "osx_64",
    "osx_arm64",
    "wasi_wasm32",
    "win_32",
    "win_64",
    "win_arm64",
    "zos_z",
)
LINUX_PLATFORMS: tuple[str, ...] = tuple(p for p in CONFIG_PLATFORMS if p.startswith("linux_"))
# `provider` also takes these OS names; they stand for the 64-bit build platform of that OS.
OS_ALIASES: tuple[str, ...] = ("linux", "osx", "win")
PROVIDER_KEYS: tuple[str, ...] = OS_ALIASES + CONFIG_PLATFORMS

CI_SERVICES: tuple[str, ...] = ("azure", "github_actions")
# Keywords resolved per platform: `default`/`emulated` -> DEFAULT_PROVIDERS, `native` ->
# NATIVE_PROVIDERS; the string `None` disables the platform like `false` does.
PROVIDER_KEYWORDS: tuple[str, ...] = ("default", "emulated", "native", "None")
DEPRECATED_CI_SERVICES: tuple[str, ...] = ("circle", "travis", "appveyor", "drone", "woodpecker")
# The configuration file conda-smithy writes for each deprecated service. smithy writes none
# (a job on such a service keeps the file as it is), so its warning names the file.
DEPRECATED_CI_FILES: Mapping[str, str] = {
    "circle": ".circleci/config.yml",
    "travis": ".travis.yml",
    "appveyor": ".appveyor.yml",
    "drone": ".drone.yml",
    "woodpecker": ".woodpecker.yml",
}
PROVIDER_NAMES: tuple[str, ...] = CI_SERVICES + PROVIDER_KEYWORDS + DEPRECATED_CI_SERVICES

FALLBACK_PROVIDER = "github_actions"
DEFAULT_PROVIDERS: Mapping[str, str] = {
    "linux_64": "github_actions",
    "linux_aarch64": "github_actions",
    "linux_ppc64le": "github_actions",
    "linux_s390x": "github_actions",
    "osx_64": "azure",
    "osx_arm64": "azure",
    "win_64": "github_actions",
    "win_arm64": "github_actions",
}
NATIVE_PROVIDERS: Mapping[str, str] = {
    **DEFAULT_PROVIDERS,
    "linux_ppc64le": "travis",
    "linux_s390x": "travis",
}
# Platforms built when conda-forge.yml says nothing.
INITIAL_PROVIDERS: Mapping[str, str] = {
    "linux_64": "github_actions",
    "osx_64": "azure",
    "win_64": "github_actions",
}

LINUX_OS_VERSIONS: tuple[str, ...] = ("alma10", "rocky10", "alma9", "alma8", "ubi8", "cos7")

ProviderValue = tuple[str, ...] | None
"""A `provider` entry as loaded: None when unset (null or an empty list), () when disabled."""


def platform_key(platform: str) -> str:
    """Return the conda-forge.yml key of a subdir: ``linux-64`` -> ``linux_64``."""
    return platform.replace("-", "_")


def platform_subdir(key: str) -> str:
    """Return the subdir of a conda-forge.yml platform key: ``osx_arm64`` -> ``osx-arm64``."""
    return key.replace("_", "-", 1)


def _resolve_name(name: str, key: str) -> str | None:
    if name in ("default", "emulated"):
        # conda-smithy looks the keyword up under the key it was written at, so an OS alias
        # (`osx: default`) falls back to github_actions rather than osx_64's azure.
        return DEFAULT_PROVIDERS.get(key, FALLBACK_PROVIDER)
    if name == "native":
        return NATIVE_PROVIDERS.get(key)
    if name == "None":
        return None
    return name


def resolve_providers(
    provider: Mapping[str, ProviderValue], build_platform: str
) -> tuple[str, ...]:
    """Return the CI providers that build on ``build_platform``, as conda-smithy decides.

    Args:
        provider: the loaded ``provider`` map (platform keys and OS aliases).
        build_platform: a subdir (``linux-64``) or key (``linux_64``).

    Returns:
        Provider names in the order written, keywords resolved and duplicates dropped;
        empty when the platform is not built.
    """
    key = platform_key(build_platform)
    os_name, _, arch = key.partition("_")
    lookup = key
    # An OS alias wins for the 64-bit platform of that OS unless it is unset (null or []);
    # `false` on the alias therefore disables the platform.
    if arch == "64" and provider.get(os_name) is not None:
        lookup = os_name
    names = provider.get(lookup)
    if not names:
        return ()
    resolved: list[str] = []
    for name in names:
        chosen = _resolve_name(name, lookup)
        if chosen is not None and chosen not in resolved:
            resolved.append(chosen)
    return tuple(resolved)
