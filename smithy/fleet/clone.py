"""``fleet clone``: list an owner's ``*-feedstock`` repositories (PyGithub), clone or update them.

Clones are shallow; an update fetches only the commits the local copy lacks and fast-forwards.
A repository that cannot be cloned is reported and the others go on.
"""

from __future__ import annotations

import fnmatch
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from smithy.github.client import GitHubClient
from smithy.github.errors import NotFound

CloneStatus = Literal["cloned", "updated", "unchanged", "present", "failed"]


@dataclass(frozen=True, slots=True)
class RemoteFeedstock:
    """A feedstock repository on GitHub: its name, clone URL and default branch."""

    name: str
    url: str
    branch: str


@dataclass(frozen=True, slots=True)
class CloneResult:
    """What happened to one repository; ``detail`` is git's last line when it failed."""

    name: str
    status: CloneStatus
    detail: str = ""


def _owner(client: GitHubClient, owner: str) -> Any:
    try:
        return client.call(
            f"read organisation {owner}", lambda: client.github.get_organization(owner)
        )
    except NotFound:
        return client.call(f"read user {owner}", lambda: client.github.get_user(owner))


def list_feedstocks(client: GitHubClient, owner: str, match: str = "*") -> list[RemoteFeedstock]:
    """The owner's repositories named ``*-feedstock`` that match ``match``, sorted by name.

    Raises:
        GitHubError: the owner does not exist or GitHub refuses (one line, no token in it).
    """
    account = _owner(client, owner)

    def listing() -> list[RemoteFeedstock]:
        return [
            RemoteFeedstock(repo.name, repo.clone_url, repo.default_branch or "main")
            for repo in account.get_repos()
            if repo.name.endswith("-feedstock") and fnmatch.fnmatchcase(repo.name, match)
        ]

    return sorted(client.call(f"list repositories of {owner}", listing), key=lambda r: r.name)


def _url(url: str) -> str:
    # A local path clones with hard links and ignores --depth; file:// is shallow like https.
    return Path(url).resolve().as_uri() if not urlsplit(url).scheme else url


def _git(args: list[str], environ: Mapping[str, str], cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**environ, "GIT_TERMINAL_PROMPT": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise RuntimeError(lines[-1] if lines else f"git {args[0]} failed")
    return done.stdout.strip()


def _clone_one(
    remote: RemoteFeedstock, into: Path, update: bool, environ: Mapping[str, str]
) -> CloneResult:
    target = into / remote.name
    try:
        if not target.exists():
            _git(
                [
                    "clone",
                    "--quiet",
                    "--depth",
                    "1",
                    "--branch",
                    remote.branch,
                    _url(remote.url),
                    str(target),
                ],
                environ,
            )
            return CloneResult(remote.name, "cloned")
        if not update:
            return CloneResult(remote.name, "present")
        before = _git(["rev-parse", "HEAD"], environ, target)
        _git(["fetch", "--quiet", "origin", remote.branch], environ, target)
        _git(["merge", "--quiet", "--ff-only", "FETCH_HEAD"], environ, target)
        after = _git(["rev-parse", "HEAD"], environ, target)
    except (RuntimeError, OSError) as exc:
        return CloneResult(remote.name, "failed", str(exc))
    return CloneResult(remote.name, "updated" if after != before else "unchanged")


def clone_all(
    remotes: list[RemoteFeedstock],
    into: Path,
    *,
    update: bool,
    environ: Mapping[str, str],
    jobs: int = 4,
) -> list[CloneResult]:
    """Clone (or, with ``update``, fast-forward) each repository into ``into/<name>``."""
    into.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda remote: _clone_one(remote, into, update, environ), remotes))
