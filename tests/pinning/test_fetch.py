"""Fetching conda-forge-pinning from a channel served on loopback, and reusing the cache offline."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

import pytest

from smithy.errors import PinningError
from smithy.pinning.cache import RECORD_NAME, cached_pinnings
from smithy.pinning.fetch import (
    FetchStatus,
    PinningSettings,
    fetch_pinning,
    pinning_source,
    resolve_conda_forge_pinning,
)
from tests.pinning.fake_channel import (
    PINNING,
    build_package,
    cbc_text,
    index_channel,
    serve,
)

OLD, NEW, NEWER = "2026.01.05.10.00.00", "2026.03.20.08.30.00", "2026.11.02.00.00.01"


@pytest.fixture
def channel_dir(tmp_path: Path) -> Path:
    root = tmp_path / "channel"
    build_package(root / "noarch", OLD)
    build_package(root / "noarch", NEW)
    index_channel(root)
    return root


def _settings(tmp_path: Path, url: str, offline: bool = False) -> PinningSettings:
    return PinningSettings(
        cache_dir=tmp_path / "cache", channel=url, offline=offline, retries=0, timeout_s=10
    )


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _cache_listing(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.is_dir() else []


def test_fetch_downloads_the_newest_and_records_it(tmp_path: Path, channel_dir: Path) -> None:
    with serve(channel_dir) as channel:
        result = fetch_pinning(_settings(tmp_path, channel.url))
    assert result.status is FetchStatus.DOWNLOADED and result.note == ""
    entry = result.pinning
    assert entry.root == tmp_path / "cache" / NEW
    assert (entry.folder / "conda_build_config.yaml").read_text() == cbc_text(NEW)
    migrations = sorted(p.name for p in (entry.folder / "migrations").iterdir())
    assert migrations == ["numpy3.yaml", "python314.yaml"]
    assert (entry.folder / "VERSION").read_text() == f"{NEW}\n"
    archive = channel_dir / "noarch" / f"{PINNING}-{NEW}-hd8ed1ab_0.tar.bz2"
    record = json.loads((entry.root / RECORD_NAME).read_text())
    assert record["version"] == NEW and record["channel"] == channel.url
    assert record["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert record["url"] == f"{channel.url}/noarch/{archive.name}"
    # Only the newest is downloaded; no scratch folders are left behind.
    assert channel.downloads() == [f"GET /noarch/{archive.name}"]
    assert _cache_listing(tmp_path / "cache") == [".repodata", NEW]


def test_second_fetch_reuses_the_cache_then_picks_up_a_new_release(
    tmp_path: Path, channel_dir: Path
) -> None:
    with serve(channel_dir) as channel:
        settings = _settings(tmp_path, channel.url)
        fetch_pinning(settings)
        again = fetch_pinning(settings)
        assert again.status is FetchStatus.UP_TO_DATE
        assert again.pinning.package.version == NEW
        assert len(channel.downloads()) == 1
        build_package(channel_dir / "noarch", NEWER)
        index_channel(channel_dir)
        # http.server's Last-Modified has 1 s resolution: make the new index visibly newer.
        repodata = channel_dir / "noarch" / "repodata.json"
        later = repodata.stat().st_mtime + 10
        os.utime(repodata, (later, later))
        third = fetch_pinning(settings)
    assert third.status is FetchStatus.DOWNLOADED
    assert third.pinning.package.version == NEWER
    assert [e.package.version for e in cached_pinnings(settings.cache_dir)] == [NEW, NEWER]


def test_unreachable_channel_falls_back_to_the_newest_cached(
    tmp_path: Path, channel_dir: Path
) -> None:
    with serve(channel_dir) as channel:
        settings = _settings(tmp_path, channel.url)
        fetch_pinning(settings)
    offline = fetch_pinning(settings)  # the server is gone: connection refused
    assert offline.status is FetchStatus.CACHED
    assert offline.pinning.package.version == NEW
    assert offline.note.startswith(f"channel {channel.url} is unreachable (")
    assert offline.note.endswith(f"using the cached {PINNING} {NEW}")
    assert "\n" not in offline.note
    source = pinning_source(offline)
    assert source.version == NEW
    assert (
        source.cbc == tmp_path / "cache" / NEW / "share" / "conda-forge" / "conda_build_config.yaml"
    )
    assert source.migrations_dir == source.path / "migrations"
    assert source.origin.startswith("--pinning conda-forge (channel ")


def test_offline_setting_never_contacts_the_channel(tmp_path: Path, channel_dir: Path) -> None:
    with serve(channel_dir) as channel:
        fetch_pinning(_settings(tmp_path, channel.url))
        count = len(channel.requests)
        result = fetch_pinning(_settings(tmp_path, channel.url, offline=True))
        assert len(channel.requests) == count
    assert result.status is FetchStatus.CACHED
    assert result.note == f"offline ($SMITHY_OFFLINE is set); using the cached {PINNING} {NEW}"


def test_resolve_reads_channel_cache_and_offline_from_the_mapping(
    tmp_path: Path, channel_dir: Path
) -> None:
    with serve(channel_dir) as channel:
        environ = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "SMITHY_PINNING_CHANNEL": channel.url}
        source = resolve_conda_forge_pinning(environ, origin="SMITHY_PINNING")
    assert source.origin == f"SMITHY_PINNING conda-forge ({channel.url})"
    assert source.path == tmp_path / "xdg" / "smithy" / "pinning" / NEW / "share" / "conda-forge"
    offline = resolve_conda_forge_pinning({**environ, "SMITHY_OFFLINE": "1"})
    assert (offline.version, offline.path) == (NEW, source.path)
    assert offline.origin.startswith("--pinning conda-forge (offline")


@pytest.mark.parametrize("offline", [False, True])
def test_nothing_cached_and_no_channel_is_a_one_line_error(tmp_path: Path, offline: bool) -> None:
    settings = _settings(tmp_path, _closed_port_url(), offline=offline)
    with pytest.raises(PinningError, match=f"no {PINNING} is cached in") as caught:
        fetch_pinning(settings)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("error: ")
    assert message.endswith("run `smithy pinning fetch` while online")


def test_wrong_channel_path_falls_back_like_an_unreachable_one(
    tmp_path: Path, channel_dir: Path
) -> None:
    with serve(channel_dir) as channel:
        fetch_pinning(_settings(tmp_path, channel.url))
        result = fetch_pinning(_settings(tmp_path, channel.url + "/no-such-channel"))
    assert result.status is FetchStatus.CACHED
    assert "404" in result.note


def test_checksum_mismatch_is_an_error_and_caches_nothing(
    tmp_path: Path, channel_dir: Path
) -> None:
    archive = channel_dir / "noarch" / f"{PINNING}-{NEW}-hd8ed1ab_0.tar.bz2"
    archive.write_bytes(archive.read_bytes()[:-7] + b"garbage")
    with serve(channel_dir) as channel, pytest.raises(PinningError, match="SHA-256") as caught:
        fetch_pinning(_settings(tmp_path, channel.url))
    assert str(caught.value).startswith(f"{channel.url}/noarch/{archive.name}: error: ")
    assert _cache_listing(tmp_path / "cache") == [".repodata"]


def test_missing_archive_is_an_error(tmp_path: Path, channel_dir: Path) -> None:
    (channel_dir / "noarch" / f"{PINNING}-{NEW}-hd8ed1ab_0.tar.bz2").unlink()
    with serve(channel_dir) as channel, pytest.raises(PinningError, match="cannot download"):
        fetch_pinning(_settings(tmp_path, channel.url))
    assert cached_pinnings(tmp_path / "cache") == ()


def test_package_without_a_pinning_file_is_rejected(tmp_path: Path) -> None:
    root = tmp_path / "channel"
    build_package(root / "noarch", NEW, files={"share/conda-forge/README": "nothing here\n"})
    index_channel(root)
    with serve(root) as channel, pytest.raises(PinningError, match="has no share/conda-forge/"):
        fetch_pinning(_settings(tmp_path, channel.url))
    assert _cache_listing(tmp_path / "cache") == [".repodata"]


def test_channel_without_the_pinning_package(tmp_path: Path) -> None:
    root = tmp_path / "channel"
    build_package(root / "noarch", "1.0", name="something-else")
    index_channel(root)
    with serve(root) as channel, pytest.raises(PinningError, match="has no conda-forge-pinning"):
        fetch_pinning(_settings(tmp_path, channel.url))


def test_unwritable_cache_is_not_mistaken_for_an_offline_channel(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.raises(PinningError, match="cannot write the pinning cache"):
        fetch_pinning(_settings(tmp_path, _closed_port_url()))


def test_malformed_channel_url(tmp_path: Path) -> None:
    with pytest.raises(PinningError, match="not a channel URL"):
        fetch_pinning(_settings(tmp_path, "::not a channel::"))
