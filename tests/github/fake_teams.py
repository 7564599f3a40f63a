"""Fake GitHub routes for people: collaborators, invitations and teams."""

from __future__ import annotations

from typing import Any

from tests.github.fake_api import (
    NOT_FOUND,
    ApiAnswer,
    Request,
    error,
    find_account,
    find_repo,
    repo_json,
    team_json,
    user_json,
    with_repo,
    with_team,
)
from tests.github.fake_state import FakeRepo, FakeTeam


@with_repo()
def get_permission(req: Request, repo: FakeRepo, login: str) -> ApiAnswer:
    acc = find_account(req, login, "User")
    if acc is None:
        return NOT_FOUND
    perm = "admin" if repo.owner is acc else repo.collaborators.get(login.lower(), "none")
    return ApiAnswer(200, {"permission": perm, "role_name": perm, "user": user_json(req, acc)})


def _invitation(req: Request, repo: FakeRepo, login: str) -> dict[str, Any]:
    acc = req.state.accounts[login]
    return {
        "id": acc.id,
        "invitee": user_json(req, acc),
        "inviter": user_json(req, req.me or acc),
        "permissions": repo.invitations[login],
        "repository": repo_json(req, repo),
        "url": f"{req.base}/repos/{repo.full_name}/invitations/{acc.id}",
    }


@with_repo(admin=True)
def add_collaborator(req: Request, repo: FakeRepo, login: str) -> ApiAnswer:
    if find_account(req, login, "User") is None:
        return NOT_FOUND
    if login.lower() in repo.collaborators:
        repo.collaborators[login.lower()] = str(req.body.get("permission") or "push")
        return ApiAnswer(204)
    repo.invitations[login.lower()] = str(req.body.get("permission") or "push")
    return ApiAnswer(201, _invitation(req, repo, login.lower()))


@with_repo()
def list_invitations(req: Request, repo: FakeRepo) -> ApiAnswer:
    return ApiAnswer(200, [_invitation(req, repo, login) for login in sorted(repo.invitations)])


@with_repo()
def list_repo_teams(req: Request, repo: FakeRepo) -> ApiAnswer:
    teams = [t for t in req.state.teams.values() if repo.full_name.lower() in t.repos]
    return ApiAnswer(200, [team_json(req, t) for t in sorted(teams, key=lambda t: t.slug)])


def create_team(req: Request, org: str) -> ApiAnswer:
    owner = find_account(req, org, "Organization")
    if owner is None:
        return NOT_FOUND
    if not req.is_admin(owner):
        return error(403, "You must be an organization owner to create teams.")
    name = str(req.body.get("name") or "")
    if any(t.org is owner and t.name.lower() == name.lower() for t in req.state.teams.values()):
        return error(
            422,
            "Validation Failed",
            errors=[{"resource": "Team", "code": "already_exists", "field": "name"}],
        )
    team = req.state.add_team(owner.login, name)
    team.description = str(req.body.get("description") or "")
    team.privacy = str(req.body.get("privacy") or "secret")
    return ApiAnswer(201, team_json(req, team))


@with_team()
def get_team(req: Request, team: FakeTeam) -> ApiAnswer:
    return ApiAnswer(200, team_json(req, team))


@with_team()
def list_members(req: Request, team: FakeTeam) -> ApiAnswer:
    active = sorted(login for login, state in team.members.items() if state == "active")
    return ApiAnswer(200, [user_json(req, req.state.accounts[login]) for login in active])


def _membership(req: Request, team: FakeTeam, login: str) -> dict[str, Any]:
    url = f"{req.base}/orgs/{team.org.login}/teams/{team.slug}/memberships/{login}"
    return {"state": team.members[login.lower()], "role": "member", "url": url}


@with_team()
def get_membership(req: Request, team: FakeTeam, login: str) -> ApiAnswer:
    return (
        ApiAnswer(200, _membership(req, team, login))
        if login.lower() in team.members
        else NOT_FOUND
    )


@with_team(admin=True)
def put_membership(req: Request, team: FakeTeam, login: str) -> ApiAnswer:
    if find_account(req, login, "User") is None:
        return NOT_FOUND
    if login.lower() not in team.members:
        # People outside the organisation are invited; their membership stays pending.
        team.members[login.lower()] = "active" if login.lower() in team.org.members else "pending"
    return ApiAnswer(200, _membership(req, team, login))


@with_team(admin=True)
def delete_membership(req: Request, team: FakeTeam, login: str) -> ApiAnswer:
    return ApiAnswer(204) if team.members.pop(login.lower(), None) else NOT_FOUND


@with_team()
def get_team_repo(req: Request, team: FakeTeam, owner: str, name: str) -> ApiAnswer:
    return ApiAnswer(204) if f"{owner}/{name}".lower() in team.repos else NOT_FOUND


@with_team(admin=True)
def put_team_repo(req: Request, team: FakeTeam, owner: str, name: str) -> ApiAnswer:
    if find_repo(req, owner, name) is None:
        return NOT_FOUND
    team.repos[f"{owner}/{name}".lower()] = str(req.body.get("permission") or "push")
    return ApiAnswer(204)
