"""Talk to a conda channel through py-rattler: find the newest pinning package, download it."""

from __future__ import annotations

import asyncio
import gc
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Final

from smithy.errors import PinningError, Span
from smithy.pinning.cache import PACKAGE_NAME, PinningPackage

if TYPE_CHECKING:
    from rattler import Client, RepoDataRecord

_SUBDIR: Final = "noarch"
_CHUNK = 1 << 20


class ChannelUnreachableError(PinningError):
    """The channel's package index could not be read (network down, wrong URL, server error)."""

    def __init__(self, channel: str, reason: str) -> None:
        super().__init__(f"cannot read channel {channel}: {reason}")
        self.channel = channel
        self.reason = reason


def error_reason(exc: BaseException) -> str:
    """Return the most specific line of a rattler error chain (its last ``Caused by:``)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    last = lines[-1]
    return last.removeprefix("Caused by:").strip() or lines[0]


def _drop_rattler_objects() -> None:
    """Free the rattler objects a failed request leaves in reference cycles, now.

    asyncio keeps a failed request's exception, traceback and frames in cycles; left to the
    interpreter's shutdown, the gateway and client in those frames are dropped while Python
    is being torn down, which aborts or segfaults the process (rc 134/139) after the error
    was printed. Errors are also raised outside the ``except`` blocks, so no exception
    chain keeps them alive either.
    """
    gc.collect()


def _client(timeout_s: int, retries: int) -> Client:
    from rattler import Client
    from rattler.networking.middleware import RetryMiddleware

    # A plain client: no credential store lookups, and retries only where asked for.
    if retries > 0:
        return Client(middlewares=[RetryMiddleware(max_retries=retries)], timeout=timeout_s)
    return Client(timeout=timeout_s)


def _package(record: RepoDataRecord, channel: str) -> PinningPackage:
    sha = record.sha256
    return PinningPackage(
        version=str(record.version),
        build=str(record.build),
        build_number=int(record.build_number),
        file_name=record.file_name,
        url=record.url,
        sha256=sha.hex() if sha else "",
        channel=channel,
    )


def _newest(records: list[RepoDataRecord]) -> RepoDataRecord:
    def key(record: RepoDataRecord) -> tuple[object, ...]:
        stamp = record.timestamp.timestamp() if record.timestamp else 0.0
        # Same version and build in both formats: take the .conda file (smaller, faster).
        return (record.version, record.build_number, stamp, record.file_name.endswith(".conda"))

    return max(records, key=key)


async def _query(channel: str, repodata_cache: Path, timeout_s: int) -> list[RepoDataRecord]:
    from rattler import Channel, Gateway

    # No retries here: an unreachable channel must fall back to the cache without delay.
    gateway = Gateway(cache_dir=repodata_cache, client=_client(timeout_s, 0))
    result = await gateway.query(
        [Channel(channel)],
        [_SUBDIR],
        [PACKAGE_NAME],
        recursive=False,
        channel_relations="disabled",
    )
    return [record for record in result[0] if record.name.normalized == PACKAGE_NAME]


def newest_package(channel: str, repodata_cache: Path, timeout_s: int) -> PinningPackage:
    """Return the newest ``conda-forge-pinning`` in the channel's ``noarch`` subdir.

    Args:
        channel: the channel URL (or a name rattler knows, like ``conda-forge``).
        repodata_cache: where rattler may cache the channel's package index.
        timeout_s: per-request timeout in seconds.

    Raises:
        ChannelUnreachableError: the channel's index could not be read.
        PinningError: the channel URL is malformed, or it has no pinning package.
    """
    from rattler.exceptions import InvalidChannelError

    records: list[RepoDataRecord] = []
    failure: str | None = None
    try:
        records = asyncio.run(_query(channel, repodata_cache, timeout_s))
    except InvalidChannelError:
        failure = ""
    except Exception as exc:  # rattler raises several unrelated types for network failures
        failure = error_reason(exc)
    _drop_rattler_objects()
    if failure == "":
        raise PinningError(f"not a channel URL: {channel!r}")
    if failure is not None:
        raise ChannelUnreachableError(channel, failure)
    if not records:
        raise PinningError(f"channel {channel} has no {PACKAGE_NAME} package in {_SUBDIR}/")
    return _package(_newest(records), channel)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


async def _download(url: str, archive: Path, timeout_s: int, retries: int) -> None:
    from rattler.package_streaming import download_to_path

    await download_to_path(_client(timeout_s, retries), url, archive)


def download_package(package: PinningPackage, staging: Path, timeout_s: int, retries: int) -> Path:
    """Download ``package``, check its SHA-256 and extract it; return the extracted folder.

    Args:
        package: the package to fetch, as :func:`newest_package` returned it.
        staging: an empty scratch folder; the archive and ``pkg/`` are written in it.
        timeout_s: per-request timeout in seconds.
        retries: how often to retry a failed request.

    Raises:
        PinningError: the download failed, the checksum differs, or the archive is unreadable.
    """
    from rattler.package_streaming import extract

    archive = staging / Path(package.file_name).name
    failure: str | None = None
    try:
        asyncio.run(_download(package.url, archive, timeout_s, retries))
    except Exception as exc:  # rattler raises OSError, RuntimeError, ... for HTTP failures
        failure = error_reason(exc)
    _drop_rattler_objects()
    if failure is not None:
        raise PinningError(f"cannot download {package.file_name}: {failure}", Span(package.url))
    if package.sha256 and _sha256(archive) != package.sha256:
        raise PinningError(
            f"{package.file_name} does not match the channel's SHA-256; the download or the "
            "channel is corrupt, try again later",
            Span(package.url),
        )
    extracted = staging / "pkg"
    try:
        extract(archive, extracted)
    except Exception as exc:  # rattler's ExtractError, OSError, ...
        raise PinningError(
            f"{package.file_name} is not a readable conda package: {error_reason(exc)}",
            Span(package.url),
        ) from None
    return extracted
