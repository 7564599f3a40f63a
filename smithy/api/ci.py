"""Git and CI: rerender commits, CI registration and tokens.

Each function imports what it needs when called: only the command being run pays for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smithy.github.ci_register import CiCall, CiRegistration
    from smithy.github.model import StepResult
    from smithy.github.rerender_commit import RerenderCommit
    from smithy.rerender.outcome import RerenderReport


def check_git_feedstock(feedstock_dir: Path, environ: Mapping[str, str]) -> None:
    """Refuse, before anything is written, a feedstock that cannot take a commit.

    Raises:
        SmithyError: not the top of a git work tree, or no commit yet.
    """
    from smithy.github.git import FeedstockGit

    FeedstockGit(feedstock_dir, environ).check_repository()


def commit_rerender(
    report: RerenderReport, environ: Mapping[str, str], *, edit: bool = False
) -> RerenderCommit:
    """Stage and commit the files a ``write`` rerender produced or removed (conda-smithy's -c).

    Args:
        report: a rerender applied in ``write`` mode.
        environ: the environment git runs with (identity, editor).
        edit: open the editor on the message first, as ``git commit -e`` does.

    Raises:
        SmithyError: git fails, or the editor left an empty message.
    """
    from smithy import __version__
    from smithy.github.rerender_commit import commit_generated, commit_message

    message = commit_message(__version__, report.pinning.origin, report.pinning.version)
    # Identical files are staged too: a rerender never committed leaves them untracked.
    paths = [change.path for change in report.changes]
    return commit_generated(report.feedstock, paths, message, environ, edit=edit)


def register_ci(
    feedstock_dir: Path, call: CiCall, *, with_upload_token: bool = True
) -> CiRegistration:
    """Enable GitHub Actions on the feedstock's repository; store its tokens as encrypted secrets.

    ``BINSTAR_TOKEN`` (``$BINSTAR_TOKEN`` or ``~/.conda-smithy/anaconda.token``),
    ``FEEDSTOCK_TOKEN`` (``~/.conda-smithy/<owner>_<repo>.token``) and
    ``STAGING_BINSTAR_TOKEN`` (``$STAGING_BINSTAR_TOKEN``); existing secrets are kept, so a
    second run changes nothing.

    Raises:
        SmithyError: no upload token, an unusable token file, a missing repository, a refusal.
    """
    from smithy.github.ci_register import register_ci as register

    return register(feedstock_dir, call, with_upload_token=with_upload_token)


def register_azure(  # noqa: PLR0913 - one keyword per command-line choice
    feedstock_dir: Path,
    *,
    full_name: str,
    org: str,
    project: str,
    service_connection: str,
    environ: Mapping[str, str],
    home: Path,
    azure_url: str,
    create: bool = True,
    dry_run: bool = False,
) -> tuple[StepResult, ...]:
    """Find or create the feedstock's Azure pipeline and record ``azure.build_id``.

    The personal access token comes from ``$AZURE_TOKEN``, ``$AZURE_DEVOPS_EXT_PAT`` or
    ``~/.conda-smithy/azure.token``. With ``create`` False (``azure-buildid``) the pipeline
    must exist already.

    Raises:
        SmithyError: no token, a missing project, service connection or pipeline, a refusal.
    """
    from smithy.ci.azure import AzureRequest, write_build_id
    from smithy.ci.azure import register_azure as register
    from smithy.ci.azure_client import AzureClient, azure_token

    client = AzureClient(org, azure_token(environ, home), base_url=azure_url)
    request = AzureRequest(project, full_name, service_connection, create=create, dry_run=dry_run)
    found = register(client, request)
    recorded = write_build_id(feedstock_dir, org, project, found, dry_run=dry_run)
    return (*found.results, recorded)


def feedstock_repo_name(feedstock_dir: Path, environ: Mapping[str, str]) -> str:
    """The feedstock's repository name, ``<name>-feedstock``, read from its recipe.

    Raises:
        SmithyError: the recipe cannot be read or rendered.
    """
    from smithy.github.feedstock import read_feedstock

    return read_feedstock(feedstock_dir, environ).repo_name


def generate_feedstock_token(
    feedstock_dir: Path, *, owner: str, environ: Mapping[str, str], home: Path
) -> Path:
    """Make ``~/.conda-smithy/<owner>_<name>-feedstock.token`` (mode 600); return its path.

    Raises:
        SmithyError: the token file exists already, or the recipe cannot be read.
    """
    from smithy.github.ci_register import generate_feedstock_token as generate

    return generate(feedstock_dir, owner=owner, environ=environ, home=home)


def register_feedstock_token(
    feedstock_dir: Path, call: CiCall, *, token_repo: str | None = None
) -> CiRegistration:
    """Store the feedstock token's salted hash in the token repository and as FEEDSTOCK_TOKEN.

    Raises:
        SmithyError: no token file, a missing repository, a refusal.
    """
    from smithy.github.ci_register import register_feedstock_token as register

    return register(feedstock_dir, call, token_repo=token_repo)


def update_upload_token(
    feedstock_dir: Path, call: CiCall, *, secret_name: str = "BINSTAR_TOKEN"
) -> CiRegistration:
    """Replace the feedstock's upload token secret with the current upload token.

    Raises:
        SmithyError: no upload token, a missing repository, a refusal.
    """
    from smithy.github.ci_register import update_upload_token as update

    return update(feedstock_dir, call, secret_name=secret_name)


def ci_skeleton(
    project_dir: Path, *, package: str, recipe_dir: str = "recipe", dry_run: bool = False
) -> tuple[StepResult, ...]:
    """Add conda-forge-style CI files to a project: conda-forge.yml, a recipe, .gitignore.

    Existing conda-forge.yml and recipe files are kept; rerender afterwards.

    Raises:
        SmithyError: not a folder, a bad package name or recipe folder.
    """
    from smithy.ci.skeleton import Skeleton, write_skeleton

    return tuple(write_skeleton(project_dir, Skeleton(package, recipe_dir), dry_run=dry_run))
