"""``smithy register-ci``: switch on a feedstock's CI and store its tokens as secrets."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
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
from smithy.errors import ExitCode, SmithyError
from smithy.github.client import DEFAULT_API_URL
from smithy.github.token import resolve_token
from smithy.report.command_data import registration_data

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
) -> int:
    """Enable GitHub Actions on the feedstock's repository and store its tokens as secrets.

    BINSTAR_TOKEN ($BINSTAR_TOKEN or ~/.conda-smithy/anaconda.token), FEEDSTOCK_TOKEN
    (~/.conda-smithy/<owner>_<repo>.token) and STAGING_BINSTAR_TOKEN ($STAGING_BINSTAR_TOKEN)
    are encrypted with the repository's public key. Existing secrets are kept: a second run
    changes nothing (update-anaconda-token replaces the upload token).
    """
    if user and organization:
        raise typer.BadParameter("use either --user or --organization, not both")
    environ = dict(os.environ)
    secret = resolve_token(environ, token_file, home=Path.home())
    try:
        result = api.register_ci(
            feedstock_directory or feedstock,
            client_for(github_url, secret),
            organization=None if user else (organization or "conda-forge"),
            environ=environ,
            home=Path.home(),
            with_upload_token=not without_anaconda_token,
            dry_run=dry_run,
        )
    except SmithyError:
        raise
    except Exception as exc:
        scrub_chain(exc, secret)
        raise
    if output is TextOrJson.json:
        typer.echo(json.dumps(registration_data(result), indent=2))
        return ExitCode.OK
    for step in result.results:
        show_result(step)
    verb = "would change" if dry_run else "changed"
    state = verb if result.changed else "nothing to change"
    typer.echo(f"{result.full_name}: GitHub Actions registration, {state}", err=True)
    return ExitCode.OK
