"""Names of ``.ci_support/<name>.yaml`` job files as conda-smithy makes them, short forms too."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

# Characters not allowed in file names on some platform.
_UNSAFE = re.compile(r'[<>:?*,"/|\\]')
# Drone limits names to 50 characters (conda-smithy #1188); names this long get a short form.
SHORT_NAME_THRESHOLD = 49
SHORT_NAME_PREFIX = 40
# Windows paths hold at most 259 characters plus the terminating NUL.
WINDOWS_MAX_PATH = 259
# GitHub Actions checks a feedstock out below this folder on Windows runners (conda-smithy #2476).
_WINDOWS_CHECKOUT = "C:/Users/runnerx/_work/{repo}/{repo}/.ci_support/"
_HASH_SUFFIX_LENGTH = len("_h12345678.yaml")


def name_hash(name: str) -> str:
    """Return the first 8 hex digits of the SHA-256 of ``name`` (the ``_h`` suffix)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def package_key(top_level_values: Mapping[str, Sequence[object]]) -> str:
    """Concatenate ``key + first value`` of every top-level key but ``target_platform``.

    Keys are sorted; ``*`` and spaces become ``_``. Values are written with ``str``, so a
    boolean ``False`` gives ``False``.
    """
    key = "".join(
        name + str(values[0])
        for name, values in sorted(top_level_values.items())
        if name != "target_platform"
    )
    return key.replace("*", "_").replace(" ", "_")


def config_name(platform: str, arch: str, top_level_values: Mapping[str, Sequence[object]]) -> str:
    """Return the job name of one variant: ``<platform>_<arch>_<package key>``.

    Args:
        platform: the OS part of the subdir (``linux``, ``osx``, ``win``).
        arch: the arch part of the subdir (``64``, ``aarch64``, ``arm64``).
        top_level_values: the job's values of its top-level loop keys (each a value list; the
            first value names the job).

    Returns:
        The name without ``.yaml``, with characters unsafe in file names removed, e.g.
        ``linux_64_python3.12.____cpython``.
    """
    name = f"{platform}_{arch}_{package_key(top_level_values)}"
    return _UNSAFE.sub("", name)


def short_config_name(name: str) -> str:
    """Return the short name used for artifacts: 49+ characters become 40 + ``_h<hash>``."""
    if len(name) >= SHORT_NAME_THRESHOLD:
        return f"{name[:SHORT_NAME_PREFIX]}_h{name_hash(name)}"
    return name


def windows_safe_config_name(name: str, repo_name: str) -> str:
    """Shorten ``name`` so ``.ci_support/<name>.yaml`` fits Windows' path limit on GitHub runners.

    Args:
        name: the job name from :func:`config_name` (before any shortening).
        repo_name: the feedstock repository's name, e.g. ``numpy-feedstock``.

    Returns:
        ``name`` unchanged when the checkout path stays within 259 characters; otherwise ``name``
        cut so that it, ``_h<hash of name>`` and ``.yaml`` just fit.
    """
    outer = len(_WINDOWS_CHECKOUT.format(repo=repo_name))
    if outer + len(name) + len(".yaml") > WINDOWS_MAX_PATH:
        return f"{name[: WINDOWS_MAX_PATH - outer - _HASH_SUFFIX_LENGTH]}_h{name_hash(name)}"
    return name
