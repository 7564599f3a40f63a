"""Version bumps: ask upstream for a newer version, edit the recipe, commit as the bot does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smithy.api.feedstocks import feedstock_root
from smithy.atomic.session import feedstock_session
from smithy.bump.apply import BumpReport as BumpReport
from smithy.bump.check import LookupOptions as LookupOptions

if TYPE_CHECKING:
    from smithy.bump.check import VersionCheck


def bump_options(
    *,
    include_pre: bool = False,
    urls: Mapping[str, str | None] | None = None,
    github_token: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> LookupOptions:
    """Return the options of a version lookup from command-line values and the environment.

    Args:
        include_pre: consider pre-releases (``--pre``).
        urls: ``{"pypi"|"github"|"crates"|"cran"|"npm": address}`` given on the command line;
            missing ones come from ``SMITHY_<KIND>_URL`` or the public service.
        github_token: a token for GitHub's API; else ``GITHUB_TOKEN``/``GH_TOKEN``.
        max_bytes: refuse downloads larger than this.
        timeout: seconds per connection and read.
        pinning: ``--pinning`` value (the recipe is rendered to find its sources).
        environ: the process environment.

    Raises:
        SmithyError: a service address that is not an http(s) URL.
    """
    from smithy.bump.endpoints import resolve_endpoints
    from smithy.bump.http import HttpSettings

    env = environ or {}
    endpoints = resolve_endpoints(urls or {}, env)
    token = github_token or env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or None
    http = HttpSettings(github_token=token, github_api=endpoints.github)
    if max_bytes is not None:
        http = replace(http, max_bytes=max_bytes)
    if timeout is not None:
        http = replace(http, timeout=timeout)
    return LookupOptions(include_pre, endpoints, http, pinning, env)


def check_version(feedstock: Path, options: LookupOptions) -> VersionCheck:
    """Look up whether upstream has a newer version than the feedstock's recipe.

    A pure per-feedstock task: fleets call it per folder and keep ``result.to_json()``.

    Raises:
        SmithyError: bad recipe or settings, or upstream cannot be asked.
    """
    from smithy.bump.check import check_version as check

    return check(feedstock_root(feedstock), options)


def check_versions(feedstocks: Sequence[Path], options: LookupOptions) -> list[dict[str, Any]]:
    """Check many feedstocks in turn; each failure is that feedstock's ``error`` entry."""
    from smithy.bump.check import check_many

    return check_many(feedstocks, options)


def bump(
    feedstock: Path,
    options: LookupOptions,
    *,
    version: str | None = None,
    dry_run: bool = False,
) -> BumpReport:
    """Bump the recipe to ``version`` (or upstream's newest) with fresh checksums.

    Writes nothing when a download fails, a new URL does not resolve or a checksum does not
    match; ``dry_run`` computes the edit without writing it.

    Raises:
        SmithyError: the bump was refused, or the recipe/settings are bad.
    """
    from smithy.bump.apply import bump as run_bump

    root = feedstock_root(feedstock)
    with feedstock_session(root):  # no other smithy run edits the recipe meanwhile
        return run_bump(root, options, version=version, dry_run=dry_run)


def commit_bump(feedstock: Path, report: BumpReport, environ: Mapping[str, str]) -> str:
    """Commit the bumped (and rerendered) feedstock on a new branch named as the bot names it.

    Returns:
        The branch name (``<version>_h<hex>``).

    Raises:
        SmithyError: not a git repository, the branch exists, or git fails.
    """
    from smithy.bot.repo import commit_bump as commit

    return commit(feedstock_root(feedstock), report, environ)


def recipe_diff(report: BumpReport) -> str:
    """Return the bump's recipe edit as a unified diff."""
    from smithy.rerender.writer import unified_diff

    return unified_diff([report.change])
