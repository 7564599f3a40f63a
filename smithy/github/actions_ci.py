"""Register a feedstock's GitHub Actions CI: Actions switched on, tokens stored as secrets.

Secrets are encrypted by PyGithub with the repository's public key (libsodium sealed boxes)
before they leave the machine; GitHub never returns them, so a stored secret can only be
kept or replaced, never compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from github.Repository import Repository

from smithy.github.client import GitHubClient
from smithy.github.errors import NotFound
from smithy.github.model import Change, StepResult
from smithy.github.token import Secret

UPLOAD_TOKEN = "BINSTAR_TOKEN"
FEEDSTOCK_TOKEN = "FEEDSTOCK_TOKEN"
STAGING_TOKEN = "STAGING_BINSTAR_TOKEN"
SECRET_NAMES = (UPLOAD_TOKEN, FEEDSTOCK_TOKEN, STAGING_TOKEN)


@dataclass(frozen=True, slots=True)
class ActionsRequest:
    """What to set up on one repository.

    Attributes:
        full_name: ``owner/name-feedstock``.
        secrets: secret name -> value to store (the names missing here are left alone).
        replace: names stored even when the secret exists (rotation); others are kept.
        dry_run: look, change nothing; results say what would change.
    """

    full_name: str
    secrets: Mapping[str, Secret] = field(default_factory=dict)
    replace: frozenset[str] = frozenset()
    dry_run: bool = False


def read_repository(client: GitHubClient, full_name: str) -> Repository:
    """Return the repository, or say to register it first when it is missing."""
    try:
        return client.call(
            f"read repository {full_name}", lambda: client.github.get_repo(full_name)
        )
    except NotFound:
        raise NotFound(
            f"repository '{full_name}' not found, or not visible to this token; "
            "run 'smithy register-github' first"
        ) from None


def ensure_actions_enabled(client: GitHubClient, repo: Repository, *, dry_run: bool) -> StepResult:
    """Switch GitHub Actions on for ``repo`` unless it is on already."""
    url = f"{repo.url}/actions/permissions"
    name = repo.full_name
    state: Any = client.request_json(f"read the Actions settings of {name}", "GET", url)
    if isinstance(state, Mapping) and state.get("enabled"):
        return StepResult("actions", Change.UNCHANGED, name, "already enabled")
    if not dry_run:
        body = {"enabled": True, "allowed_actions": "all"}
        client.request_json(f"enable Actions on {name}", "PUT", url, body)
    return StepResult("actions", Change.UPDATED, name, "enabled")


def _existing_secrets(client: GitHubClient, repo: Repository) -> set[str]:
    def names() -> set[str]:
        return {secret.name for secret in repo.get_secrets()}

    return client.call(f"list the Actions secrets of {repo.full_name}", names)


def _store(client: GitHubClient, repo: Repository, name: str, value: Secret) -> None:
    def put() -> None:
        repo.create_secret(name, value.reveal())

    client.call(f"store secret {name} in {repo.full_name}", put)


def store_secrets(
    client: GitHubClient, repo: Repository, request: ActionsRequest
) -> list[StepResult]:
    """Store each requested secret that is missing (or asked to be replaced), sorted by name."""
    existing = _existing_secrets(client, repo)
    results = []
    for name in sorted(request.secrets):
        if name in existing and name not in request.replace:
            results.append(StepResult("secret", Change.UNCHANGED, name, "exists, kept"))
            continue
        if not request.dry_run:
            _store(client, repo, name, request.secrets[name])
        change = Change.UPDATED if name in existing else Change.CREATED
        results.append(StepResult("secret", change, name, "encrypted"))
    return results


def register_actions(client: GitHubClient, request: ActionsRequest) -> tuple[StepResult, ...]:
    """Enable Actions and store the secrets; safe to repeat (a second run changes nothing).

    Raises:
        GitHubError: the repository is missing, or GitHub refused a step.
    """
    repo = read_repository(client, request.full_name)
    results = [ensure_actions_enabled(client, repo, dry_run=request.dry_run)]
    results += store_secrets(client, repo, request)
    return tuple(results)
