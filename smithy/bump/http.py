"""The one HTTP client of version bumps: timeouts, retries, proxies, size caps, clear errors.

Built on requests with urllib3's ``Retry``: connection errors and 5xx answers are retried with
backoff; the proxy environment (``HTTPS_PROXY``, ``NO_PROXY``) is honoured by requests itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from smithy import __version__
from smithy.bump.errors import NetworkError

_CHUNK = 1 << 16
DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB: larger than any conda-forge source tarball we know of


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How the client talks to the network.

    Attributes:
        timeout: seconds to wait for a connection and for each read.
        retries: how often a failed connection or a 5xx answer is retried.
        backoff: urllib3's backoff factor (seconds, doubled per retry).
        max_bytes: downloads larger than this are refused.
        github_token: sent to GitHub's API only; never printed.
        github_api: the GitHub API address the token is for.
    """

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    max_bytes: int = DEFAULT_MAX_BYTES
    github_token: str | None = None
    github_api: str = "https://api.github.com"


def _session(settings: HttpSettings) -> requests.Session:
    retry = Retry(
        total=settings.retries,
        backoff_factor=settings.backoff,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = f"smithy/{__version__} (conda feedstock tool)"
    return session


def _reset_time(headers: Mapping[str, str]) -> str:
    reset = headers.get("X-RateLimit-Reset", "")
    if reset.isdigit():
        return datetime.fromtimestamp(int(reset), UTC).strftime(" until %Y-%m-%d %H:%M:%S UTC")
    retry_after = headers.get("Retry-After", "")
    return f" for {retry_after} s" if retry_after.isdigit() else ""


def _status_error(url: str, response: requests.Response) -> NetworkError:
    status = response.status_code
    limited = status == 429 or (
        status == 403 and response.headers.get("X-RateLimit-Remaining") == "0"
    )
    if limited:
        hint = _reset_time(response.headers)
        message = f"{url}: rate-limited{hint} (give a token with --github-token)"
        return NetworkError(message, status)
    if status == 404:
        return NetworkError(f"{url}: not found (HTTP 404)", status)
    return NetworkError(f"{url}: HTTP {status} {response.reason or ''}".rstrip(), status)


def _request_error(url: str, exc: requests.RequestException) -> NetworkError:
    if isinstance(exc, requests.exceptions.ProxyError):
        return NetworkError(f"{url}: the proxy refused the connection")
    if isinstance(exc, requests.exceptions.SSLError):
        return NetworkError(f"{url}: TLS error (certificate not trusted?)")
    if isinstance(exc, requests.exceptions.Timeout):
        return NetworkError(f"{url}: timed out")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return NetworkError(f"{url}: cannot connect (offline, or the host is unreachable)")
    return NetworkError(f"{url}: request failed ({type(exc).__name__})")


@dataclass(frozen=True, slots=True)
class Download:
    """A downloaded file's checksum and size."""

    url: str
    sha256: str
    size: int


class HttpClient:
    """GET JSON, text and files; every failure is one :class:`NetworkError` line."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self._session = _session(self.settings)

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

    def _headers(self, url: str) -> dict[str, str]:
        token = self.settings.github_token
        if token and url.startswith(self.settings.github_api.rstrip("/") + "/"):
            return {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"}
        return {}

    @contextmanager
    def _get(self, url: str) -> Iterator[requests.Response]:
        try:
            response = self._session.get(
                url, headers=self._headers(url), timeout=self.settings.timeout, stream=True
            )
        except requests.RequestException as exc:
            raise _request_error(url, exc) from None
        try:
            if response.status_code >= 400:
                raise _status_error(url, response)
            yield response
        finally:
            response.close()

    def _chunks(self, url: str) -> Iterator[bytes]:
        """Yield the body of ``url`` piece by piece, stopping at the size cap."""
        limit = self.settings.max_bytes
        with self._get(url) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise NetworkError(f"{url}: {int(declared)} bytes is over the limit of {limit}")
            size = 0
            try:
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise NetworkError(f"{url}: larger than the limit of {limit} bytes")
                    yield chunk
            except requests.RequestException as exc:
                raise _request_error(url, exc) from None

    def get_text(self, url: str) -> str:
        """Return the text at ``url`` (UTF-8, undecodable bytes replaced)."""
        return b"".join(self._chunks(url)).decode("utf-8", errors="replace")

    def get_json(self, url: str) -> Any:
        """Return the JSON document at ``url``."""
        try:
            return json.loads(b"".join(self._chunks(url)))
        except ValueError:
            raise NetworkError(f"{url}: the answer is not JSON") from None

    def exists(self, url: str) -> bool:
        """Return whether ``url`` answers a GET with a success (404/410 mean no)."""
        try:
            with self._get(url):
                return True
        except NetworkError as exc:
            if exc.status in (404, 410):
                return False
            raise

    def download_sha256(self, url: str) -> Download:
        """Stream ``url`` and return its sha256, refusing anything over the size cap."""
        digest = hashlib.sha256()
        size = 0
        for chunk in self._chunks(url):
            size += len(chunk)
            digest.update(chunk)
        return Download(url=url, sha256=digest.hexdigest(), size=size)
