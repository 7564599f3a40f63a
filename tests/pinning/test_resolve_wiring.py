"""``--pinning conda-forge`` / ``SMITHY_PINNING=conda-forge`` through resolve_pinning and render."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from smithy.cli import main
from smithy.errors import PinningError
from smithy.pinning.source import resolve_pinning
from tests.pinning.fake_channel import Channel, build_package, index_channel, serve

VERSION = "2026.05.06.07.08.09"
META_YAML = """\
package:
  name: tiny
  version: 1.0
requirements:
  host:
    - python
  run:
    - python
"""


@pytest.fixture
def channel(tmp_path: Path) -> Iterator[Channel]:
    root = tmp_path / "channel"
    build_package(
        root / "noarch",
        VERSION,
        files={"share/conda-forge/conda_build_config.yaml": "python:\n  - 3.13.* *_cp313\n"},
    )
    index_channel(root)
    with serve(root) as served:
        yield served


def test_option_downloads_then_reuses_offline(tmp_path: Path, channel: Channel) -> None:
    environ = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "SMITHY_PINNING_CHANNEL": channel.url}
    found = resolve_pinning("conda-forge", environ)
    assert (found.origin, found.version) == (f"--pinning conda-forge ({channel.url})", VERSION)
    assert found.cbc.read_text() == "python:\n  - 3.13.* *_cp313\n"
    offline = resolve_pinning(
        None, {**environ, "SMITHY_PINNING": "conda-forge", "SMITHY_OFFLINE": "1"}
    )
    assert offline.origin.startswith("SMITHY_PINNING conda-forge (offline")
    assert (offline.cbc, offline.version) == (found.cbc, VERSION)


@pytest.mark.parametrize("where", ["option", "environ"])
def test_offline_with_an_empty_cache_is_a_pinning_error(tmp_path: Path, where: str) -> None:
    environ = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "SMITHY_OFFLINE": "1"}
    option = "conda-forge" if where == "option" else None
    if where == "environ":
        environ["SMITHY_PINNING"] = "conda-forge"
    with pytest.raises(PinningError, match="no conda-forge-pinning is cached"):
        resolve_pinning(option, environ)


def test_render_reports_the_downloaded_pinning(
    tmp_path: Path,
    channel: Channel,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("SMITHY_PINNING_CHANNEL", channel.url)
    monkeypatch.delenv("SMITHY_OFFLINE", raising=False)
    (tmp_path / "meta.yaml").write_text(META_YAML, encoding="utf-8")
    argv = ["render", str(tmp_path), "--pinning", "conda-forge", "-p", "linux-64", "-f", "json"]
    assert main(argv) == 0, capsys.readouterr().err
    data = json.loads(capsys.readouterr().out)
    assert data["pinning"]["version"] == VERSION
    assert data["pinning"]["source"] == f"--pinning conda-forge ({channel.url})"
    variants = data["platforms"][0]["variants"]
    assert [v["variant"]["python"] for v in variants] == ["3.13.* *_cp313"]
