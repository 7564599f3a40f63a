"""A small Azure DevOps REST client: basic auth with a personal access token, one-line errors.

Only the few calls registration needs (projects, service connections, build definitions) are
made; the token is sent only over https, or plain http to a loopback test server.
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from smithy.errors import SmithyError
from smithy.github.token import Secret, read_token_file

DEFAULT_AZURE_URL = "https://dev.azure.com"
API_VERSION = "7.1"
PAT_ENV_NAMES = ("AZURE_TOKEN", "AZURE_DEVOPS_EXT_PAT")
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class AzureError(SmithyError):
    """Azure DevOps refused a request, or could not be reached (the token never appears)."""


def azure_token(environ: Mapping[str, str], home: Path) -> Secret:
    """Return the Azure DevOps personal access token.

    From ``$AZURE_TOKEN``, ``$AZURE_DEVOPS_EXT_PAT`` (the az CLI's), else conda-smithy's
    ``~/.conda-smithy/azure.token`` (mode 600).

    Raises:
        AzureError: none found.
        TokenError: the token file is unusable.
    """
    for name in PAT_ENV_NAMES:
        value = environ.get(name, "").strip()
        if value:
            return Secret(value)
    path = home / ".conda-smithy" / "azure.token"
    if path.exists():
        return read_token_file(path)
    raise AzureError(
        "no Azure DevOps token: set AZURE_TOKEN (a personal access token with Build and "
        "Service Connections scopes) or write ~/.conda-smithy/azure.token (mode 600)"
    )


def _base_url(url: str) -> str:
    parsed = urllib.parse.urlsplit(url.strip())
    host = parsed.hostname or ""
    if parsed.scheme not in ("http", "https") or not host:
        raise AzureError(f"--azure-url must be an http(s) URL, got '{url}'")
    if parsed.scheme == "http" and host not in _LOOPBACK:
        raise AzureError(f"refusing to send a token over plain http to {host}; use https")
    return url.strip().rstrip("/")


@dataclass(frozen=True, slots=True)
class AzureClient:
    """Requests to one Azure DevOps organisation.

    Attributes:
        org: the organisation (``https://dev.azure.com/<org>``).
        token: the personal access token.
        base_url: the service root (``https://dev.azure.com``; a local server in tests).
        timeout: seconds per connection and read.
    """

    org: str
    token: Secret
    base_url: str = DEFAULT_AZURE_URL
    timeout: float = 30.0

    def url(self, project: str | None, path: str, **query: str) -> str:
        """The URL of an API ``path`` in the organisation (or in ``project``)."""
        parts = [_base_url(self.base_url), urllib.parse.quote(self.org, safe="")]
        if project is not None:
            parts.append(urllib.parse.quote(project, safe=""))
        params = urllib.parse.urlencode({**query, "api-version": API_VERSION})
        return "/".join([*parts, "_apis", path]) + "?" + params

    def request(self, action: str, verb: str, url: str, body: Any = None) -> Any:
        """Send one request; return its JSON, or None for a 404.

        Raises:
            AzureError: refused, failed or unreachable; the message names ``action``.
        """
        credentials = base64.b64encode(f":{self.token.reveal()}".encode()).decode()
        headers = {"Authorization": f"Basic {credentials}", "Accept": "application/json"}
        try:
            answer = requests.request(
                verb, url, json=body, headers=headers, timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException:
            host = urllib.parse.urlsplit(url).netloc
            raise AzureError(f"cannot {action}: cannot reach {host}") from None
        if answer.status_code == 404:
            return None
        if answer.status_code in (401, 203, 302):
            raise AzureError(
                f"cannot {action}: Azure DevOps rejected the token (check AZURE_TOKEN)"
            )
        if answer.status_code >= 400:
            raise AzureError(
                f"cannot {action}: Azure DevOps answered {answer.status_code} "
                f"({self.token.scrub(_message(answer))})"
            )
        return answer.json() if answer.content else None


def _message(answer: requests.Response) -> str:
    try:
        data = answer.json()
    except ValueError:
        return answer.reason or "no message"
    text = data.get("message") if isinstance(data, Mapping) else None
    return " ".join(str(text or answer.reason or "no message").split())[:200]
