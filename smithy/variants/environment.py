"""The pinning's environment contract: the variables its selectors read, as an explicit mapping."""

from __future__ import annotations

import re

from smithy.recipe.model import RawRecipe

# conda-smithy enables the CUDA zips when a non-comment recipe line asks for the cuda compiler.
_CUDA_COMPILER = re.compile(r"""compiler\(\s*['"]cuda['"]\s*\)""")


def uses_cuda_compiler(raw: RawRecipe) -> bool:
    """Return whether any non-comment line of the recipe calls ``compiler('cuda')``."""
    return any(
        _CUDA_COMPILER.search(line)
        for line in raw.text.splitlines()
        if not line.lstrip().startswith("#")
    )


def pinning_environment(
    *,
    build_platform: str,
    linux_version: str | None,
    cuda_enabled: bool,
    config_version: str = "2",
) -> dict[str, str]:
    """Return the variables conda-forge's pinning selectors read through ``os.environ.get``.

    Args:
        build_platform: the subdir the job runs on (``BUILD_PLATFORM``).
        linux_version: ``os_version`` of the platform from conda-forge.yml, if set
            (``DEFAULT_LINUX_VERSION``; unset lets the pinning use its own default).
        cuda_enabled: whether the recipe uses the cuda compiler (``CF_CUDA_ENABLED``).
        config_version: conda-forge.yml ``config_version`` (``CONFIG_VERSION``).
    """
    env = {
        "BUILD_PLATFORM": build_platform,
        "CF_CUDA_ENABLED": "True" if cuda_enabled else "False",
        "CONFIG_VERSION": config_version,
    }
    if linux_version:
        env["DEFAULT_LINUX_VERSION"] = linux_version
    return env
