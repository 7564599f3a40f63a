"""The on-disk cache of conda-forge-pinning packages: one extracted package folder per version."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from smithy.errors import PinningError, Span
from smithy.user_cache import smithy_cache_dir
from smithy.versions import Version, version_or_none

PACKAGE_NAME = "conda-forge-pinning"
# Written last into a version folder, so a folder without it is an unfinished download.
RECORD_NAME = "smithy-pinning.json"
PINNING_SUBDIR = Path("share", "conda-forge")
CBC_NAME = "conda_build_config.yaml"
VERSION_NAME = "VERSION"
_CACHE_SUBDIR = "pinning"  # below smithy's user cache folder
_STAGING_PREFIX = ".staging-"
# A version becomes a folder name: no separators, no leading dot, nothing a shell would mangle.
_SAFE_VERSION = re.compile(r"[0-9A-Za-z_+!][0-9A-Za-z._+!-]{0,127}\Z")


@dataclass(frozen=True, slots=True)
class PinningPackage:
    """One conda-forge-pinning package file as the channel lists it.

    Attributes:
        version: the package version, e.g. ``2026.08.20.12.34.56``.
        build: the build string.
        build_number: the build number.
        file_name: the archive's file name (``.conda`` or ``.tar.bz2``).
        url: where the archive was downloaded from.
        sha256: the archive's SHA-256 as hex, empty when the channel gave none.
        channel: the channel URL it was found in.
    """

    version: str
    build: str
    build_number: int
    file_name: str
    url: str
    sha256: str
    channel: str


@dataclass(frozen=True, slots=True)
class CachedPinning:
    """A pinning package extracted in the cache.

    Attributes:
        package: what was downloaded, from the version folder's record.
        root: the version folder, holding the extracted package.
    """

    package: PinningPackage
    root: Path

    @property
    def folder(self) -> Path:
        """The folder holding ``conda_build_config.yaml`` and ``migrations/``."""
        return self.root / PINNING_SUBDIR


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    """Return the pinning cache folder: ``smithy/pinning`` in smithy's user cache folder.

    That is ``$XDG_CACHE_HOME/smithy/pinning`` when ``XDG_CACHE_HOME`` is absolute, else the
    platform's user cache folder (:func:`smithy.user_cache.smithy_cache_dir`).

    Args:
        environ: the process environment; only ``XDG_CACHE_HOME`` is read from it.

    Raises:
        PinningError: no absolute cache folder can be found.
    """
    base = smithy_cache_dir(environ)
    if base is None:
        raise PinningError(
            "cannot find a cache folder for the pinning: set XDG_CACHE_HOME or HOME "
            "(or pass --cache-dir to `smithy pinning`)"
        )
    return base / _CACHE_SUBDIR


def version_key(version: str) -> tuple[bool, Version | str, str]:
    """Sort key for pinning versions: conda's version order (rattler), the text breaking ties.

    Text that is not a conda version sorts below every version, by itself.

    Args:
        version: a conda version string.
    """
    parsed = version_or_none(version)
    # Two keys compare their Versions only when both parsed (the first items are equal).
    return (True, parsed, version) if parsed is not None else (False, "", version)


def is_safe_version(version: str) -> bool:
    """Return whether ``version`` can name a cache folder (no separators, no leading dot)."""
    return _SAFE_VERSION.match(version) is not None and ".." not in version


def _read_record(path: Path) -> PinningPackage | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    text_fields = ("version", "build", "file_name", "url", "sha256", "channel")
    if not all(isinstance(data.get(name), str) for name in text_fields):
        return None
    number = data.get("build_number")
    if not isinstance(number, int) or isinstance(number, bool):
        return None
    return PinningPackage(**{name: data[name] for name in text_fields}, build_number=number)


def cached_pinnings(cache_dir: Path) -> tuple[CachedPinning, ...]:
    """Return the complete cached pinnings, oldest version first.

    A version folder counts when its record is readable, names the folder's version and the
    package's ``conda_build_config.yaml`` is there; anything else is ignored.

    Args:
        cache_dir: the pinning cache folder (it need not exist).
    """
    try:
        children = sorted(cache_dir.iterdir())
    except OSError:
        return ()
    found: list[CachedPinning] = []
    for child in children:
        if child.name.startswith(".") or not child.is_dir():
            continue
        package = _read_record(child / RECORD_NAME)
        if package is None or package.version != child.name:
            continue
        entry = CachedPinning(package, child)
        if (entry.folder / CBC_NAME).is_file():
            found.append(entry)
    found.sort(key=lambda e: version_key(e.package.version))
    return tuple(found)


def newest_cached(cache_dir: Path) -> CachedPinning | None:
    """Return the cached pinning with the highest version, None when the cache is empty."""
    entries = cached_pinnings(cache_dir)
    return entries[-1] if entries else None


def cached_copy(cache_dir: Path, package: PinningPackage) -> CachedPinning | None:
    """Return the cache entry holding exactly ``package`` (same version and SHA-256), if any."""
    for entry in cached_pinnings(cache_dir):
        if entry.package.version == package.version and entry.package.sha256 == package.sha256:
            return entry
    return None


def make_staging(cache_dir: Path) -> Path:
    """Create a private scratch folder inside the cache, so the final move stays on one disk.

    Raises:
        PinningError: the cache folder cannot be created or written.
    """
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=cache_dir))
    except OSError as exc:
        raise PinningError(
            f"cannot write the pinning cache: {exc.strerror or exc}", Span(str(cache_dir))
        ) from None


def install(extracted: Path, package: PinningPackage, cache_dir: Path) -> CachedPinning:
    """Move an extracted pinning package into ``cache_dir/<version>`` with its record.

    A folder already there for that version is replaced (moved next to ``extracted``, so it
    goes away with the staging folder); a reader sees either the old or the new complete
    folder, apart from the instant between the two renames.

    Args:
        extracted: the folder the archive was extracted to, directly inside a staging folder
            made by :func:`make_staging`.
        package: what was downloaded.
        cache_dir: the pinning cache folder.

    Raises:
        PinningError: the package has no ``share/conda-forge/conda_build_config.yaml``, its
            version cannot name a folder, or the cache cannot be written.
    """
    if not is_safe_version(package.version):
        raise PinningError(f"{PACKAGE_NAME} has an unusable version {package.version!r}")
    folder = extracted / PINNING_SUBDIR
    if not (folder / CBC_NAME).is_file():
        raise PinningError(
            f"{package.file_name} has no {(PINNING_SUBDIR / CBC_NAME).as_posix()}; "
            f"is it really a {PACKAGE_NAME} package?",
            Span(package.url),
        )
    target = cache_dir / package.version
    try:
        if not (folder / VERSION_NAME).exists():
            # Lets `--pinning <that folder>` report the version too.
            (folder / VERSION_NAME).write_text(package.version + "\n", encoding="utf-8")
        record = json.dumps(asdict(package), indent=2, sort_keys=True) + "\n"
        (extracted / RECORD_NAME).write_text(record, encoding="utf-8")
        if target.exists():
            target.rename(extracted.parent / "retired")
        extracted.rename(target)
    except OSError as exc:
        raise PinningError(
            f"cannot write the pinning cache: {exc.strerror or exc}", Span(str(target))
        ) from None
    return CachedPinning(package, target)


def remove_staging(path: Path) -> None:
    """Delete a scratch folder made by :func:`make_staging`; failures are ignored."""
    shutil.rmtree(path, ignore_errors=True)
