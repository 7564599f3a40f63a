"""A PyGithub client with smithy's token handling, retries on rate limits and one-line errors."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException
from github.GithubException import BadCredentialsException, RateLimitExceededException

from smithy.github.errors import (
    ApiError,
    AuthError,
    GitHubError,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from smithy.github.token import Secret, mask_token_like, redact_url

T = TypeVar("T")

DEFAULT_API_URL = "https://api.github.com"
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True, slots=True)
class Wait:
    """A pause before a retry, reported through the client's ``on_wait`` callback.

    Attributes:
        action: what was being done (``create repository org/x-feedstock``).
        reason: why it waits (``rate limit``, ``secondary rate limit``, ``server error 502``).
        seconds: how long it waits.
        attempt: the attempt that failed (1-based).
        attempts: attempts allowed in total.
    """

    action: str
    reason: str
    seconds: float
    attempt: int
    attempts: int


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How rate limits and server errors are retried; tests inject ``sleep`` and ``now``.

    Attributes:
        attempts: tries in total per request, the first included.
        base_delay: first back-off wait in seconds, doubled on each retry, when GitHub gives
            neither ``Retry-After`` nor a reset time.
        max_wait: the longest single wait accepted; a rate limit resetting later is an error.
        sleep: the function that waits.
        now: the clock (epoch seconds) compared with ``X-RateLimit-Reset``.
    """

    attempts: int = 5
    base_delay: float = 2.0
    max_wait: float = 300.0
    sleep: Callable[[float], None] = field(default=time.sleep)
    now: Callable[[], float] = field(default=time.time)


def normalize_api_url(url: str) -> str:
    """Return the REST API base URL for ``url``: github.com or a GitHub Enterprise server.

    ``https://github.com`` becomes ``https://api.github.com``; an Enterprise host given without
    a path gets ``/api/v3``. Plain ``http`` is accepted only for loopback hosts, so a token is
    never sent unencrypted over a network.

    Raises:
        GitHubError: the URL is not http(s), or is http to a non-loopback host.
    """
    shown = redact_url(url.strip())
    try:
        parsed = urllib.parse.urlsplit(url.strip())
        host = parsed.hostname or ""
        port = parsed.port
    except ValueError:  # e.g. an unclosed IPv6 bracket or a port that is not a number
        raise GitHubError(f"--github-url is not a valid URL: '{shown}'") from None
    if parsed.scheme not in ("http", "https") or not host:
        raise GitHubError(f"--github-url must be an http(s) URL, got '{shown}'")
    if parsed.scheme == "http" and host not in _LOOPBACK:
        raise GitHubError(f"refusing to send a token over plain http to {host}; use https")
    if host == "github.com":
        return DEFAULT_API_URL
    path = parsed.path.rstrip("/")
    if not path and host != "api.github.com":
        path = "/api/v3"
    # User-info is dropped: the token travels in a header, never in a URL that may be printed.
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{port}" if port is not None else ""
    return urllib.parse.urlunsplit((parsed.scheme, netloc, path, "", ""))


def _headers(exc: GithubException) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}


def _message(exc: GithubException) -> str:
    data = exc.data if isinstance(exc.data, Mapping) else {}
    text = str(data.get("message") or "").strip()
    details = [
        str(item.get("message") or item.get("code") or "")
        for item in data.get("errors") or ()
        if isinstance(item, Mapping)
    ]
    details = [d for d in details if d]
    if details:
        text = f"{text}: {'; '.join(details)}" if text else "; ".join(details)
    return text or "no message"


def _retry_reason(exc: GithubException) -> str | None:
    headers = _headers(exc)
    if isinstance(exc, RateLimitExceededException) or exc.status == 429:
        primary = headers.get("x-ratelimit-remaining") == "0" and "retry-after" not in headers
        return "rate limit" if primary else "secondary rate limit"
    if exc.status == 403 and headers.get("x-ratelimit-remaining") == "0":
        return "rate limit"
    if exc.status >= 500:
        return f"server error {exc.status}"
    return None


def _network_reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    text = str(exc).lower()
    for needle, reason in (
        ("refused", "connection refused"),
        ("name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("getaddrinfo failed", "unknown host"),
        ("reset by peer", "connection reset"),
        ("certificate", "TLS certificate error"),
    ):
        if needle in text:
            return reason
    return "network error"


def _not_sent(exc: requests.RequestException) -> bool:
    """Whether the request failed before GitHub could see it (refused or connect timeout).

    An unknown host is not retried: it is almost always a mistyped ``--github-url``.
    """
    if isinstance(exc, requests.ConnectTimeout):
        return True
    return isinstance(exc, requests.ConnectionError) and "refused" in str(exc).lower()


class GitHubClient:
    """PyGithub behind one choke point: every request goes through :meth:`call`.

    ``call`` retries rate limits, 5xx answers and refused connections (reporting each wait to
    ``on_wait``; core code never prints) and turns every failure into a one-line
    :class:`GitHubError` that never includes the token.
    """

    def __init__(
        self,
        token: Secret | None,
        *,
        base_url: str = DEFAULT_API_URL,
        retry: RetryPolicy | None = None,
        on_wait: Callable[[Wait], None] | None = None,
        timeout: int = 20,
    ) -> None:
        self.base_url = normalize_api_url(base_url)
        self.host = urllib.parse.urlsplit(self.base_url).netloc
        self.retry = retry or RetryPolicy()
        self._token = token
        self._on_wait = on_wait
        # PyGithub's own retries and request spacing are off: they sleep unseen and untestably.
        self.github = Github(
            auth=Auth.Token(token.reveal()) if token is not None else None,
            base_url=self.base_url,
            timeout=timeout,
            user_agent="smithy",
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )

    @property
    def authenticated(self) -> bool:
        """True when a token is used."""
        return self._token is not None

    def _scrub(self, text: str) -> str:
        return mask_token_like(self._token.scrub(text) if self._token is not None else text)

    def _translate(self, action: str, exc: GithubException) -> GitHubError:
        status = exc.status
        text = self._scrub(_message(exc))
        if isinstance(exc, BadCredentialsException) or status == 401:
            return AuthError(
                f"github at {self.host} rejected the token (401 {text}); check GITHUB_TOKEN, "
                "GH_TOKEN or --token-file"
            )
        if status == 403:
            return PermissionDenied(
                f"permission denied: cannot {action} (403 {text}); the token needs the 'repo' "
                "scope and, for an organisation, owner rights or membership"
            )
        if status == 404:
            return NotFound(f"cannot {action}: not found (404)")
        return ApiError(f"cannot {action}: github answered {status} ({text})", status)

    def _wait_seconds(self, exc: GithubException, attempt: int) -> float:
        headers = _headers(exc)
        try:
            if "retry-after" in headers:
                return max(0.0, float(headers["retry-after"]))
            if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
                return max(0.0, float(headers["x-ratelimit-reset"]) - self.retry.now()) + 1.0
        except ValueError:
            pass  # a malformed header: fall back to exponential back-off
        return float(self.retry.base_delay * 2 ** (attempt - 1))

    def call(self, action: str, fn: Callable[[], T]) -> T:
        """Run ``fn`` (PyGithub calls) with retries, translating failures for ``action``.

        Args:
            action: what ``fn`` does, in words that complete "cannot ..." in a message.
            fn: the PyGithub calls; iterate paginated lists inside it so their requests
                are covered too.

        Raises:
            GitHubError: the translated failure (auth, permission, not found, rate limit,
                network, other API errors).
        """
        attempts = max(1, self.retry.attempts)
        for attempt in range(1, attempts + 1):
            try:
                return fn()
            except GithubException as exc:
                reason = _retry_reason(exc)
                if reason is None:
                    raise self._translate(action, exc) from None
                seconds = self._wait_seconds(exc, attempt)
                if attempt == attempts or seconds > self.retry.max_wait:
                    raise self._give_up(action, reason, exc, seconds, attempt) from None
            except requests.RequestException as exc:
                reason = _network_reason(exc)
                # Only a request that never reached GitHub is safe to send again.
                if not _not_sent(exc) or attempt == attempts:
                    raise self._unreachable(action, exc, attempt) from None
                seconds = float(self.retry.base_delay * 2 ** (attempt - 1))
            except (TypeError, KeyError, AttributeError, ValueError, RuntimeError) as exc:
                # PyGithub parsing an object where it wants a list, or refusing a redirect
                # to another host: the server's answer, not smithy, is at fault.
                raise self.unusable(action, f"{type(exc).__name__}: {exc}") from None
            if self._on_wait is not None:
                self._on_wait(Wait(action, reason, seconds, attempt, attempts))
            self.retry.sleep(seconds)
        raise AssertionError("unreachable: the loop returns or raises")

    def unusable(self, action: str, detail: str) -> ApiError:
        """The error for a reply of the wrong shape (``detail`` says what was wrong)."""
        shown = self._scrub(" ".join(detail.split()))[:300]
        return ApiError(
            f"cannot {action}: github at {self.host} gave an answer smithy cannot use ({shown})"
        )

    def _unreachable(
        self, action: str, exc: requests.RequestException, attempt: int
    ) -> NetworkError:
        tries = f" after {attempt} attempts" if attempt > 1 else ""
        return NetworkError(
            f"cannot {action}: cannot reach {self.host} ({_network_reason(exc)}){tries}"
        )

    def _give_up(
        self, action: str, reason: str, exc: GithubException, seconds: float, attempt: int
    ) -> GitHubError:
        if not reason.endswith("rate limit"):
            return ApiError(
                f"cannot {action}: github answered {exc.status} {attempt} times; try again later",
                exc.status,
            )
        if attempt < max(1, self.retry.attempts):
            minutes = max(1, round(seconds / 60))
            return RateLimited(
                f"cannot {action}: github {reason} exceeded and resets in about {minutes} "
                "min; try again later"
            )
        return RateLimited(
            f"cannot {action}: github {reason} still exceeded after {attempt} attempts; "
            "try again later"
        )

    def request_json(
        self,
        action: str,
        verb: str,
        url: str,
        body: Mapping[str, Any] | None = None,
        *,
        expect: type[list[Any]] | type[dict[str, Any]] | None = None,
    ) -> Any:
        """Send a raw REST request (for endpoints PyGithub lacks, e.g. rulesets); return JSON.

        Raises:
            GitHubError: the request failed, or the reply is not an ``expect`` (list or object).
        """
        requester = self.github.requester

        def send() -> Any:
            _, data = requester.requestJsonAndCheck(
                verb, url, input=dict(body) if body is not None else None
            )
            return data

        data = self.call(action, send)
        if expect is not None and data is not None and not isinstance(data, expect):
            wanted = "a list" if expect is list else "an object"
            raise self.unusable(action, f"expected {wanted}, got {type(data).__name__}")
        return data
