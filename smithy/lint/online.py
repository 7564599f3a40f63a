"""The network side of ``--online`` lint rules: one GitHub client and one hints fetch per run.

A lint run creates one :class:`OnlineSession` (inside its ``LintOptions``) and every recipe of
the run shares it: the GitHub client is built on first use, each maintainer is looked up once,
and the pinning feedstock's ``hints.toml`` is fetched once. Nothing here touches the network
until a rule asks, and only ``--online`` rules ask. GitHub's client library is imported only
then too, so a plain ``smithy lint`` does not pay for it.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from smithy.github.verdicts import MaintainerCheck
from smithy.github.verdicts import MaintainerStatus as Status

if TYPE_CHECKING:
    from smithy.github.client import GitHubClient

GITHUB_API_URL = "https://api.github.com"
PINNING_RAW_URL = "https://raw.githubusercontent.com/conda-forge/conda-forge-pinning-feedstock/main"
HINTS_PATH = "recipe/linter_hints/hints.toml"
HINTS_TIMEOUT = 5.0
GITHUB_TIMEOUT = 15
# conda-smithy tries four times with doubling waits; a lint does not wait out an hour-long reset.
RETRY_ATTEMPTS = 4
RETRY_BASE_DELAY = 1.0
RETRY_MAX_WAIT = 60.0
# Tests replace this to make retry waits instant.
SLEEP: Callable[[float], None] = time.sleep
_MAX_HINTS_BYTES = 1_000_000
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
# What a GitHub login can look like; anything else is never sent (no "../" in an API path).
_LOGIN = re.compile(r"[A-Za-z0-9][\w.-]{0,99}", re.ASCII)
_ACTION = re.compile(r"^cannot (?:look up GitHub user|read team) \S+: ")


def _verdict(check: MaintainerCheck, authenticated: bool) -> MaintainerCheck:
    # As conda-forge's linter does: without a token teams cannot be seen, so they are trusted.
    if check.status is Status.INCONCLUSIVE and "/" in check.name and not authenticated:
        return MaintainerCheck(check.name, Status.OK)
    if check.status is not Status.INCONCLUSIVE:
        return check
    # The failure is the run's, not this name's: drop "cannot look up GitHub user x: ".
    reason = _ACTION.sub("", check.message.removeprefix("not checked: "))
    return MaintainerCheck(check.name, check.status, reason)


def _malformed(name: str) -> MaintainerCheck | None:
    if _LOGIN.fullmatch(name.partition("/")[0]):
        return None
    return MaintainerCheck(name, Status.TEAM_MISSING if "/" in name else Status.MISSING)


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        entry = name.strip()
        if entry and entry.lower() not in seen:
            seen[entry.lower()] = entry
    return list(seen.values())


class OnlineSession:
    """Network state shared by every recipe of one lint run; empty until a rule needs it."""

    def __init__(self, github_url: str, pinning_url: str, environ: Mapping[str, str]) -> None:
        self._github_url = github_url
        self._pinning_url = pinning_url
        self._environ = environ
        self._client: GitHubClient | None = None
        self._verdicts: dict[str, MaintainerCheck] = {}
        self._stopped = ""
        self._hints: dict[str, str] | None = None

    def _github(self) -> GitHubClient:
        if self._client is None:
            from smithy.github.client import GitHubClient, RetryPolicy
            from smithy.github.token import resolve_token

            retry = RetryPolicy(
                attempts=RETRY_ATTEMPTS,
                base_delay=RETRY_BASE_DELAY,
                max_wait=RETRY_MAX_WAIT,
                sleep=SLEEP,
            )
            self._client = GitHubClient(
                resolve_token(self._environ, required=False),
                base_url=self._github_url,
                retry=retry,
                timeout=GITHUB_TIMEOUT,
            )
        return self._client

    @property
    def _authenticated(self) -> bool:
        return self._client is not None and self._client.authenticated

    def maintainers(self, names: Sequence[str]) -> dict[str, MaintainerCheck]:
        """Return a verdict per maintainer entry, keyed by the entry in lower case.

        Each name is looked up at most once per run. After GitHub failed to answer (rate
        limit, network, server error, rejected token) the run stops asking: every name not
        yet known is inconclusive with that reason, so a thousand recipes do not each wait.

        Raises:
            GitHubError: the GitHub URL is not usable (not http(s), or plain http off loopback).
        """
        wanted = _unique(names)
        for name in wanted:
            malformed = _malformed(name)
            if malformed is not None:
                self._verdicts[name.lower()] = malformed
        todo = [name for name in wanted if name.lower() not in self._verdicts]
        if todo and not self._stopped:
            self._ask(todo)
        for name in todo:
            trusted = "/" in name and not self._authenticated
            status = Status.OK if trusted else Status.INCONCLUSIVE
            message = "" if trusted else self._stopped
            self._verdicts.setdefault(name.lower(), MaintainerCheck(name, status, message))
        return {name.lower(): self._verdicts[name.lower()] for name in wanted}

    def _ask(self, names: list[str]) -> None:
        from smithy.github.errors import AuthError
        from smithy.github.maintainers import check_maintainers

        client = self._github()
        # One name at a time: the first failure (even a 5xx after its retries) ends the asking.
        for name in names:
            try:
                checks = check_maintainers(client, [name])
            except AuthError as exc:
                self._stopped = exc.message
                return
            for check in checks:
                verdict = _verdict(check, client.authenticated)
                self._verdicts[check.name.lower()] = verdict
                if verdict.status is Status.INCONCLUSIVE:
                    self._stopped = verdict.message
                    return

    def package_hints(self) -> Mapping[str, str]:
        """Return the pinning feedstock's package hints (name -> advice); empty on any failure."""
        if self._hints is None:
            url = f"{self._pinning_url.rstrip('/')}/{HINTS_PATH}"
            self._hints = fetch_hints(url, self._environ)
        return self._hints


def parse_hints(text: str) -> dict[str, str]:
    """Read ``hints.toml``: its ``[hints]`` table maps a package name to advice text.

    The advice is folded onto one line. Anything that is not a text entry is ignored.

    Raises:
        tomllib.TOMLDecodeError: the text is not TOML.
    """
    import tomllib

    table = tomllib.loads(text).get("hints")
    if not isinstance(table, dict):
        return {}
    return {
        str(name).strip().lower(): " ".join(advice.split())
        for name, advice in table.items()
        if isinstance(advice, str) and advice.strip()
    }


def _bypassed(host: str, no_proxy: str) -> bool:
    for entry in no_proxy.split(","):
        domain = entry.strip().lstrip(".").lower()
        if domain == "*" or (domain and (host == domain or host.endswith("." + domain))):
            return True
    return False


def proxies_for(url: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The proxies to use for ``url``, from ``environ``'s ``http(s)_proxy`` and ``no_proxy``."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    no_proxy = environ.get("no_proxy") or environ.get("NO_PROXY") or ""
    if host in _LOOPBACK or _bypassed(host, no_proxy):
        return {}
    found = {}
    for scheme in ("http", "https"):
        value = environ.get(f"{scheme}_proxy") or environ.get(f"{scheme.upper()}_PROXY")
        if value:
            found[scheme] = value
    return found


def fetch_hints(
    url: str, environ: Mapping[str, str], timeout: float = HINTS_TIMEOUT
) -> dict[str, str]:
    """Download and read ``hints.toml``; return no hints, quietly, when anything fails.

    Hints only advise, so an unreachable server, a non-200 answer, a huge or broken file
    must not stop or fail the lint. Proxies come from ``environ``, never from ``os.environ``.
    """
    import http.client
    import urllib.request

    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return {}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies_for(url, environ)))
    request = urllib.request.Request(url, headers={"User-Agent": "smithy"})
    try:
        with opener.open(request, timeout=timeout) as response:
            payload = response.read(_MAX_HINTS_BYTES + 1)
        if len(payload) > _MAX_HINTS_BYTES:
            return {}
        return parse_hints(payload.decode("utf-8"))
    except (OSError, ValueError, http.client.HTTPException):
        # OSError covers refused connections, timeouts and HTTP errors; ValueError covers
        # bad URLs, undecodable bytes and invalid TOML.
        return {}
