"""Get the conda-forge pinning: the channel's newest when reachable, else the newest cached."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from smithy.errors import PinningError, Span
from smithy.pinning.cache import (
    CBC_NAME,
    PACKAGE_NAME,
    CachedPinning,
    cached_copy,
    default_cache_dir,
    install,
    make_staging,
    newest_cached,
    remove_staging,
)
from smithy.pinning.model import PinningSource

DEFAULT_CHANNEL = "https://conda.anaconda.org/conda-forge"
CHANNEL_VARIABLE = "SMITHY_PINNING_CHANNEL"
OFFLINE_VARIABLE = "SMITHY_OFFLINE"
# rattler's cache of the channel index; the leading dot keeps it out of the version listing.
_REPODATA_DIR = ".repodata"
_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True, slots=True)
class PinningSettings:
    """Where the conda-forge pinning comes from and where it is kept.

    Attributes:
        cache_dir: the pinning cache; one folder per version below it.
        channel: the channel URL to look in.
        offline: never contact the channel; use the newest cached version.
        timeout_s: per-request network timeout in seconds.
        retries: retries for the package download (the index query never retries, so an
            unreachable channel falls back to the cache at once).
    """

    cache_dir: Path
    channel: str = DEFAULT_CHANNEL
    offline: bool = False
    timeout_s: int = 120
    retries: int = 2


class FetchStatus(StrEnum):
    """How :func:`fetch_pinning` got its pinning."""

    DOWNLOADED = "downloaded"
    UP_TO_DATE = "up to date"
    CACHED = "cached"  # the channel was not asked or did not answer


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The pinning :func:`fetch_pinning` settled on.

    Attributes:
        pinning: the cache entry to use.
        status: downloaded now, already the channel's newest, or taken from the cache alone.
        note: why the channel was not used (empty unless ``status`` is ``cached``).
    """

    pinning: CachedPinning
    status: FetchStatus
    note: str = ""


def pinning_settings(
    environ: Mapping[str, str],
    *,
    channel: str | None = None,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> PinningSettings:
    """Build the settings from explicit values, falling back to the environment.

    Args:
        environ: the process environment; reads ``SMITHY_PINNING_CHANNEL``, ``SMITHY_OFFLINE``
            (``1``/``true``/``yes``/``on``) and, for the cache folder, ``XDG_CACHE_HOME``
            (else platformdirs' user cache folder).
        channel: the channel URL; default ``$SMITHY_PINNING_CHANNEL``, then conda-forge.
        cache_dir: the cache folder; default ``$XDG_CACHE_HOME/smithy/pinning`` or the like.
        offline: never contact the channel; default from ``$SMITHY_OFFLINE``.

    Raises:
        PinningError: no cache folder was given and none can be derived from ``environ``.
    """
    chosen_channel = channel or environ.get(CHANNEL_VARIABLE, "").strip() or DEFAULT_CHANNEL
    if offline is None:
        offline = environ.get(OFFLINE_VARIABLE, "").strip().lower() in _TRUE
    folder = cache_dir if cache_dir is not None else default_cache_dir(environ)
    return PinningSettings(cache_dir=folder, channel=chosen_channel.rstrip("/"), offline=offline)


def _from_cache(settings: PinningSettings, why: str) -> FetchResult:
    entry = newest_cached(settings.cache_dir)
    if entry is None:
        raise PinningError(
            f"{why} and no {PACKAGE_NAME} is cached in {settings.cache_dir}; "
            "run `smithy pinning fetch` while online"
        )
    note = f"{why}; using the cached {PACKAGE_NAME} {entry.package.version}"
    return FetchResult(entry, FetchStatus.CACHED, note)


def fetch_pinning(settings: PinningSettings) -> FetchResult:
    """Make sure the channel's newest ``conda-forge-pinning`` is cached and return it.

    The package is downloaded only when that exact file (version and SHA-256) is not cached
    yet. When ``settings.offline`` is set, or the channel cannot be reached, the newest cached
    version is used instead and ``note`` says so.

    Args:
        settings: channel, cache folder and network settings.

    Raises:
        PinningError: the channel has no pinning, the download is corrupt or unreadable, or
            the channel is unavailable and nothing is cached.
    """
    if settings.offline:
        return _from_cache(settings, f"offline (${OFFLINE_VARIABLE} is set)")
    # Imported here: py-rattler is only needed when the network is used.
    from smithy.pinning import channel as remote

    repodata_cache = settings.cache_dir / _REPODATA_DIR
    try:
        # Checked first, so a cache problem is not mistaken for an unreachable channel.
        repodata_cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PinningError(
            f"cannot write the pinning cache: {exc.strerror or exc}", Span(str(repodata_cache))
        ) from None
    unreachable: str | None = None
    try:
        package = remote.newest_package(settings.channel, repodata_cache, settings.timeout_s)
    except remote.ChannelUnreachableError as exc:
        unreachable = exc.reason
    if unreachable is not None:  # outside the handler: no exception chain outlives the call
        return _from_cache(settings, f"channel {settings.channel} is unreachable ({unreachable})")
    existing = cached_copy(settings.cache_dir, package)
    if existing is not None:
        return FetchResult(existing, FetchStatus.UP_TO_DATE)
    staging = make_staging(settings.cache_dir)
    try:
        extracted = remote.download_package(package, staging, settings.timeout_s, settings.retries)
        entry = install(extracted, package, settings.cache_dir)
    finally:
        remove_staging(staging)
    return FetchResult(entry, FetchStatus.DOWNLOADED)


def pinning_source(result: FetchResult, origin: str = "--pinning") -> PinningSource:
    """Describe a fetched or cached pinning as the :class:`PinningSource` a rerender uses.

    Args:
        result: what :func:`fetch_pinning` returned.
        origin: the option or variable that asked for it (``--pinning``, ``SMITHY_PINNING``).
    """
    entry = result.pinning
    migrations = entry.folder / "migrations"
    where = result.note if result.status is FetchStatus.CACHED else entry.package.channel
    return PinningSource(
        path=entry.folder,
        cbc=entry.folder / CBC_NAME,
        migrations_dir=migrations if migrations.is_dir() else None,
        origin=f"{origin} conda-forge ({where})",
        version=entry.package.version,
    )


def resolve_conda_forge_pinning(
    environ: Mapping[str, str], origin: str = "--pinning"
) -> PinningSource:
    """Resolve ``--pinning conda-forge``: fetch or reuse the newest conda-forge-pinning.

    Args:
        environ: the process environment, read as :func:`pinning_settings` describes.
        origin: the option or variable that named ``conda-forge``.

    Raises:
        PinningError: as :func:`fetch_pinning` and :func:`pinning_settings`.
    """
    return pinning_source(fetch_pinning(pinning_settings(environ)), origin)
