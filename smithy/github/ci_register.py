"""``register-ci`` for GitHub Actions: find the feedstock's repository and tokens, then register."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from smithy.github.actions_ci import (
    FEEDSTOCK_TOKEN,
    SECRET_NAMES,
    STAGING_TOKEN,
    UPLOAD_TOKEN,
    ActionsRequest,
    register_actions,
)
from smithy.github.ci_tokens import ci_secrets
from smithy.github.client import GitHubClient
from smithy.github.errors import TokenError
from smithy.github.feedstock import read_feedstock
from smithy.github.model import Change, StepResult

_MISSING = {
    FEEDSTOCK_TOKEN: "no feedstock token; run 'smithy generate-feedstock-token' first",
    STAGING_TOKEN: "set $STAGING_BINSTAR_TOKEN to store it",
}


@dataclass(frozen=True, slots=True)
class CiRegistration:
    """Every outcome of a CI registration, in order.

    Attributes:
        full_name: ``owner/name-feedstock``.
        results: Actions, then one entry per secret (stored, kept or skipped).
        dry_run: nothing was changed; the results say what would change.
    """

    full_name: str
    results: tuple[StepResult, ...]
    dry_run: bool

    @property
    def changed(self) -> bool:
        """True when anything was (or, in a dry run, would be) modified."""
        return any(result.changed for result in self.results)


def owner_login(client: GitHubClient, organization: str | None) -> str:
    """The organisation's login, or the token's own user for ``--user`` (None)."""
    if organization is not None:
        return organization

    def login() -> str:
        return client.github.get_user().login

    return client.call("read the token's user account", login)


def register_ci(
    feedstock_dir: Path,
    client: GitHubClient,
    *,
    organization: str | None,
    environ: Mapping[str, str],
    home: Path,
    with_upload_token: bool = True,
    dry_run: bool = False,
) -> CiRegistration:
    """Enable GitHub Actions on the feedstock's repository and store its tokens as secrets.

    Existing secrets are kept (``update-anaconda-token`` replaces the upload token).

    Raises:
        TokenError: the upload token is needed but not found, or a token file is unusable.
        GitHubError: the repository is missing or GitHub refused a step.
        SmithyError: the recipe cannot be read.
    """
    info = read_feedstock(feedstock_dir, environ)
    full_name = f"{owner_login(client, organization)}/{info.repo_name}"
    secrets = ci_secrets(environ, home, full_name)
    if not with_upload_token:
        secrets.pop(UPLOAD_TOKEN, None)
    elif UPLOAD_TOKEN not in secrets:
        raise TokenError(
            "no upload token: set BINSTAR_TOKEN or write ~/.conda-smithy/anaconda.token "
            "(mode 600), or pass --without-anaconda-token"
        )
    request = ActionsRequest(full_name, secrets, dry_run=dry_run)
    results = list(register_actions(client, request))
    for name in SECRET_NAMES:
        if name not in secrets and name in _MISSING:
            results.append(StepResult("secret", Change.SKIPPED, name, _MISSING[name]))
    return CiRegistration(full_name, tuple(results), dry_run)
