"""A loopback HTTP server standing in for raw GitHub: serves canned files, records requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

HINTS_PATH = "/conda-forge-pinning/main/recipe/linter_hints/hints.toml"
HINTS_TOML = '''\
[hints]
# name -> advice, as in conda-forge-pinning-feedstock
matplotlib = """\\
    Recipes should usually depend on `matplotlib-base` as opposed to \\
    `matplotlib` so that runtime environments do not require large \\
    packages like `qt`."""
jpeg = "Depend on `libjpeg-turbo` rather than `jpeg`."
not-text = 3
'''


@dataclass
class FileServer:
    """A running server: ``files`` maps a path to (status, body); ``requests`` lists paths."""

    base: str
    files: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    @property
    def pinning_url(self) -> str:
        """The ``--pinning-url`` that makes smithy ask this server for hints.toml."""
        return f"{self.base}/conda-forge-pinning/main"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def do_GET(self) -> None:
        served = self.server.served
        served.requests.append(self.path)
        status, body = served.files.get(self.path, (404, b"404: Not Found"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    served: FileServer


@contextmanager
def serving() -> Iterator[FileServer]:
    """Serve files on a free loopback port until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    served = FileServer(f"http://127.0.0.1:{server.server_address[1]}")
    served.files[HINTS_PATH] = (200, HINTS_TOML.encode("utf-8"))
    server.served = served
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def hints_server() -> Iterator[FileServer]:
    """A raw-GitHub stand-in serving a small hints.toml (matplotlib, jpeg)."""
    with serving() as served:
        yield served
