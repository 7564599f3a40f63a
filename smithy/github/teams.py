"""Registration steps for people: the maintainers team, its members and their recorded ids."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from functools import partial

from github.NamedUser import NamedUser
from github.Organization import Organization
from github.Team import Team

from smithy.github.errors import GitHubError, NotFound
from smithy.github.model import MAINTAINERS_FILE, Change, Context, StepResult

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
COMMIT_MESSAGE = "[ci skip] record recipe maintainer account ids"


def team_slug(name: str) -> str:
    """Return the slug GitHub most likely gives a team called ``name``."""
    return _SLUG_JUNK.sub("-", name.lower()).strip("-")


def split_maintainers(entries: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split ``extra.recipe-maintainers`` into user logins and ``org/team`` entries.

    Both come back lower-cased, without duplicates, sorted; GitHub logins ignore case.
    """
    cleaned = {entry.strip().lower() for entry in entries if entry.strip()}
    users = tuple(sorted(e for e in cleaned if "/" not in e))
    teams = tuple(sorted(e for e in cleaned if "/" in e))
    return users, teams


def _organization(ctx: Context) -> Organization | None:
    return ctx.owner if isinstance(ctx.owner, Organization) else None


def _find_team(ctx: Context, org: Organization, slug: str) -> Team | None:
    try:
        return ctx.client.call(f"read team {org.login}/{slug}", partial(org.get_team_by_slug, slug))
    except NotFound:
        return None


def _ensure_team_access(ctx: Context, team: Team, step: str) -> Iterator[StepResult]:
    repo = ctx.require_repo()
    url = f"{team.url}/repos/{repo.full_name}"
    subject = f"{team.slug} -> {repo.full_name}"
    try:
        ctx.client.request_json(f"check team {team.slug}'s access to {repo.full_name}", "GET", url)
    except NotFound:
        ctx.client.request_json(
            f"give team {team.slug} push access to {repo.full_name}",
            "PUT",
            url,
            {"permission": "push"},
        )
        yield StepResult(step, Change.CREATED, subject, "push access")
        return
    yield StepResult(step, Change.UNCHANGED, subject, "has access")


def ensure_team(ctx: Context) -> Iterator[StepResult]:
    """Create the team named after the feedstock (closed) and give it push access."""
    name = ctx.request.feedstock.name
    org = _organization(ctx)
    if org is None:
        yield StepResult("team", Change.SKIPPED, name, "teams need an organisation")
        return
    slug = team_slug(name)
    team = _find_team(ctx, org, slug)
    if team is not None and team.name.lower() != name.lower():
        raise GitHubError(
            f"team {org.login}/{slug} already exists for '{team.name}', not '{name}'; rename it"
        )
    if team is None:
        description = f"Maintainers of {ctx.request.feedstock.repo_name}"
        team = ctx.client.call(
            f"create team {name} in {org.login}",
            partial(org.create_team, name, privacy="closed", description=description),
        )
        yield StepResult("team", Change.CREATED, f"{org.login}/{team.slug}")
    else:
        yield StepResult("team", Change.UNCHANGED, f"{org.login}/{team.slug}")
    ctx.team = team
    yield from _ensure_team_access(ctx, team, "team-access")


def _recorded_ids(ctx: Context) -> dict[str, int]:
    repo = ctx.require_repo()
    if ctx.repo_empty:
        return {}
    try:
        content = ctx.client.call(
            f"read {MAINTAINERS_FILE} of {repo.full_name}",
            partial(repo.get_contents, MAINTAINERS_FILE),
        )
    except NotFound:
        return {}
    if isinstance(content, list):
        raise GitHubError(f"{MAINTAINERS_FILE} in {repo.full_name} is a folder, not a file")
    ctx.ids_file_sha = content.sha
    try:
        data = json.loads(content.decoded_content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
        raise GitHubError(
            f"{MAINTAINERS_FILE} in {repo.full_name} is not a JSON object of login to id; "
            "fix or delete it"
        )
    return {str(k).lower(): int(v) for k, v in data.items()}


def _lookup_user(ctx: Context, login: str) -> NamedUser | None:
    gh = ctx.client.github

    def fetch() -> NamedUser:
        user = gh.get_user(login)
        _ = user.id  # complete the lazy object inside call()
        return user

    try:
        return ctx.client.call(f"look up GitHub user {login}", fetch)
    except NotFound:
        return None


def _membership_state(ctx: Context, team: Team, login: str) -> str | None:
    try:
        data = ctx.client.request_json(
            f"read {login}'s membership of team {team.slug}",
            "GET",
            f"{team.url}/memberships/{login}",
        )
    except NotFound:
        return None
    return str((data or {}).get("state") or "active")


def _sync_user(
    ctx: Context, team: Team, login: str, current: set[str], recorded: dict[str, int]
) -> StepResult:
    user = _lookup_user(ctx, login)
    if user is None:
        return StepResult("team-member", Change.SKIPPED, login, "not a GitHub user")
    if user.type == "Organization":
        return StepResult("team-member", Change.SKIPPED, login, "an organisation, not a user")
    if login in recorded and recorded[login] != user.id:
        # The login now belongs to another account than the one recorded: never grant it access.
        return StepResult(
            "team-member",
            Change.SKIPPED,
            login,
            f"account id {user.id} is not the recorded {recorded[login]}",
        )
    assert ctx.maintainer_ids is not None
    ctx.maintainer_ids[login] = user.id
    if login in current:
        return StepResult("team-member", Change.UNCHANGED, login, "member")
    state = _membership_state(ctx, team, login)
    if state is not None:
        note = "invitation pending" if state == "pending" else "member"
        return StepResult("team-member", Change.UNCHANGED, login, note)
    ctx.client.call(f"add {login} to team {team.slug}", partial(team.add_membership, user))
    return StepResult("team-member", Change.CREATED, login)


def sync_members(ctx: Context) -> Iterator[StepResult]:
    """Make the team's members the recipe's maintainers; add ``org/team`` entries to the repo.

    Members no longer listed are removed. A login whose account id differs from the one in
    ``.recipe_maintainers.json`` is not added: the name was freed and taken by someone else.
    """
    team, org = ctx.team, _organization(ctx)
    if team is None or org is None:
        return
    users, team_entries = split_maintainers(ctx.request.feedstock.maintainers)
    recorded = _recorded_ids(ctx)
    # Keep recorded ids of listed users even when skipped, so a reused login stays refused.
    ctx.maintainer_ids = {login: recorded[login] for login in users if login in recorded}
    members = ctx.client.call(f"list members of team {team.slug}", lambda: list(team.get_members()))
    current = {member.login.lower(): member for member in members}
    for login in users:
        yield _sync_user(ctx, team, login, set(current), recorded)
    for login in sorted(set(current) - set(users)):
        ctx.client.call(
            f"remove {login} from team {team.slug}", partial(team.remove_membership, current[login])
        )
        yield StepResult("team-member", Change.REMOVED, login, "no longer a recipe maintainer")
    for entry in team_entries:
        owner, _, slug = entry.partition("/")
        if owner != org.login.lower():
            yield StepResult(
                "maintainer-team", Change.SKIPPED, entry, "team of another organisation"
            )
            continue
        other = _find_team(ctx, org, slug)
        if other is None:
            yield StepResult("maintainer-team", Change.SKIPPED, entry, "no such team")
            continue
        yield from _ensure_team_access(ctx, other, "maintainer-team")


def write_maintainer_ids(ctx: Context) -> Iterator[StepResult]:
    """Record login -> account id of the maintainers in ``.recipe_maintainers.json`` on GitHub.

    Written through the contents API like conda-smithy, so it needs the default branch to
    exist: on an empty repository the step is skipped until the feedstock is pushed.
    """
    ids = ctx.maintainer_ids
    if ids is None:
        return
    repo = ctx.require_repo()
    if ctx.repo_empty:
        yield StepResult(
            "maintainer-ids",
            Change.SKIPPED,
            MAINTAINERS_FILE,
            "repository is empty; push and run again",
        )
        return
    recorded = _recorded_ids(ctx)
    if ctx.ids_file_sha is not None and recorded == ids:
        yield StepResult("maintainer-ids", Change.UNCHANGED, MAINTAINERS_FILE)
        return
    text = json.dumps(ids, sort_keys=True, indent=2) + "\n"
    sha = ctx.ids_file_sha
    if sha is None:
        ctx.client.call(
            f"create {MAINTAINERS_FILE} in {repo.full_name}",
            partial(repo.create_file, MAINTAINERS_FILE, COMMIT_MESSAGE, text),
        )
        yield StepResult("maintainer-ids", Change.CREATED, MAINTAINERS_FILE, f"{len(ids)} ids")
    else:
        ctx.client.call(
            f"update {MAINTAINERS_FILE} in {repo.full_name}",
            partial(repo.update_file, MAINTAINERS_FILE, COMMIT_MESSAGE, text, sha),
        )
        yield StepResult("maintainer-ids", Change.UPDATED, MAINTAINERS_FILE, f"{len(ids)} ids")
