"""``smithy bump`` and ``smithy bump-all``: version updates from upstream, one or many."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import typer

from smithy import api
from smithy.cli.blocks import with_block
from smithy.report.bump_report import bump_data, bump_text, check_text, fleet_text

FormatOpt = Annotated[
    Literal["text", "json"], typer.Option("--format", help="Output format: text or json.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
PreOpt = Annotated[bool, typer.Option("--pre", help="Consider pre-releases too.")]
PinningOpt = Annotated[
    str | None, typer.Option("--pinning", help="Pinning used to render the recipe's sources.")
]
TokenOpt = Annotated[
    str | None,
    typer.Option(
        "--github-token",
        help="GitHub token for the API's rate limit (default $GITHUB_TOKEN/$GH_TOKEN).",
        show_default=False,
    ),
]
MaxMbOpt = Annotated[
    int | None,
    typer.Option(
        "--max-download-mb", min=1, help="Refuse sources larger than this (default 1024)."
    ),
]
TimeoutOpt = Annotated[
    float | None, typer.Option("--timeout", min=1.0, help="Seconds per connection/read (30).")
]


def _url_option(kind: str) -> object:
    return typer.Option(
        f"--{kind}-url", help=f"{kind} service address (default ${'SMITHY_' + kind.upper()}_URL)."
    )


PypiOpt = Annotated[str | None, _url_option("pypi")]
GithubOpt = Annotated[str | None, _url_option("github")]
CratesOpt = Annotated[str | None, _url_option("crates")]
CranOpt = Annotated[str | None, _url_option("cran")]
NpmOpt = Annotated[str | None, _url_option("npm")]


@dataclass(frozen=True, slots=True)
class Services:
    """The output choice and where versions are looked up, as both commands take them."""

    json_out: bool
    urls: dict[str, str | None]
    github_token: str | None

    def options(
        self,
        pre: bool,
        pinning: str | None,
        max_mb: int | None = None,
        timeout: float | None = None,
    ) -> api.LookupOptions:
        """The lookup options, with the environment's defaults for what was not given."""
        return api.bump_options(
            include_pre=pre,
            urls=self.urls,
            github_token=self.github_token,
            max_bytes=None if max_mb is None else max_mb * 1024 * 1024,
            timeout=timeout,
            pinning=pinning,
            environ=dict(os.environ),
        )


@dataclass(frozen=True, slots=True)
class LookupServices:
    """Where upstream versions are looked up: service addresses given, and the GitHub token."""

    urls: dict[str, str | None]
    github_token: str | None


def lookup_services(
    pypi_url: PypiOpt = None,
    github_url: GithubOpt = None,
    crates_url: CratesOpt = None,
    cran_url: CranOpt = None,
    npm_url: NpmOpt = None,
    github_token: TokenOpt = None,
) -> LookupServices:
    """The options block every version-lookup command takes (bump, bump-all, fleet bump)."""
    urls = {"pypi": pypi_url, "github": github_url, "crates": crates_url}
    urls |= {"cran": cran_url, "npm": npm_url}
    return LookupServices(urls, github_token)


@with_block(lookup_services, "lookup")
def _services(
    output: FormatOpt = "text", as_json: JsonOpt = False, *, lookup: LookupServices
) -> Services:
    return Services(as_json or output == "json", lookup.urls, lookup.github_token)


@with_block(_services, "services")
def bump_command(  # noqa: PLR0913 (typer: one parameter per option)
    feedstock: Annotated[Path, typer.Argument(help="Feedstock root.")] = Path("."),
    version: Annotated[
        str | None, typer.Option("--version", help="Bump to this version, not upstream's newest.")
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check-only", help="Write nothing; exit 1 if a newer version exists.")
    ] = False,
    pre: PreOpt = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Download and show the recipe diff; write nothing.")
    ] = False,
    no_rerender: Annotated[
        bool, typer.Option("--no-rerender", help="Do not rerender after bumping.")
    ] = False,
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit on a new branch named as the bot names it.")
    ] = False,
    *,
    services: Services,
    max_download_mb: MaxMbOpt = None,
    timeout: TimeoutOpt = None,
    pinning: PinningOpt = None,
) -> None:
    """Update the recipe to upstream's newest version with fresh sha256s, then rerender.

    Exit 0 when bumped or nothing is newer, 1 with --check-only when a newer version exists,
    3 when refused (download failed, URL does not resolve, checksum mismatch).
    """
    if commit and (dry_run or check_only):
        raise typer.BadParameter("--commit cannot go with --dry-run or --check-only")
    options = services.options(pre, pinning, max_download_mb, timeout)
    json_out = services.json_out
    if check_only:
        check = api.check_version(feedstock, options)
        typer.echo(json.dumps(check.to_json(), indent=2) if json_out else check_text(check))
        raise typer.Exit(1 if check.outdated else 0)
    report = api.bump(feedstock, options, version=version, dry_run=dry_run)
    rerendered = report.written and not no_rerender
    if rerendered:
        api.rerender(feedstock, pinning=pinning, environ=dict(os.environ), mode="write")
    branch = (
        api.commit_bump(feedstock, report, dict(os.environ)) if commit and report.written else None
    )
    if json_out:
        typer.echo(json.dumps(bump_data(report, rerendered=rerendered, branch=branch), indent=2))
        return
    if dry_run and report.target is not None:
        typer.echo(api.recipe_diff(report), nl=False)
    typer.echo(bump_text(report))
    if rerendered:
        typer.echo(f"rerendered {feedstock}")
    if branch:
        typer.echo(f"committed on branch {branch}")


@with_block(_services, "services")
def bump_all_command(
    folders: Annotated[
        list[Path], typer.Argument(help="Feedstocks, or folders holding feedstocks.")
    ],
    pre: PreOpt = False,
    *,
    services: Services,
    pinning: PinningOpt = None,
) -> None:
    """Check many feedstocks for newer upstream versions (writes nothing); exit 1 if any."""
    results = api.check_versions(api.feedstock_folders(folders), services.options(pre, pinning))
    if services.json_out:
        typer.echo(json.dumps(results, indent=2))
    else:
        typer.echo(fleet_text(results), nl=False)
    raise typer.Exit(1 if any(row.get("outdated") for row in results) else 0)
