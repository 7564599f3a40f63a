"""GitHub: register a feedstock's repository, check its maintainers; the values CI commands take.

The command line builds the client (it reports retry waits) and resolves the token; tokens
and anything token-shaped are masked with ``mask_token_like`` before any text is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.ci.azure_client import DEFAULT_AZURE_URL as DEFAULT_AZURE_URL
from smithy.github.ci_register import CiCall as CiCall
from smithy.github.ci_register import CiRegistration as CiRegistration
from smithy.github.client import DEFAULT_API_URL as DEFAULT_API_URL
from smithy.github.client import GitHubClient as GitHubClient
from smithy.github.client import RetryPolicy as RetryPolicy
from smithy.github.client import Wait as Wait
from smithy.github.client import normalize_api_url as normalize_api_url
from smithy.github.model import StepResult as StepResult

if TYPE_CHECKING:
    from smithy.github.feedstock import FeedstockInfo
    from smithy.github.model import RegistrationResult
    from smithy.github.verdicts import MaintainerCheck


def register_github(  # noqa: PLR0913 - one keyword per command-line choice
    feedstock_dir: Path,
    client: GitHubClient,
    environ: Mapping[str, str],
    *,
    organization: str | None,
    private: bool = False,
    add_teams: bool = False,
    remote_name: str = "upstream",
    extra_admin_users: Sequence[str] = (),
    push: bool = False,
    on_result: Callable[[StepResult], None] | None = None,
) -> RegistrationResult:
    """Create ``<name>-feedstock`` under ``organization`` (None: the token's own account).

    Protects it, adds the git remote, and optionally pushes and syncs the maintainers team.
    Each step checks GitHub first and changes only what differs, so a second run is a no-op.

    Raises:
        SmithyError: the recipe cannot be read, or GitHub refuses a step.
    """
    from smithy.github.feedstock import read_feedstock
    from smithy.github.model import RegistrationRequest
    from smithy.github.register import register_feedstock

    request = RegistrationRequest(
        feedstock_dir=feedstock_dir,
        feedstock=read_feedstock(feedstock_dir, environ),
        organization=organization,
        private=private,
        add_teams=add_teams,
        remote_name=remote_name,
        extra_admin_users=tuple(extra_admin_users),
        push=push,
    )
    return register_feedstock(request, client, environ, on_result=on_result)


def check_maintainers(
    recipe: Path, client: GitHubClient, environ: Mapping[str, str]
) -> tuple[FeedstockInfo, tuple[MaintainerCheck, ...]]:
    """Check each ``extra.recipe-maintainers`` entry of the recipe on GitHub.

    Raises:
        SmithyError: the recipe cannot be read or rendered.
    """
    from smithy.github.feedstock import read_feedstock
    from smithy.github.maintainers import check_maintainers as check

    info = read_feedstock(recipe, environ)
    return info, check(client, info.maintainers)
