"""CI registration on GitHub: Actions and secrets, feedstock tokens, the upload token."""

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
    read_repository,
    register_actions,
    store_secrets,
)
from smithy.github.ci_tokens import ci_secrets, feedstock_token_path
from smithy.github.client import GitHubClient
from smithy.github.errors import TokenError
from smithy.github.feedstock import FeedstockInfo, read_feedstock
from smithy.github.feedstock_tokens import generate_token_file, register_token_hash
from smithy.github.model import Change, StepResult
from smithy.github.token import read_token_file

_MISSING = {
    FEEDSTOCK_TOKEN: "no feedstock token; run 'smithy generate-feedstock-token' first",
    STAGING_TOKEN: "set $STAGING_BINSTAR_TOKEN to store it",
}
_NO_UPLOAD = "no upload token: set BINSTAR_TOKEN or write ~/.conda-smithy/anaconda.token (mode 600)"


@dataclass(frozen=True, slots=True)
class CiCall:
    """What every CI registration command shares.

    Attributes:
        client: the GitHub client (token, URL, retries).
        organization: the owning organisation; None for the token's own user account.
        environ: the process environment (tokens, pinning search).
        home: the user's home folder (``~/.conda-smithy``).
        dry_run: change nothing; results say what would change.
    """

    client: GitHubClient
    organization: str | None
    environ: Mapping[str, str]
    home: Path
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class CiRegistration:
    """Every outcome of a CI registration, in order.

    Attributes:
        full_name: ``owner/name-feedstock``.
        results: one entry per thing checked, stored, kept or skipped.
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


def _target(feedstock_dir: Path, call: CiCall) -> tuple[FeedstockInfo, str]:
    info = read_feedstock(feedstock_dir, call.environ)
    return info, f"{owner_login(call.client, call.organization)}/{info.repo_name}"


def register_ci(
    feedstock_dir: Path, call: CiCall, *, with_upload_token: bool = True
) -> CiRegistration:
    """Enable GitHub Actions on the feedstock's repository and store its tokens as secrets.

    Existing secrets are kept (``update-anaconda-token`` replaces the upload token).

    Raises:
        TokenError: the upload token is needed but not found, or a token file is unusable.
        GitHubError: the repository is missing or GitHub refused a step.
        SmithyError: the recipe cannot be read.
    """
    _, full_name = _target(feedstock_dir, call)
    secrets = ci_secrets(call.environ, call.home, full_name)
    if not with_upload_token:
        secrets.pop(UPLOAD_TOKEN, None)
    elif UPLOAD_TOKEN not in secrets:
        raise TokenError(f"{_NO_UPLOAD}, or pass --without-anaconda-token")
    request = ActionsRequest(full_name, secrets, dry_run=call.dry_run)
    results = list(register_actions(call.client, request))
    for name in SECRET_NAMES:
        if name not in secrets and name in _MISSING:
            results.append(StepResult("secret", Change.SKIPPED, name, _MISSING[name]))
    return CiRegistration(full_name, tuple(results), call.dry_run)


def generate_feedstock_token(
    feedstock_dir: Path, *, owner: str, environ: Mapping[str, str], home: Path
) -> Path:
    """Make the feedstock's token file, ``~/.conda-smithy/<owner>_<name>-feedstock.token``.

    Raises:
        TokenError: the file exists already (it is never overwritten).
    """
    info = read_feedstock(feedstock_dir, environ)
    path = feedstock_token_path(home, f"{owner}/{info.repo_name}")
    generate_token_file(path)
    return path


def register_feedstock_token(
    feedstock_dir: Path, call: CiCall, *, token_repo: str | None = None
) -> CiRegistration:
    """Register the feedstock token's salted hash, then store the token as FEEDSTOCK_TOKEN.

    The token repository defaults to ``<owner>/feedstock-tokens``. The secret is replaced
    only when the hash was new, so a second run changes nothing.

    Raises:
        TokenError: no token file (run generate-feedstock-token), or an unusable one.
        GitHubError: a missing repository, or GitHub refused a step.
    """
    info, full_name = _target(feedstock_dir, call)
    path = feedstock_token_path(call.home, full_name)
    if not path.exists():
        raise TokenError(
            f"no feedstock token for {full_name} ({path}); run 'smithy generate-feedstock-token'"
        )
    token = read_token_file(path)
    repo = read_repository(call.client, full_name)
    registry = token_repo or f"{full_name.partition('/')[0]}/feedstock-tokens"
    hashed = register_token_hash(call.client, registry, info.name, token, dry_run=call.dry_run)
    replace = frozenset({FEEDSTOCK_TOKEN}) if hashed.changed else frozenset()
    request = ActionsRequest(full_name, {FEEDSTOCK_TOKEN: token}, replace, call.dry_run)
    stored = store_secrets(call.client, repo, request)
    return CiRegistration(full_name, (hashed, *stored), call.dry_run)


def update_upload_token(
    feedstock_dir: Path, call: CiCall, *, secret_name: str = UPLOAD_TOKEN
) -> CiRegistration:
    """Replace the upload token secret (``BINSTAR_TOKEN``) with the current token.

    Raises:
        TokenError: no upload token found, or an unusable token file.
        GitHubError: a missing repository, or GitHub refused the write.
    """
    _, full_name = _target(feedstock_dir, call)
    upload = ci_secrets(call.environ, call.home, full_name).get(UPLOAD_TOKEN)
    if upload is None:
        raise TokenError(_NO_UPLOAD)
    repo = read_repository(call.client, full_name)
    request = ActionsRequest(
        full_name, {secret_name: upload}, frozenset({secret_name}), call.dry_run
    )
    return CiRegistration(full_name, tuple(store_secrets(call.client, repo, request)), call.dry_run)
