"""``smithy register-ci``: switch on a feedstock's CI and store its tokens as secrets."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from smithy import api
from smithy.api import (
    DEFAULT_API_URL,
    DEFAULT_AZURE_URL,
    CiCall,
    CiRegistration,
    ExitCode,
    SmithyError,
    StepResult,
    resolve_token,
)
from smithy.cli.github import (
    OrgOpt,
    TokenFileOpt,
    UrlOpt,
    UserOpt,
    client_for,
    scrub_chain,
    show_result,
)
from smithy.cli.options import FormatOpt, TextOrJson
from smithy.report.command_data import registration_data

T = TypeVar("T")

FeedstockArg = Annotated[Path, typer.Argument(help="The feedstock folder.")]
FeedstockDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--feedstock_directory",
        "--feedstock-directory",
        help="The feedstock folder, as conda-smithy spells it (instead of the argument).",
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Look only: say what would change, change nothing.")
]
WithoutUploadOpt = Annotated[
    bool,
    typer.Option(
        "--without-anaconda-token",
        help="Do not store BINSTAR_TOKEN (the channel upload token).",
    ),
]

WithAzureOpt = Annotated[
    bool,
    typer.Option(
        "--with-azure/--without-azure",
        help="Also register the Azure Pipelines pipeline (token from $AZURE_TOKEN, "
        "$AZURE_DEVOPS_EXT_PAT or ~/.conda-smithy/azure.token).",
    ),
]
AzureOrgOpt = Annotated[
    str | None,
    typer.Option("--azure-org", help="Azure DevOps organisation [default: the GitHub owner]."),
]
AzureProjectOpt = Annotated[
    str,
    typer.Option("--azure-project", "--project_name", help="Azure DevOps project."),
]
AzureConnectionOpt = Annotated[
    str | None,
    typer.Option(
        "--azure-service-connection",
        help="The project's GitHub service connection [default: the GitHub owner].",
    ),
]
AzureUrlOpt = Annotated[
    str, typer.Option("--azure-url", help="Azure DevOps service root (Azure DevOps Server).")
]
DEFAULT_PROJECT = "feedstock-builds"


def _azure(
    feedstock: Path,
    full_name: str,
    org: str | None,
    project: str,
    connection: str | None,
    azure_url: str,
    *,
    create: bool,
    dry_run: bool,
) -> tuple[StepResult, ...]:
    owner = full_name.partition("/")[0]
    return api.register_azure(
        feedstock,
        full_name=full_name,
        org=org or owner,
        project=project,
        service_connection=connection or owner,
        environ=dict(os.environ),
        home=Path.home(),
        azure_url=azure_url,
        create=create,
        dry_run=dry_run,
    )


def register_ci_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    feedstock: FeedstockArg = Path("."),
    feedstock_directory: FeedstockDirOpt = None,
    organization: OrgOpt = None,
    user: UserOpt = False,
    without_anaconda_token: WithoutUploadOpt = False,
    dry_run: DryRunOpt = False,
    github_url: UrlOpt = DEFAULT_API_URL,
    token_file: TokenFileOpt = None,
    output: FormatOpt = TextOrJson.text,
    with_azure: WithAzureOpt = False,
    azure_org: AzureOrgOpt = None,
    azure_project: AzureProjectOpt = DEFAULT_PROJECT,
    azure_service_connection: AzureConnectionOpt = None,
    azure_url: AzureUrlOpt = DEFAULT_AZURE_URL,
) -> int:
    """Enable GitHub Actions on the feedstock's repository and store its tokens as secrets.

    BINSTAR_TOKEN ($BINSTAR_TOKEN or ~/.conda-smithy/anaconda.token), FEEDSTOCK_TOKEN
    (~/.conda-smithy/<owner>_<repo>.token) and STAGING_BINSTAR_TOKEN ($STAGING_BINSTAR_TOKEN)
    are encrypted with the repository's public key. Existing secrets are kept: a second run
    changes nothing (update-anaconda-token replaces the upload token). With --with-azure,
    the Azure pipeline is found or created too and azure.build_id written to conda-forge.yml.
    """
    folder = feedstock_directory or feedstock

    def run(call: CiCall) -> CiRegistration:
        result = api.register_ci(folder, call, with_upload_token=not without_anaconda_token)
        if not with_azure:
            return result
        found = _azure(
            folder,
            result.full_name,
            azure_org,
            azure_project,
            azure_service_connection,
            azure_url,
            create=True,
            dry_run=dry_run,
        )
        return replace(result, results=(*result.results, *found))

    github = GitHubOptions(github_url, token_file, organization, user, dry_run, output)
    return github.run("CI registration", run)


@dataclass(frozen=True, slots=True)
class GitHubOptions:
    """The options every GitHub CI command takes, and how such a command runs."""

    url: str
    token_file: Path | None
    organization: str | None
    user: bool
    dry_run: bool
    output: TextOrJson

    def run(self, what: str, call: Callable[[CiCall], CiRegistration]) -> int:
        """Run ``call`` for the chosen owner and report its steps."""
        owner = owner_choice(self.organization, user=self.user)
        result = with_github(self.url, self.token_file, owner, self.dry_run, call)
        return report(result, self.output, what)


def owner_choice(organization: str | None, *, user: bool) -> str | None:
    """The GitHub owner asked for: an organisation (conda-forge by default), None for --user."""
    if user and organization:
        raise typer.BadParameter("use either --user or --organization, not both")
    return None if user else (organization or "conda-forge")


def with_github(
    url: str, token_file: Path | None, owner: str | None, dry_run: bool, run: Callable[[CiCall], T]
) -> T:
    """Run ``run`` with a GitHub client; an unexpected error never carries the token."""
    environ = dict(os.environ)
    secret = resolve_token(environ, token_file, home=Path.home())
    try:
        return run(CiCall(client_for(url, secret), owner, environ, Path.home(), dry_run))
    except SmithyError:
        raise
    except Exception as exc:
        scrub_chain(exc, secret)
        raise


def report(result: CiRegistration, output: TextOrJson, what: str) -> int:
    """Print each step (or the JSON) and a summary line; secrets never appear in either."""
    if output is TextOrJson.json:
        typer.echo(json.dumps(registration_data(result), indent=2))
        return ExitCode.OK
    for step in result.results:
        show_result(step)
    verb = "would change" if result.dry_run else "changed"
    state = verb if result.changed else "nothing to change"
    typer.echo(f"{result.full_name}: {what}, {state}", err=True)
    return ExitCode.OK


def azure_buildid_command(
    feedstock: FeedstockArg = Path("."),
    feedstock_directory: FeedstockDirOpt = None,
    organization: Annotated[
        str, typer.Option("--organization", "-o", help="The GitHub owner of the feedstock.")
    ] = "conda-forge",
    azure_org: AzureOrgOpt = None,
    azure_project: AzureProjectOpt = DEFAULT_PROJECT,
    azure_url: AzureUrlOpt = DEFAULT_AZURE_URL,
    dry_run: DryRunOpt = False,
) -> int:
    """Look up the feedstock's Azure pipeline and write azure.build_id into conda-forge.yml.

    Also writes azure.project_id, project_name and user_or_org; comments are kept.
    """
    folder = feedstock_directory or feedstock
    full_name = f"{organization}/{api.feedstock_repo_name(folder, dict(os.environ))}"
    found = _azure(
        folder, full_name, azure_org, azure_project, None, azure_url, create=False, dry_run=dry_run
    )
    for step in found:
        show_result(step)
    return ExitCode.OK
