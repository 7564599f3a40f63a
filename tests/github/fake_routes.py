"""Route table of the fake GitHub and its handlers for accounts, repositories and rulesets."""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Callable
from typing import Any

from tests.github.fake_api import (
    NOT_FOUND,
    ApiAnswer,
    Request,
    error,
    find_account,
    repo_json,
    user_json,
    with_repo,
)
from tests.github.fake_secrets import SECRET_ROUTES
from tests.github.fake_state import Account, FakeRepo
from tests.github.fake_teams import (
    add_collaborator,
    create_team,
    delete_membership,
    get_membership,
    get_permission,
    get_team,
    get_team_repo,
    list_invitations,
    list_members,
    list_repo_teams,
    put_membership,
    put_team_repo,
)


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


def _create_repo(req: Request, owner: Account) -> ApiAnswer:
    name = str(req.body.get("name") or "")
    if f"{owner.login}/{name}".lower() in req.state.repos:
        return error(
            422,
            "Repository creation failed.",
            errors=[
                {
                    "resource": "Repository",
                    "code": "custom",
                    "field": "name",
                    "message": "name already exists on this account",
                }
            ],
        )
    repo = req.state.add_repo(
        owner.login,
        name,
        private=bool(req.body.get("private")),
        description=str(req.body.get("description") or ""),
    )
    return ApiAnswer(201, repo_json(req, repo))


def create_org_repo(req: Request, org: str) -> ApiAnswer:
    owner = find_account(req, org, "Organization")
    if owner is None:
        return NOT_FOUND
    if not req.is_admin(owner):
        return error(
            403, "You need admin access to the organization before adding a repository to it."
        )
    return _create_repo(req, owner)


def create_user_repo(req: Request) -> ApiAnswer:
    return _create_repo(req, req.me) if req.me else error(401, "Requires authentication")


def list_repos(req: Request, login: str) -> ApiAnswer:
    """An account's repositories (paginated by the server), sorted by name."""
    acc = find_account(req, login)
    if acc is None:
        return NOT_FOUND
    repos = sorted(
        (repo for repo in req.state.repos.values() if repo.owner is acc), key=lambda r: r.name
    )
    return ApiAnswer(200, [repo_json(req, repo) for repo in repos])


@with_repo()
def get_repo(req: Request, repo: FakeRepo) -> ApiAnswer:
    return ApiAnswer(200, repo_json(req, repo))


def _file_json(
    req: Request, repo: FakeRepo, path: str, sha: str, size: int, kind: str = "file"
) -> dict[str, Any]:
    return {
        "type": kind,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": size,
        "url": f"{req.base}/repos/{repo.full_name}/contents/{path}",
    }


@with_repo()
def get_contents(req: Request, repo: FakeRepo, path: str | None) -> ApiAnswer:
    if repo.head() is None:
        return error(404, "This repository is empty.")
    path = (path or "").strip("/")
    parent, _, leaf = path.rpartition("/")
    if not path:
        return ApiAnswer(200, [_file_json(req, repo, n, s, z, k) for k, n, s, z in repo.tree()])
    try:
        listing = repo.tree(parent)
    except Exception:
        return NOT_FOUND
    for kind, name, sha, size in listing:
        if name == leaf and kind == "dir":
            entries = repo.tree(path)
            return ApiAnswer(
                200, [_file_json(req, repo, f"{path}/{n}", s, z, k) for k, n, s, z in entries]
            )
        if name == leaf:
            body = _file_json(req, repo, path, sha, size)
            body |= {"encoding": "base64", "content": base64.b64encode(repo.read(path)).decode()}
            return ApiAnswer(200, body)
    return NOT_FOUND


@with_repo(admin=True)
def put_contents(req: Request, repo: FakeRepo, path: str) -> ApiAnswer:
    existing = None
    if repo.head() is not None:
        folder, _, leaf = path.rpartition("/")
        try:
            listing = repo.tree(folder)
        except subprocess.CalledProcessError:
            listing = []  # a file in a folder that does not exist yet
        existing = next((s for _, n, s, _ in listing if n == leaf), None)
    given = req.body.get("sha")
    if existing is not None and not given:
        return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if existing is not None and given != existing:
        return error(409, f"{path} does not match {given}")
    content = base64.b64decode(req.body.get("content") or "")
    blob, commit = repo.write(path, content, str(req.body.get("message") or "update"))
    file_body = _file_json(req, repo, path, blob, len(content))
    commit_body = {"sha": commit, "url": f"{req.base}/repos/{repo.full_name}/git/commits/{commit}"}
    return ApiAnswer(
        201 if existing is None else 200, {"content": file_body, "commit": commit_body}
    )


@with_repo()
def get_commit(req: Request, repo: FakeRepo, sha: str) -> ApiAnswer:
    if repo.head() is None:
        return error(409, "Git Repository is empty.")
    if not repo.has_commit(sha):
        return error(422, f"No commit found for SHA: {sha}")
    return ApiAnswer(
        200, {"sha": sha, "url": f"{req.base}/repos/{repo.full_name}/commits/{sha}", "commit": {}}
    )


def _ruleset(req: Request, repo: FakeRepo, rid: int, summary: bool = False) -> dict[str, Any]:
    data = repo.rulesets[rid]
    body = {
        "id": rid,
        "name": data["name"],
        "target": data.get("target", "branch"),
        "source_type": "Repository",
        "source": repo.full_name,
        "enforcement": data["enforcement"],
    }
    if not summary:
        body |= {"conditions": data.get("conditions") or {}, "rules": data.get("rules") or []}
    return body


@with_repo()
def list_rulesets(req: Request, repo: FakeRepo) -> ApiAnswer:
    return ApiAnswer(200, [_ruleset(req, repo, rid, summary=True) for rid in sorted(repo.rulesets)])


@with_repo(admin=True)
def create_ruleset(req: Request, repo: FakeRepo) -> ApiAnswer:
    body = req.body
    if not body.get("name") or body.get("enforcement") not in ("active", "evaluate", "disabled"):
        return error(422, "Invalid request.", errors=["name and enforcement are required"])
    if any(r["name"] == body["name"] for r in repo.rulesets.values()):
        return error(422, "Validation Failed", errors=["Name must be unique"])
    rid = req.state.next_id()
    repo.rulesets[rid] = dict(body)
    return ApiAnswer(201, _ruleset(req, repo, rid))


@with_repo()
def get_ruleset(req: Request, repo: FakeRepo, rid: str) -> ApiAnswer:
    return ApiAnswer(200, _ruleset(req, repo, int(rid))) if int(rid) in repo.rulesets else NOT_FOUND


@with_repo(admin=True)
def update_ruleset(req: Request, repo: FakeRepo, rid: str) -> ApiAnswer:
    if int(rid) not in repo.rulesets:
        return NOT_FOUND
    repo.rulesets[int(rid)] = repo.rulesets[int(rid)] | dict(req.body)
    return ApiAnswer(200, _ruleset(req, repo, int(rid)))


_R = "/repos/([^/]+)/([^/]+)"
_T = "/orgs/([^/]+)/teams/([^/]+)"
ROUTES: list[tuple[str, str, Callable[..., ApiAnswer]]] = [
    ("GET", "/user", get_me),
    ("GET", "/users/([^/]+)", get_user),
    ("GET", "/orgs/([^/]+)", get_org),
    ("GET", "/orgs/([^/]+)/repos", list_repos),
    ("GET", "/users/([^/]+)/repos", list_repos),
    ("POST", "/orgs/([^/]+)/repos", create_org_repo),
    ("POST", "/user/repos", create_user_repo),
    ("GET", _R, get_repo),
    ("GET", _R + "/contents(?:/(.*))?", get_contents),
    ("PUT", _R + "/contents/(.+)", put_contents),
    ("GET", _R + "/commits/([^/]+)", get_commit),
    ("GET", _R + "/rulesets", list_rulesets),
    ("POST", _R + "/rulesets", create_ruleset),
    ("GET", _R + r"/rulesets/(\d+)", get_ruleset),
    ("PUT", _R + r"/rulesets/(\d+)", update_ruleset),
    ("GET", _R + "/collaborators/([^/]+)/permission", get_permission),
    ("PUT", _R + "/collaborators/([^/]+)", add_collaborator),
    ("GET", _R + "/invitations", list_invitations),
    ("GET", _R + "/teams", list_repo_teams),
    ("POST", "/orgs/([^/]+)/teams", create_team),
    ("GET", _T, get_team),
    ("GET", _T + "/members", list_members),
    ("GET", _T + "/memberships/([^/]+)", get_membership),
    ("PUT", _T + "/memberships/([^/]+)", put_membership),
    ("DELETE", _T + "/memberships/([^/]+)", delete_membership),
    ("GET", _T + "/repos/([^/]+)/([^/]+)", get_team_repo),
    ("PUT", _T + "/repos/([^/]+)/([^/]+)", put_team_repo),
    *SECRET_ROUTES,
]
