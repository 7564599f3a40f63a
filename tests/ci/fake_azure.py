"""A small fake Azure DevOps on 127.0.0.1: projects, GitHub service connections, pipelines.

It checks the personal access token (HTTP basic auth with an empty user) on every request
and records each request, so tests can see what a client sent and that reruns send no writes.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PAT = "azure-pat-0123456789abcdefSECRET"


@dataclass
class AzureState:
    """Organisations' projects, service connections and build definitions."""

    projects: dict[tuple[str, str], str] = field(default_factory=dict)  # (org, name) -> id
    connections: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    definitions: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 41
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_project(self, org: str, name: str, connection: str | None = None) -> str:
        """Add a project (with a GitHub service connection named ``connection``)."""
        project_id = f"00000000-0000-4000-8000-{len(self.projects):012d}"
        self.projects[(org, name)] = project_id
        self.connections[(org, name)] = []
        self.definitions[(org, name)] = []
        if connection is not None:
            self.connections[(org, name)].append(
                {"id": f"conn-{connection}", "name": connection, "type": "GitHub"}
            )
        return project_id

    def add_definition(self, org: str, project: str, name: str) -> int:
        """Add an existing pipeline; return its id."""
        self.next_id += 1
        self.definitions[(org, project)].append({"id": self.next_id, "name": name})
        return self.next_id

    def writes(self) -> list[tuple[str, str]]:
        """Requests that could change something."""
        return [(m, p) for m, p in self.requests if m != "GET"]


def _answer(
    state: AzureState, method: str, path: str, query: dict[str, str], body: Any
) -> tuple[int, Any]:
    if query.get("api-version") != "7.1":
        return 400, {"message": "api-version is required"}
    match = re.fullmatch(r"/([^/]+)/_apis/projects/([^/]+)", path)
    if match and method == "GET":
        key = (match[1], match[2])
        found = state.projects.get(key)
        return (200, {"id": found, "name": match[2]}) if found else (404, {"message": "no project"})
    match = re.fullmatch(
        r"/([^/]+)/([^/]+)/_apis/(serviceendpoint/endpoints|build/definitions)", path
    )
    if not match or (match[1], match[2]) not in state.projects:
        return 404, {"message": "not found"}
    key = (match[1], match[2])
    if match[3] == "serviceendpoint/endpoints" and method == "GET":
        kind = query.get("type", "").lower()
        found = [c for c in state.connections[key] if c["type"].lower() == kind]
        return 200, {"count": len(found), "value": found}
    if method == "GET":
        found = [d for d in state.definitions[key] if d["name"] == query.get("name", d["name"])]
        return 200, {"count": len(found), "value": found}
    if method == "POST":
        if any(d["name"] == body.get("name") for d in state.definitions[key]):
            return 409, {"message": "a pipeline with this name exists"}
        state.next_id += 1
        created = {**body, "id": state.next_id}
        state.definitions[key].append(created)
        return 200, created
    return 405, {"message": "method not allowed"}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _handle(self, method: str) -> None:
        parts = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parts.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        state = self.server.state
        expected = "Basic " + base64.b64encode(f":{PAT}".encode()).decode()
        with state.lock:
            state.requests.append((method, path))
            if self.headers.get("Authorization") != expected:
                status, answer = 401, {"message": "unauthorized"}
            else:
                status, answer = _answer(state, method, path, query, body)
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


class _Server(ThreadingHTTPServer):
    state: AzureState


@dataclass
class FakeAzure:
    url: str
    state: AzureState


@contextmanager
def running() -> Iterator[FakeAzure]:
    """Serve a fake Azure DevOps on a free loopback port until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = AzureState()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    try:
        yield FakeAzure(f"http://127.0.0.1:{server.server_address[1]}", server.state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
