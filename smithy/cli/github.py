"""``smithy register-github`` and ``smithy maintainers check``: GitHub from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.api import (
    DEFAULT_API_URL,
    ExitCode,
    GitHubClient,
    RetryPolicy,
    Secret,
    SmithyError,
    StepResult,
    Wait,
    mask_token_like,
    resolve_token,
)
from smithy.cli.options import FormatOpt, TextOrJson
from smithy.report.command_data import maintainers_data

# Tests swap this for a policy with an instant ``sleep``.
RETRY_POLICY = RetryPolicy()

maintainers_app = typer.Typer(
    name="maintainers",
    help="Check a recipe's maintainers on GitHub.",
    no_args_is_help=True,
    add_completion=False,
)

FeedstockArg = Annotated[Path, typer.Argument(help="The feedstock folder (a git repository).")]
OrgOpt = Annotated[
    str | None,
    typer.Option("--organization", "-o", help="Owner organisation (default: conda-forge)."),
]
UserOpt = Annotated[bool, typer.Option("--user", help="Register under the token's own account.")]
TeamsOpt = Annotated[
    bool, typer.Option("--add-teams", help="Create or sync the maintainers team (orgs only).")
]
RemoteOpt = Annotated[str, typer.Option("--remote-name", help="git remote to add; '' for none.")]
PrivateOpt = Annotated[bool, typer.Option("--private", help="Create a private repository.")]
AdminsOpt = Annotated[
    list[str] | None,
    typer.Option("--extra-admin-users", help="Make this user an admin; repeat for several."),
]
PushOpt = Annotated[bool, typer.Option("--push", help="Push HEAD to the default branch.")]
UrlOpt = Annotated[
    str,
    typer.Option(
        "--github-url",
        help="REST API base URL; for GitHub Enterprise https://HOST/api/v3 (or just https://HOST).",
    ),
]
TokenFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--token-file",
        help="File holding the token (mode 600). Default: $GITHUB_TOKEN, then $GH_TOKEN, "
        "then ~/.conda-smithy/github.token.",
    ),
]
RecipeArg = Annotated[Path, typer.Argument(help="Recipe file, recipe folder or feedstock root.")]


def _show_wait(wait: Wait) -> None:
    typer.echo(
        f"github {wait.reason}: waiting {wait.seconds:.0f}s before attempt "
        f"{wait.attempt + 1} of {wait.attempts} ({wait.action})",
        err=True,
    )


def _masked(text: str, secret: Secret | None) -> str:
    """``text`` from a server reply, with the token and anything token-shaped masked."""
    return mask_token_like(secret.scrub(text) if secret is not None else text)


def show_result(result: StepResult, secret: Secret | None = None) -> None:
    """Print one step's outcome as a line (change, step, subject, note), tokens masked."""
    note = f" ({result.note})" if result.note else ""
    line = f"{result.change.value:<9} {result.step} {result.subject}{note}"
    typer.echo(_masked(line, secret))


def scrub_chain(exc: BaseException, secret: Secret | None) -> None:
    """Remove the token from an unexpected exception and its causes before anything shows it."""
    if secret is None:
        return
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = tuple(
            secret.scrub(arg) if isinstance(arg, str) else arg for arg in current.args
        )
        current = current.__cause__ or current.__context__


def client_for(url: str, token: Secret | None) -> GitHubClient:
    """A GitHub client that reports its retry waits on stderr."""
    return GitHubClient(token, base_url=url, retry=RETRY_POLICY, on_wait=_show_wait)


def register_github_command(  # noqa: PLR0913, PLR0917  (typer: one parameter per option)
    feedstock_dir: FeedstockArg = Path("."),
    organization: OrgOpt = None,
    user: UserOpt = False,
    add_teams: TeamsOpt = False,
    remote_name: RemoteOpt = "upstream",
    private: PrivateOpt = False,
    extra_admin_users: AdminsOpt = None,
    push: PushOpt = False,
    github_url: UrlOpt = DEFAULT_API_URL,
    token_file: TokenFileOpt = None,
) -> int:
    """Create <name>-feedstock on GitHub, protect it, add the remote; optionally push and add teams.

    Safe to repeat: each step checks GitHub first and changes only what differs.
    """
    if user and organization:
        raise typer.BadParameter("use either --user or --organization, not both")
    environ = dict(os.environ)
    secret = resolve_token(environ, token_file, home=Path.home())
    try:
        client = client_for(github_url, secret)
        result = api.register_github(
            feedstock_dir,
            client,
            environ,
            organization=None if user else (organization or "conda-forge"),
            private=private,
            add_teams=add_teams,
            remote_name=remote_name.strip(),
            extra_admin_users=tuple(extra_admin_users or ()),
            push=push,
            on_result=lambda step: show_result(step, secret),
        )
    except SmithyError:
        raise
    except Exception as exc:
        scrub_chain(exc, secret)
        raise
    if result.changed:
        typer.echo(_masked(f"registered {result.full_name} on {client.host}", secret))
    else:
        typer.echo(_masked(f"{result.full_name} is already registered: nothing changed", secret))
    return ExitCode.OK


@maintainers_app.command("check")
def maintainers_check_command(
    recipe: RecipeArg = Path("."),
    github_url: UrlOpt = DEFAULT_API_URL,
    token_file: TokenFileOpt = None,
    output: FormatOpt = TextOrJson.text,
) -> int:
    """Check that every extra.recipe-maintainers entry is a GitHub user or an org/team.

    Works without a token for users (GitHub's anonymous rate limit is low); teams need one.
    Exit code 1 when an entry is missing, not a user, or could not be checked.
    """
    environ = dict(os.environ)
    secret = resolve_token(environ, token_file, required=False, home=Path.home())
    try:
        info, checks = api.check_maintainers(recipe, client_for(github_url, secret), environ)
    except SmithyError:
        raise
    except Exception as exc:
        scrub_chain(exc, secret)
        raise
    if output is TextOrJson.json:
        typer.echo(json.dumps(maintainers_data(info.recipe_path, checks), indent=2))
    elif not checks:
        typer.echo(f"{info.recipe_path}: error: extra.recipe-maintainers lists nobody")
        return ExitCode.FINDINGS
    else:
        for check in checks:
            if check.ok:
                typer.echo(f"ok: {check.name}")
            else:
                typer.echo(f"{info.recipe_path}: {check.status.value}: {check.message}")
    ok = bool(checks) and all(check.ok for check in checks)
    return ExitCode.OK if ok else ExitCode.FINDINGS
