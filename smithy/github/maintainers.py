"""Check that a recipe's maintainers exist on GitHub: the engine of the online maintainers lint.

For the linter (an ``--online`` rule, like conda-forge's check that maintainers are real users)::

    from smithy.github.client import GitHubClient
    from smithy.github.maintainers import check_maintainers

    checks = check_maintainers(client, rendered.maintainers)
    for check in checks:
        if not check.ok:
            ...  # one finding per entry: check.name, check.status, check.message

``check_maintainers`` never raises for a single missing user; it raises only when the token
itself is rejected. Rate limits and network failures give ``INCONCLUSIVE`` entries (the lint
asks for a re-run then, it does not blame the recipe).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from smithy.github.client import GitHubClient
from smithy.github.errors import (
    ApiError,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from smithy.github.teams import team_slug
from smithy.github.verdicts import MaintainerCheck, MaintainerStatus

__all__ = ["MaintainerCheck", "MaintainerStatus", "check_maintainers"]


def _check_user(client: GitHubClient, login: str) -> MaintainerCheck:
    gh = client.github

    def account_type() -> str:
        return str(gh.get_user(login).type)

    try:
        kind = client.call(f"look up GitHub user {login}", account_type)
    except NotFound:
        return MaintainerCheck(login, MaintainerStatus.MISSING, f"'{login}' is not a GitHub user")
    if kind == "Organization":
        return MaintainerCheck(
            login,
            MaintainerStatus.ORGANIZATION,
            f"'{login}' is an organisation; list people, or a team as 'org/team'",
        )
    return MaintainerCheck(login, MaintainerStatus.OK)


def _check_team(client: GitHubClient, entry: str) -> MaintainerCheck:
    org_name, _, team = entry.partition("/")
    if not org_name or not team or "/" in team:
        return MaintainerCheck(
            entry, MaintainerStatus.TEAM_MISSING, f"'{entry}' is not of the form 'org/team'"
        )
    if not client.authenticated:
        return MaintainerCheck(
            entry, MaintainerStatus.INCONCLUSIVE, f"checking team '{entry}' needs a GitHub token"
        )
    gh = client.github

    def read_team() -> str:
        return str(gh.get_organization(org_name).get_team_by_slug(team_slug(team)).name)

    try:
        client.call(f"read team {entry}", read_team)
    except NotFound:
        return MaintainerCheck(
            entry, MaintainerStatus.TEAM_MISSING, f"team '{entry}' does not exist (or is hidden)"
        )
    return MaintainerCheck(entry, MaintainerStatus.OK)


def check_maintainers(
    client: GitHubClient, maintainers: Sequence[str]
) -> tuple[MaintainerCheck, ...]:
    """Check each maintainer entry against GitHub, in recipe order, once per entry.

    Users must exist and be users (not organisations); ``org/team`` entries must name a team
    the token can see. After a network failure or an exhausted rate limit the remaining
    entries are reported as inconclusive rather than queried one by one.

    Args:
        client: a GitHub client; anonymous works for users (with a low rate limit).
        maintainers: ``extra.recipe-maintainers`` as written.

    Raises:
        AuthError: the token was rejected (401).
    """
    seen: set[str] = set()
    results: list[MaintainerCheck] = []
    stopped = ""
    for raw in maintainers:
        entry = raw.strip()
        if not entry or entry.lower() in seen:
            continue
        seen.add(entry.lower())
        if stopped:
            results.append(MaintainerCheck(entry, MaintainerStatus.INCONCLUSIVE, stopped))
            continue
        check = partial(_check_team if "/" in entry else _check_user, client, entry)
        try:
            results.append(check())
        except (RateLimited, NetworkError) as exc:
            stopped = f"not checked: {exc.message}"
            results.append(MaintainerCheck(entry, MaintainerStatus.INCONCLUSIVE, stopped))
        except (ApiError, PermissionDenied) as exc:
            results.append(MaintainerCheck(entry, MaintainerStatus.INCONCLUSIVE, exc.message))
    return tuple(results)
