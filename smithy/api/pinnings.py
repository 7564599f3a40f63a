"""conda-forge-pinning: download the newest into the cache, list what is cached."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.pinning.cache import PACKAGE_NAME as PINNING_PACKAGE
from smithy.pinning.fetch import DEFAULT_CHANNEL as DEFAULT_PINNING_CHANNEL
from smithy.pinning.fetch import FetchStatus as FetchStatus

if TYPE_CHECKING:
    from smithy.pinning.cache import CachedPinning
    from smithy.pinning.fetch import FetchResult

__all__ = ["DEFAULT_PINNING_CHANNEL", "PINNING_PACKAGE"]  # re-exported under these names


def fetch_pinning(
    environ: Mapping[str, str], *, channel: str | None = None, cache_dir: Path | None = None
) -> FetchResult:
    """Download the channel's newest conda-forge-pinning unless it is cached already.

    Offline, the newest cached version is kept (``result.note`` says so).

    Raises:
        SmithyError: offline with nothing cached, or a bad channel or cache setting.
    """
    from smithy.pinning.fetch import fetch_pinning as fetch
    from smithy.pinning.fetch import pinning_settings

    return fetch(pinning_settings(environ, channel=channel, cache_dir=cache_dir))


def cached_pinnings(
    environ: Mapping[str, str], *, cache_dir: Path | None = None
) -> tuple[Path, tuple[CachedPinning, ...]]:
    """The pinning cache folder and the versions it holds, oldest first.

    Raises:
        SmithyError: a bad cache setting.
    """
    from smithy.pinning.cache import cached_pinnings as cached
    from smithy.pinning.fetch import pinning_settings

    settings = pinning_settings(environ, cache_dir=cache_dir)
    return settings.cache_dir, cached(settings.cache_dir)
