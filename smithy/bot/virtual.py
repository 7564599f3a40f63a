"""The virtual packages a CI job's machine offers: glibc of its image, macOS target, CUDA."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from smithy.matrix.model import CiJob

# glibc of conda-forge's docker image distributions (tag suffix of linux-anvil-*:<tag>).
IMAGE_GLIBC = {
    "cos6": "2.12",
    "cos7": "2.17",
    "alma8": "2.28",
    "ubi8": "2.28",
    "alma9": "2.34",
    "alma10": "2.39",
}
# conda-forge's os_version names (conda-forge.yml) map to the same distributions.
DEFAULT_GLIBC = "2.17"
DEFAULT_OSX = {"osx-64": "10.13", "osx-arm64": "11.0"}
# Linux kernel the solver assumes: old enough for every image conda-forge runs.
LINUX_KERNEL = "4.18"
_TAG = re.compile(r":([a-z]+[0-9]+)(?:[-_.]|$)")


def _first(config: Mapping[str, Any], key: str) -> str | None:
    value = config.get(key)
    if isinstance(value, list) and value:
        return str(value[0])
    return str(value) if isinstance(value, str | int | float) else None


def glibc_of(config: Mapping[str, Any]) -> str:
    """The job image's glibc: from the docker image tag, else ``c_stdlib_version``."""
    image = _first(config, "docker_image") or ""
    match = _TAG.search(image)
    if match and match.group(1) in IMAGE_GLIBC:
        return IMAGE_GLIBC[match.group(1)]
    return _first(config, "c_stdlib_version") or DEFAULT_GLIBC


def osx_of(config: Mapping[str, Any], platform: str) -> str:
    """The job's macOS deployment target (``MACOSX_DEPLOYMENT_TARGET`` or the stdlib version)."""
    return (
        _first(config, "MACOSX_DEPLOYMENT_TARGET")
        or _first(config, "c_stdlib_version")
        or DEFAULT_OSX.get(platform, "10.13")
    )


def cuda_of(config: Mapping[str, Any]) -> str | None:
    """The CUDA version a job builds with, None when it does not use CUDA."""
    version = _first(config, "cuda_compiler_version")
    return None if version in (None, "None", "") else version


def virtual_packages(job: CiJob, platform: str) -> dict[str, str]:
    """Virtual package name -> version for solving on ``platform`` in ``job``'s machine."""
    config = job.config
    found: dict[str, str] = {}
    if platform.startswith(("linux-", "osx-")):
        found["__unix"] = "0"
    if platform.startswith("linux-"):
        found["__linux"] = LINUX_KERNEL
        found["__glibc"] = glibc_of(config)
    elif platform.startswith("osx-"):
        found["__osx"] = osx_of(config, platform)
    elif platform.startswith("win-"):
        found["__win"] = "0"
    cuda = cuda_of(config)
    if cuda is not None and not platform.startswith("osx-"):
        found["__cuda"] = cuda
    return found
