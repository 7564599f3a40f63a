"""End-to-end tests of ``smithy pinning fetch`` and ``smithy pinning list`` through ``main``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from smithy.cli import main
from tests.pinning.fake_channel import Channel, build_package, index_channel, serve

OLD, NEW = "2026.02.01.00.00.00", "2026.04.15.12.00.00"


@pytest.fixture(autouse=True)
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An isolated cache home; no channel or offline setting leaks in from the real shell."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SMITHY_PINNING_CHANNEL", raising=False)
    monkeypatch.delenv("SMITHY_OFFLINE", raising=False)
    return tmp_path / "xdg" / "smithy" / "pinning"


@pytest.fixture
def channel(tmp_path: Path) -> Iterator[Channel]:
    root = tmp_path / "channel"
    build_package(root / "noarch", OLD)
    build_package(root / "noarch", NEW)
    index_channel(root)
    with serve(root) as served:
        yield served


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_fetch_then_list(
    channel: Channel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "mine"
    argv = ["pinning", "fetch", "--channel", channel.url, "--cache-dir", str(cache)]
    assert main(argv) == 0
    folder = cache / NEW / "share" / "conda-forge"
    assert capsys.readouterr().out == f"conda-forge-pinning {NEW} (downloaded): {folder}\n"
    assert main(argv) == 0
    assert capsys.readouterr().out == f"conda-forge-pinning {NEW} (up to date): {folder}\n"
    assert main(["pinning", "list", "--cache-dir", str(cache)]) == 0
    assert capsys.readouterr().out == f"{NEW}  {channel.url}  {folder}\n"


def test_fetch_uses_the_xdg_cache_and_the_channel_variable(
    channel: Channel,
    environ: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SMITHY_PINNING_CHANNEL", channel.url)
    assert main(["pinning", "fetch"]) == 0
    assert (environ / NEW / "share" / "conda-forge" / "conda_build_config.yaml").is_file()
    assert capsys.readouterr().err == ""


def test_unreachable_channel_warns_and_keeps_the_cache(
    channel: Channel, environ: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pinning", "fetch", "--channel", channel.url]) == 0
    capsys.readouterr()
    gone = _closed_port_url()
    assert main(["pinning", "fetch", "--channel", gone]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith(f"warning: channel {gone} is unreachable (")
    assert captured.err.endswith(f"using the cached conda-forge-pinning {NEW}\n")
    assert captured.err.count("\n") == 1
    folder = environ / NEW / "share" / "conda-forge"
    assert captured.out == f"conda-forge-pinning {NEW} (cached, not checked): {folder}\n"


def test_nothing_cached_and_unreachable_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pinning", "fetch", "--channel", _closed_port_url()]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: channel http://127.0.0.1:")
    assert captured.err.endswith("run `smithy pinning fetch` while online\n")
    assert captured.err.count("\n") == 1


def test_offline_variable_with_empty_cache_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMITHY_OFFLINE", "1")
    assert main(["pinning", "fetch"]) == 3
    assert capsys.readouterr().err.startswith("error: offline ($SMITHY_OFFLINE is set) and no ")


def test_corrupt_package_exits_3_without_traceback(
    channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = channel.root / "noarch" / f"conda-forge-pinning-{NEW}-hd8ed1ab_0.tar.bz2"
    archive.write_bytes(b"BZh9 this is not bzip2 data")
    assert main(["pinning", "fetch", "--channel", channel.url]) == 3
    err = capsys.readouterr().err
    assert "does not match the channel's SHA-256" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_list_with_an_empty_cache(environ: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pinning", "list"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err == f"no conda-forge-pinning cached in {environ}; run `smithy pinning fetch`\n"
    )


def test_pinning_without_a_subcommand_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pinning"]) == 2  # like `smithy` alone: help on a missing command is a usage error
    out = capsys.readouterr().out
    assert "fetch" in out and "list" in out


def test_missing_archive_exits_3(channel: Channel, capsys: pytest.CaptureFixture[str]) -> None:
    (channel.root / "noarch" / f"conda-forge-pinning-{NEW}-hd8ed1ab_0.tar.bz2").unlink()
    assert main(["pinning", "fetch", "--channel", channel.url]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"{channel.url}/noarch/conda-forge-pinning-{NEW}-hd8ed1ab_0.tar.bz2: ")
    assert "error: cannot download" in err and "404" in err


@pytest.mark.parametrize(
    "command",
    [["pinning", "fetch"], ["rerender", "--pinning", "conda-forge", "--dry-run", "{feedstock}"]],
    ids=["pinning-fetch", "rerender-pinning-conda-forge"],
)
def test_unreachable_channel_always_exits_3_in_a_fresh_process(
    tmp_path: Path, environ: Path, command: list[str]
) -> None:
    # py-rattler objects left alive until interpreter exit used to abort or segfault the
    # process (rc 134/139) in about 2 runs of 3, after the right error was printed.
    feedstock = tmp_path / "feedstock"
    (feedstock / "recipe").mkdir(parents=True)
    (feedstock / "recipe" / "meta.yaml").write_text("package: {name: a, version: '1'}\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(XDG_CACHE_HOME=str(tmp_path / "xdg"), SMITHY_PINNING_CHANNEL=_closed_port_url())
    args = [sys.executable, "-m", "smithy", *(a.format(feedstock=feedstock) for a in command)]
    codes = [
        subprocess.run(args, env=env, capture_output=True, timeout=120, check=False).returncode
        for _ in range(6)
    ]
    assert codes == [3] * 6


def test_fetch_and_list_as_json(
    channel: Channel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    cache = tmp_path / "mine"
    argv = ["pinning", "fetch", "--channel", channel.url, "--cache-dir", str(cache)]
    assert main([*argv, "--format", "json"]) == 0
    folder = cache / NEW / "share" / "conda-forge"
    fetched = json.loads(capsys.readouterr().out)
    assert fetched == {"version": NEW, "status": "downloaded", "folder": str(folder)}
    assert main(["pinning", "list", "--cache-dir", str(cache), "-f", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["cache_dir"] == str(cache)
    assert [(p["version"], p["channel"], p["folder"]) for p in listed["pinnings"]] == [
        (NEW, channel.url, str(folder))
    ]
