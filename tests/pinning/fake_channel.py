"""Test helper: build conda-forge-pinning packages, index a channel, serve it on loopback."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rattler.index import index_fs

PINNING = "conda-forge-pinning"
BUILD = "hd8ed1ab_0"


def cbc_text(version: str) -> str:
    """The conda_build_config.yaml the fake package of ``version`` carries."""
    return f"# pinning {version}\npython:\n  - 3.12.* *_cpython\nnumpy:\n  - '2'\n"


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), 1_700_000_000, 0o644
    archive.addfile(info, io.BytesIO(data))


def build_package(
    noarch: Path,
    version: str,
    *,
    name: str = PINNING,
    files: Mapping[str, str] | None = None,
) -> Path:
    """Write ``<name>-<version>-<build>.tar.bz2`` into ``noarch`` and return its path.

    ``files`` (relative path -> text) defaults to a pinning's cbc plus two migrations.
    """
    if files is None:
        files = {
            "share/conda-forge/conda_build_config.yaml": cbc_text(version),
            "share/conda-forge/migrations/python314.yaml": "__migrator:\n  kind: version\n",
            "share/conda-forge/migrations/numpy3.yaml": f"migrator_ts: {version[:4]}\n",
        }
    index = {
        "name": name,
        "version": version,
        "build": BUILD,
        "build_number": 0,
        "depends": [],
        "license": "BSD-3-Clause",
        "noarch": "generic",
        "subdir": "noarch",
        "timestamp": 1_700_000_000_000,
    }
    paths = {"paths": [{"_path": p, "path_type": "hardlink"} for p in sorted(files)]}
    noarch.mkdir(parents=True, exist_ok=True)
    target = noarch / f"{name}-{version}-{BUILD}.tar.bz2"
    with tarfile.open(target, "w:bz2") as archive:
        _add(archive, "info/index.json", json.dumps(index).encode())
        _add(archive, "info/paths.json", json.dumps({**paths, "paths_version": 1}).encode())
        for rel, text in sorted(files.items()):
            _add(archive, rel, text.encode())
    return target


def index_channel(root: Path) -> None:
    """Write ``noarch/repodata.json`` for the packages in ``root`` with py-rattler's indexer."""
    (root / "noarch").mkdir(parents=True, exist_ok=True)
    asyncio.run(index_fs(root, write_zst=False, write_shards=False, force=True))


class _Handler(SimpleHTTPRequestHandler):
    requests: list[str]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.requests.append(f"{self.command} {self.path}")

    def log_message(self, format: str, *args: Any) -> None:
        return  # keep test output clean


@dataclass
class Channel:
    """A channel folder served over HTTP on 127.0.0.1 (see :func:`serve`)."""

    root: Path
    url: str
    requests: list[str] = field(default_factory=list)

    def downloads(self) -> list[str]:
        """The package archives fetched so far (GET requests only)."""
        return [r for r in self.requests if r.startswith("GET") and ".tar.bz2" in r]


@contextmanager
def serve(root: Path) -> Iterator[Channel]:
    """Serve ``root`` on a free loopback port; the socket is closed on exit (refused after)."""
    channel = Channel(root, "")
    handler = type("Handler", (_Handler,), {"requests": channel.requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    channel.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield channel
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
