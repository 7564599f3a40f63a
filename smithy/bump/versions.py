"""Compare upstream versions the way conda does, and tell pre-releases apart."""

from __future__ import annotations

import re
from collections.abc import Iterable

from packaging.version import InvalidVersion
from packaging.version import Version as Pep440Version
from rattler import Version as CondaVersion

# Pre-release markers outside PEP 440 spellings: 1.0-beta2, 2.0.0-rc.1, 3.1_alpha, 4.0dev.
_PRE_WORDS = re.compile(
    r"(?i)(?:^|[\d._+-])(a|b|c|rc|alpha|beta|dev|pre|preview|snapshot|nightly)\d*"
)

# Semantic versioning (npm, crates.io): anything after a '-' that follows x.y.z is a pre-release.
_SEMVER_PRE = re.compile(r"^\d+\.\d+\.\d+-")


def conda_version(text: str) -> CondaVersion | None:
    """Return ``text`` as a conda version (``-`` read as ``_``, as conda recipes write it)."""
    try:
        return CondaVersion(text.replace("-", "_"))
    except Exception:  # py-rattler raises its own InvalidVersionError
        return None


def is_prerelease(text: str) -> bool:
    """Return whether ``text`` names a pre-release (alpha, beta, rc, dev, preview, ...)."""
    if _SEMVER_PRE.match(text):
        return True
    try:
        return Pep440Version(text).is_prerelease
    except InvalidVersion:
        return bool(_PRE_WORDS.search(text))


def newest(
    candidates: Iterable[str],
    *,
    include_pre: bool = False,
    exclude: Iterable[str] = (),
) -> str | None:
    """Return the highest of ``candidates`` by conda's ordering, or None.

    Args:
        candidates: upstream version strings; ones conda cannot read are ignored.
        include_pre: also consider pre-releases.
        exclude: versions never to propose (``bot: version_updates: exclude``).
    """
    excluded = set(exclude)
    best: tuple[CondaVersion, str] | None = None
    for text in sorted(set(candidates)):
        if text in excluded or (not include_pre and is_prerelease(text)):
            continue
        parsed = conda_version(text)
        if parsed is not None and (best is None or parsed > best[0]):
            best = (parsed, text)
    return best[1] if best else None


def is_newer(candidate: str, current: str) -> bool:
    """Return whether ``candidate`` sorts after ``current``."""
    new, old = conda_version(candidate), conda_version(current)
    return new is not None and old is not None and new > old
