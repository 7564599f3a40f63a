"""A small threaded HTTP server speaking the parts of the GitHub REST API smithy uses.

Mounted under ``/api/v3`` like GitHub Enterprise, so PyGithub reaches it through ``base_url``.
Error bodies, status codes and rate-limit headers follow GitHub's. Repositories are bare git
repositories on disk: ``ssh_url`` and ``clone_url`` are their paths, so ``git push`` to the
remote smithy adds lands there and the contents/commit endpoints see what was pushed.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.github.fake_api import ApiAnswer, Request
from tests.github.fake_routes import ROUTES
from tests.github.fake_state import FakeState

PREFIX = "/api/v3"


@dataclass
class FakeGitHub:
    """A running fake: ``url`` is the API base URL to pass as ``--github-url``."""

    url: str
    state: FakeState
    server: ThreadingHTTPServer

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def unused_url() -> str:
    """Return an API URL on a loopback port nobody listens on (for network-failure tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{PREFIX}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per answer and no Nagle delay: keep-alive requests stay fast.
    wbufsize = -1
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def _answer(self, answer: ApiAnswer) -> None:
        payload = b"" if answer.body is None else json.dumps(answer.body).encode("utf-8")
        self.send_response(answer.status)
        state = self.server.state
        with state.lock:
            self.server.remaining = max(0, self.server.remaining - 1)
            remaining = self.server.remaining
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Length": str(len(payload)),
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Resource": "core",
            "X-GitHub-Media-Type": "github.v3",
            **answer.headers,
        }
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = urllib.parse.unquote(self.path.split("?", 1)[0])
        state = self.server.state
        with state.lock:
            state.requests.append((method, path))
        if not path.startswith(PREFIX):
            self._answer(ApiAnswer(404, {"message": "Not Found"}))
            return
        path = path[len(PREFIX) :] or "/"
        failure = state.take_failure(method, path)
        if failure is not None:
            self._answer(ApiAnswer(failure.status, failure.body, failure.headers))
            return
        request = Request(
            method=method,
            path=path,
            body=json.loads(raw) if raw else {},
            auth=self.headers.get("Authorization", ""),
            base=self.server.base_url,
            state=state,
        )
        answer = _dispatch(request)
        if method == "GET" and "/contents" not in path:
            answer = _paginate(answer, self.path, self.server.base_url)
        self._answer(answer)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FakeState
    base_url: str
    remaining: int


def _paginate(answer: ApiAnswer, raw_path: str, base_url: str) -> ApiAnswer:
    """Serve a list one page at a time with a ``Link`` header, as GitHub does (30 by default)."""
    if answer.status != 200 or not isinstance(answer.body, list):
        return answer
    parts = urllib.parse.urlsplit(raw_path)
    query = dict(urllib.parse.parse_qsl(parts.query))
    per_page = min(100, max(1, int(query.get("per_page") or 30)))
    page = max(1, int(query.get("page") or 1))
    body = answer.body[(page - 1) * per_page : page * per_page]
    headers = dict(answer.headers)
    if page * per_page < len(answer.body):
        origin = base_url[: -len(PREFIX)]
        following = urllib.parse.urlencode(query | {"per_page": per_page, "page": page + 1})
        headers["Link"] = f'<{origin}{parts.path}?{following}>; rel="next"'
    return ApiAnswer(200, body, headers)


def _dispatch(request: Request) -> ApiAnswer:
    with request.state.lock:
        auth_error = request.authenticate()
        if auth_error is not None:
            return auth_error
        for method, pattern, handler in ROUTES:
            match = re.fullmatch(pattern, request.path.rstrip("/") or "/")
            if match and method == request.method:
                return handler(request, *match.groups())
        return ApiAnswer(
            404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        )


@contextmanager
def running(git_root: Path, port: int = 0) -> Iterator[FakeGitHub]:
    """Start a fake GitHub on a loopback ``port`` (a free one by default); stop it on exit."""
    server = _Server(("127.0.0.1", port), _Handler)
    port = server.server_address[1]
    server.state = FakeState(git_root)
    server.base_url = f"http://127.0.0.1:{port}{PREFIX}"
    server.remaining = 5000
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    fake = FakeGitHub(server.base_url, server.state, server)
    try:
        yield fake
    finally:
        fake.stop()
        thread.join(timeout=5)
