"""Request, answers and JSON shapes of the fake GitHub, shared by its route modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.github.fake_state import Account, FakeRepo, FakeState, FakeTeam

DOCS = "https://docs.github.com/rest"


@dataclass
class ApiAnswer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str, **extra: Any) -> ApiAnswer:
    return ApiAnswer(
        status, {"message": message, "documentation_url": DOCS, "status": str(status), **extra}
    )


NOT_FOUND = error(404, "Not Found")


@dataclass
class Request:
    method: str
    path: str
    body: Any
    auth: str
    base: str
    state: FakeState
    login: str | None = None

    def authenticate(self) -> ApiAnswer | None:
        if self.auth:
            token = self.auth.split(None, 1)[-1]
            if token not in self.state.tokens:
                return error(401, "Bad credentials")
            self.login = self.state.tokens[token]
            return None
        anonymous_ok = self.method == "GET" and self.path.startswith(
            ("/users/", "/orgs/", "/repos/")
        )
        return None if anonymous_ok else error(401, "Requires authentication")

    @property
    def me(self) -> Account | None:
        return self.state.accounts.get(self.login.lower()) if self.login else None

    def is_admin(self, owner: Account) -> bool:
        if self.login is None:
            return False
        if owner.type == "User":
            return owner.login.lower() == self.login.lower()
        return owner.members.get(self.login.lower()) == "admin"


def user_json(req: Request, acc: Account) -> dict[str, Any]:
    kind = "orgs" if acc.type == "Organization" else "users"
    return {
        "login": acc.login,
        "id": acc.id,
        "node_id": f"U_{acc.id}",
        "type": acc.type,
        "site_admin": False,
        "url": f"{req.base}/{kind}/{acc.login}",
        "html_url": f"https://github.invalid/{acc.login}",
    }


def repo_json(req: Request, repo: FakeRepo) -> dict[str, Any]:
    url = f"{req.base}/repos/{repo.full_name}"
    return {
        "id": repo.id,
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": user_json(req, repo.owner),
        "private": repo.private,
        "visibility": "private" if repo.private else "public",
        "description": repo.description,
        "default_branch": repo.default_branch,
        "url": url,
        "html_url": f"https://github.invalid/{repo.full_name}",
        "clone_url": str(repo.git_dir),
        "ssh_url": str(repo.git_dir),
        "has_wiki": False,
        "size": 0,
    }


def team_json(req: Request, team: FakeTeam) -> dict[str, Any]:
    url = f"{req.base}/orgs/{team.org.login}/teams/{team.slug}"
    return {
        "id": team.id,
        "name": team.name,
        "slug": team.slug,
        "description": team.description,
        "privacy": team.privacy,
        "permission": "pull",
        "url": url,
        "members_url": f"{url}/members{{/member}}",
        "repositories_url": f"{url}/repos",
        "html_url": f"https://github.invalid/orgs/{team.org.login}/teams/{team.slug}",
    }


def find_account(req: Request, login: str, kind: str | None = None) -> Account | None:
    acc = req.state.accounts.get(login.lower())
    return acc if acc is not None and (kind is None or acc.type == kind) else None


def get_me(req: Request) -> ApiAnswer:
    return (
        ApiAnswer(200, user_json(req, req.me)) if req.me else error(401, "Requires authentication")
    )


def get_user(req: Request, login: str) -> ApiAnswer:
    acc = find_account(req, login)
    return ApiAnswer(200, user_json(req, acc)) if acc else NOT_FOUND


def get_org(req: Request, login: str) -> ApiAnswer:
    acc = find_account(req, login, "Organization")
    return ApiAnswer(200, user_json(req, acc)) if acc else NOT_FOUND


def find_repo(req: Request, owner: str, name: str) -> FakeRepo | None:
    return req.state.repos.get(f"{owner}/{name}".lower())


def with_repo(admin: bool = False) -> Callable[..., Callable[..., ApiAnswer]]:
    """Decorate a handler taking a FakeRepo; 404 when missing, 403 when admin is needed."""

    def wrap(fn: Callable[..., ApiAnswer]) -> Callable[..., ApiAnswer]:
        def handler(req: Request, owner: str, name: str, *rest: str) -> ApiAnswer:
            repo = find_repo(req, owner, name)
            if repo is None:
                return NOT_FOUND
            if admin and not req.is_admin(repo.owner):
                return error(403, "Must have admin rights to Repository.")
            return fn(req, repo, *rest)

        return handler

    return wrap


def with_team(admin: bool = False) -> Callable[..., Callable[..., ApiAnswer]]:
    def wrap(fn: Callable[..., ApiAnswer]) -> Callable[..., ApiAnswer]:
        def handler(req: Request, org: str, slug: str, *rest: str) -> ApiAnswer:
            team = req.state.teams.get((org.lower(), slug))
            if team is None:
                return NOT_FOUND
            if admin and not req.is_admin(team.org):
                return error(
                    403, "You must be an organization owner or team maintainer to do that."
                )
            return fn(req, team, *rest)

        return handler

    return wrap
