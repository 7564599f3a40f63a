"""The fake GitHub's Actions endpoints: permissions, the public key and encrypted secrets."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from tests.github.fake_api import NOT_FOUND, ApiAnswer, Request, error, with_repo
from tests.github.fake_state import FakeRepo

_STAMP = "2026-01-01T00:00:00Z"


def key_id(repo: FakeRepo) -> str:
    """A stable id of the repository's current public key."""
    return hashlib.sha256(bytes(repo.secret_key.public_key)).hexdigest()[:20]


def decrypt(repo: FakeRepo, name: str) -> str:
    """Open a stored secret with the repository's private key, as GitHub's runners do."""
    from nacl.public import SealedBox

    sealed = base64.b64decode(repo.secrets[name]["encrypted_value"])
    return SealedBox(repo.secret_key).decrypt(sealed).decode()


@with_repo(admin=True)
def get_permissions(req: Request, repo: FakeRepo) -> ApiAnswer:
    body: dict[str, Any] = {"enabled": repo.actions_enabled}
    if repo.actions_enabled:
        body["allowed_actions"] = "all"
    return ApiAnswer(200, body)


@with_repo(admin=True)
def put_permissions(req: Request, repo: FakeRepo) -> ApiAnswer:
    if not isinstance(req.body.get("enabled"), bool):
        return error(422, "Invalid request.", errors=["enabled must be a boolean"])
    repo.actions_enabled = req.body["enabled"]
    return ApiAnswer(204)


@with_repo(admin=True)
def get_public_key(req: Request, repo: FakeRepo) -> ApiAnswer:
    public = base64.b64encode(bytes(repo.secret_key.public_key)).decode()
    return ApiAnswer(200, {"key_id": key_id(repo), "key": public})


def _secret_json(name: str, data: dict[str, str]) -> dict[str, str]:
    return {"name": name, "created_at": data["created_at"], "updated_at": data["updated_at"]}


@with_repo(admin=True)
def list_secrets(req: Request, repo: FakeRepo) -> ApiAnswer:
    listed = [_secret_json(name, repo.secrets[name]) for name in sorted(repo.secrets)]
    return ApiAnswer(200, {"total_count": len(listed), "secrets": listed})


@with_repo(admin=True)
def get_secret(req: Request, repo: FakeRepo, name: str) -> ApiAnswer:
    data = repo.secrets.get(name.upper())
    return ApiAnswer(200, _secret_json(name.upper(), data)) if data else NOT_FOUND


@with_repo(admin=True)
def put_secret(req: Request, repo: FakeRepo, name: str) -> ApiAnswer:
    value, given_key = req.body.get("encrypted_value"), req.body.get("key_id")
    if not isinstance(value, str) or given_key != key_id(repo):
        return error(422, "Invalid request.", errors=["encrypted_value and a current key_id"])
    try:
        base64.b64decode(value, validate=True)
    except ValueError:
        return error(422, "Invalid request.", errors=["encrypted_value must be base64"])
    name = name.upper()
    existed = name in repo.secrets
    created = repo.secrets[name]["created_at"] if existed else _STAMP
    repo.secrets[name] = {
        "encrypted_value": value,
        "key_id": given_key,
        "created_at": created,
        "updated_at": _STAMP,
    }
    return ApiAnswer(204 if existed else 201, None if existed else {})


_R = "/repos/([^/]+)/([^/]+)"
SECRET_ROUTES = [
    ("GET", _R + "/actions/permissions", get_permissions),
    ("PUT", _R + "/actions/permissions", put_permissions),
    ("GET", _R + "/actions/secrets/public-key", get_public_key),
    ("GET", _R + "/actions/secrets", list_secrets),
    ("GET", _R + "/actions/secrets/([^/]+)", get_secret),
    ("PUT", _R + "/actions/secrets/([^/]+)", put_secret),
]
