"""Feedstock and upload token commands; none of them prints a token, even with ``--debug``.

``generate-feedstock-token``, ``register-feedstock-token`` and ``update-anaconda-token``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smithy import api
from smithy.api import DEFAULT_API_URL, ExitCode
from smithy.cli.ci import (
    DryRunOpt,
    FeedstockArg,
    FeedstockDirOpt,
    GitHubOptions,
)
from smithy.cli.github import OrgOpt, TokenFileOpt, UrlOpt, UserOpt
from smithy.cli.options import FormatOpt, TextOrJson

if TYPE_CHECKING:
    from smithy.api import CiCall, CiRegistration


def generate_feedstock_token_command(
    feedstock: FeedstockArg = Path("."),
    feedstock_directory: FeedstockDirOpt = None,
    organization: Annotated[
        str, typer.Option("--organization", "-o", help="The feedstock's GitHub owner.")
    ] = "conda-forge",
    user: Annotated[
        str | None, typer.Option("--user", help="A user account owning the feedstock instead.")
    ] = None,
) -> int:
    """Make a random feedstock token in ~/.conda-smithy/<owner>_<name>-feedstock.token.

    The file is readable by you only (mode 600), where conda-smithy keeps it; an existing
    token is never overwritten. Then run register-feedstock-token.
    """
    path = api.generate_feedstock_token(
        feedstock_directory or feedstock,
        owner=user or organization,
        environ=dict(os.environ),
        home=Path.home(),
    )
    typer.echo(f"wrote a new feedstock token to {path} (mode 600)")
    return ExitCode.OK


def register_feedstock_token_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    feedstock: FeedstockArg = Path("."),
    feedstock_directory: FeedstockDirOpt = None,
    organization: OrgOpt = None,
    user: UserOpt = False,
    token_repo: Annotated[
        str | None,
        typer.Option(
            "--token-repo",
            "--token_repo",
            help="owner/name of the token repository [default: <owner>/feedstock-tokens].",
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    github_url: UrlOpt = DEFAULT_API_URL,
    token_file: TokenFileOpt = None,
    output: FormatOpt = TextOrJson.text,
) -> int:
    """Register the feedstock token's hash, and the token as the FEEDSTOCK_TOKEN secret.

    The salted scrypt hash goes to tokens/<name>.json in the token repository; the token is
    stored encrypted in the feedstock's secrets. Safe to repeat.
    """
    folder = feedstock_directory or feedstock

    def run(call: CiCall) -> CiRegistration:
        return api.register_feedstock_token(folder, call, token_repo=token_repo)

    github = GitHubOptions(github_url, token_file, organization, user, dry_run, output)
    return github.run("feedstock token", run)


def update_anaconda_token_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    feedstock: FeedstockArg = Path("."),
    feedstock_directory: FeedstockDirOpt = None,
    organization: OrgOpt = None,
    user: UserOpt = False,
    token_name: Annotated[
        str, typer.Option("--token-name", "--token_name", help="The secret to replace.")
    ] = "BINSTAR_TOKEN",
    dry_run: DryRunOpt = False,
    github_url: UrlOpt = DEFAULT_API_URL,
    token_file: TokenFileOpt = None,
    output: FormatOpt = TextOrJson.text,
) -> int:
    """Replace the feedstock's upload token secret (BINSTAR_TOKEN) with the current token.

    The token comes from $BINSTAR_TOKEN or ~/.conda-smithy/anaconda.token; it is stored
    encrypted and never printed.
    """
    folder = feedstock_directory or feedstock

    def run(call: CiCall) -> CiRegistration:
        return api.update_upload_token(folder, call, secret_name=token_name)

    github = GitHubOptions(github_url, token_file, organization, user, dry_run, output)
    return github.run("upload token", run)
