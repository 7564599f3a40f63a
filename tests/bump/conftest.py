"""Fixtures for version bumps: real tarballs, a local HTTP server imitating upstream services."""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from smithy import api
from smithy.bump.check import LookupOptions

OLD_SHA = "a" * 64


def make_tarball(name: str, version: str, size: int = 0) -> bytes:
    """A real .tar.gz holding ``<name>-<version>/`` with a setup file and optional padding."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        files = {"pyproject.toml": f"[project]\nname = '{name}'\nversion = '{version}'\n".encode()}
        if size:  # digests do not compress: the archive really is about ``size`` bytes
            chunks = (hashlib.sha256(f"{version}{i}".encode()).digest() for i in range(size // 32))
            files["padding.bin"] = b"".join(chunks)
        for rel, data in files.items():
            info = tarfile.TarInfo(f"{name}-{version}/{rel}")
            info.size, info.mtime = len(data), 0
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Upstream:
    """The local server, with helpers to publish files and service answers on it."""

    server: HTTPServer

    @property
    def base(self) -> str:
        return self.server.url_for("").rstrip("/")

    def file(self, path: str, data: bytes) -> str:
        self.server.expect_request(path, method="GET").respond_with_data(
            data, content_type="application/octet-stream"
        )
        return sha(data)

    def json(self, path: str, data: object, query: str | None = None) -> None:
        self.server.expect_request(path, query_string=query).respond_with_json(data)

    def pypi(self, name: str, versions: Mapping[str, bool]) -> None:
        """Publish PyPI's JSON answer: ``{version: yanked}``."""
        releases = {
            v: [{"filename": f"{name}-{v}.tar.gz", "yanked": y}] for v, y in versions.items()
        }
        self.json(f"/pypi/{name}/json", {"info": {"name": name}, "releases": releases})

    def options(self, **http: object) -> LookupOptions:
        urls = dict.fromkeys(("pypi", "github", "crates", "cran", "npm"), self.base)
        options = api.bump_options(urls=urls, environ={}, timeout=5)
        settings = {"retries": 0, "backoff": 0.01, **http}
        return replace(options, http=replace(options.http, **settings))


@pytest.fixture
def upstream(httpserver: HTTPServer) -> Upstream:
    httpserver.no_handler_status_code = 404  # an unknown path is missing, as on a real server
    return Upstream(httpserver)


@pytest.fixture
def feedstock(tmp_path: Path, embedded_pinning: None) -> Callable[..., Path]:
    """Write a feedstock: ``{relative path: text}`` plus an empty conda-forge.yml by default."""

    def build(files: Mapping[str, str], cfyml: str = "{}\n") -> Path:
        root = tmp_path / "fs"
        for rel, text in {"conda-forge.yml": cfyml, **files}.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return root

    return build
