"""``smithy rerender`` and ``smithy variants``: regenerate a feedstock, show its build matrix."""

from __future__ import annotations

import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.cli.options import (
    FormatOpt,
    JsonOpt,
    RenderJobsOpt,
    TextOrJson,
    render_helpers,
    wants_json,
)
from smithy.report.rerender_report import (
    changes_text,
    config_warnings_text,
    diff_text,
    explain_text,
    matrix_text,
    pinning_text,
    rerender_data,
    rerender_summary,
    variants_data,
)

FeedstockArg = Annotated[Path, typer.Argument(help="Feedstock root (holds recipe/).")]
PinningOpt = Annotated[
    str | None,
    typer.Option(
        "--pinning",
        help="Pinning file or folder, or 'conda-forge' to download the newest. "
        "Default: $SMITHY_PINNING, the conda prefix's conda-forge-pinning, the embedded default.",
    ),
]
CheckOpt = Annotated[
    bool, typer.Option("--check", help="Write nothing; print a diff and exit 1 if out of date.")
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Write nothing; list what would change per file.")
]
WaitOpt = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        min=0,
        help="Wait up to SECONDS for another smithy run on this feedstock (default: exit 3).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")]


class CommitMode(StrEnum):
    """``--commit`` values, as conda-smithy names them."""

    edit = "edit"
    auto = "auto"


# conda-smithy's own spellings, so scripts and bots that call 'conda smithy rerender' work as is.
FeedstockDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--feedstock_directory",
        "--feedstock-directory",
        help="Feedstock root, as conda-smithy spells it (instead of the FEEDSTOCK argument).",
    ),
]
FeedstockConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--feedstock_config",
        "--feedstock-config",
        help="The feedstock's conda-forge.yml; smithy reads only FEEDSTOCK/conda-forge.yml, "
        "so any other file is refused.",
    ),
]
CommitOpt = Annotated[
    CommitMode | None,
    typer.Option(
        "--commit",
        "-c",
        help="Stage and commit the result in git: 'auto' commits with smithy's message, "
        "'edit' (also a bare -c) opens the editor on it first.",
    ),
]
ExclusiveConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--exclusive-config-file",
        "-e",
        help="Pinning file to use alone (same as --pinning FILE); a relative path is looked up "
        "in the current folder, then in the feedstock as conda-smithy does.",
    ),
]
NoCheckUptodateOpt = Annotated[
    bool,
    typer.Option(
        "--no-check-uptodate",
        help="Accepted for conda-smithy compatibility; smithy never checks for a newer smithy.",
    ),
]
TemporaryDirectoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--temporary-directory",
        help="Accepted for conda-smithy compatibility and ignored: smithy stages new files next "
        "to their targets (an atomic rename needs the same file system).",
    ),
]


def expand_bare_commit(args: list[str]) -> list[str]:
    """Spell out a bare ``-c``/``--commit`` as ``--commit edit``, as conda-smithy reads it.

    click options take a value or none, never an optional one, so the command line is
    completed before parsing; only the rerender commands' arguments are passed here.
    """
    out: list[str] = []
    for index, arg in enumerate(args):
        out.append(arg)
        if arg == "--":
            return out + args[index + 1 :]
        following = args[index + 1] if index + 1 < len(args) else None
        if arg in ("-c", "--commit") and following not in [mode.value for mode in CommitMode]:
            out.append(CommitMode.edit.value)
    return out


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r\033[K{message}", end="", file=sys.stderr, flush=True)


def _end_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def _feedstock(positional: Path, option: Path | None) -> Path:
    if option is None:
        return positional
    if positional != Path(".") and positional.resolve() != option.resolve():
        raise typer.BadParameter(
            "give the feedstock either as an argument or with --feedstock_directory, not both",
            param_hint="--feedstock_directory",
        )
    return option


def _pinning(pinning: str | None, exclusive: Path | None, feedstock: Path) -> str | None:
    if exclusive is None:
        return pinning
    if pinning is not None:
        raise typer.BadParameter(
            "use either --pinning or --exclusive-config-file", param_hint="--exclusive-config-file"
        )
    if not exclusive.is_absolute() and not exclusive.exists() and (feedstock / exclusive).exists():
        return str(feedstock / exclusive)
    return str(exclusive)


def _check_config(feedstock: Path, config: Path | None) -> None:
    if config is not None and config.resolve() != (feedstock / "conda-forge.yml").resolve():
        raise typer.BadParameter(
            f"smithy reads the feedstock's own conda-forge.yml ({feedstock / 'conda-forge.yml'}); "
            "another configuration file is not supported",
            param_hint="--feedstock_config",
        )


def _mode(check: bool, dry_run: bool, commit: CommitMode | None) -> api.RerenderMode:
    if check and dry_run:
        raise typer.BadParameter("use either --check or --dry-run", param_hint="--check")
    if commit is not None and (check or dry_run):
        raise typer.BadParameter(
            "--commit writes and commits; it cannot go with --check or --dry-run",
            param_hint="--commit",
        )
    return "check" if check else "dry-run" if dry_run else "write"


def _commit(report: api.RerenderReport, commit: CommitMode) -> None:
    done = api.commit_rerender(report, dict(os.environ), edit=commit is CommitMode.edit)
    if done.committed:
        typer.echo(f"committed: {done.message}", err=True)
    else:
        typer.echo("nothing to commit: the feedstock was already up to date in git", err=True)


def rerender_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    feedstock: FeedstockArg = Path("."),
    pinning: PinningOpt = None,
    check: CheckOpt = False,
    dry_run: DryRunOpt = False,
    output: FormatOpt = TextOrJson.text,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    wait: WaitOpt = 0.0,
    commit: CommitOpt = None,
    feedstock_directory: FeedstockDirOpt = None,
    feedstock_config: FeedstockConfigOpt = None,
    exclusive_config_file: ExclusiveConfigOpt = None,
    no_check_uptodate: NoCheckUptodateOpt = False,
    temporary_directory: TemporaryDirectoryOpt = None,
    jobs: RenderJobsOpt = None,
) -> None:
    """Regenerate .ci_support, CI workflows, scripts and README from the recipe and pinning.

    Also runs as 'smithy regenerate', with conda-smithy's options.
    """
    as_json = wants_json(output, as_json)
    if not wait >= 0:  # min=0 lets nan through, and a nan deadline is never reached
        raise typer.BadParameter("must be 0 or more seconds", param_hint="--wait")
    mode = _mode(check, dry_run, commit)
    feedstock = _feedstock(feedstock, feedstock_directory)
    _check_config(feedstock, feedstock_config)
    pinning = _pinning(pinning, exclusive_config_file, feedstock)
    if commit is not None:
        api.check_git_feedstock(feedstock, dict(os.environ))  # refuse before writing anything
    started = time.perf_counter()
    report = api.rerender(
        feedstock,
        pinning=pinning,
        environ=dict(os.environ),
        mode=mode,
        progress=_progress,
        wait=wait,
        helpers=render_helpers(jobs),
    )
    _end_progress()
    typer.echo(config_warnings_text(report.matrix.config), nl=False, err=True)
    for warning in report.warnings:
        typer.echo(str(warning), err=True)
    removal = "removed" if mode == "write" else "would remove"
    for note in report.removal_notes:
        typer.echo(f"{note.path}: {removal}: {note.reason}", err=True)
    elapsed = time.perf_counter() - started
    _show(report, feedstock, elapsed, as_json=as_json, quiet=quiet)
    if commit is not None:
        _commit(report, commit)
    if check and report.out_of_date:
        raise typer.Exit(1)


def _show(
    report: api.RerenderReport, feedstock: Path, elapsed: float, *, as_json: bool, quiet: bool
) -> None:
    if as_json:
        typer.echo(json.dumps(rerender_data(report), indent=2))
        return
    if report.mode == "check":
        typer.echo(diff_text(report.changes), nl=False)
    elif not quiet:
        planned = report.mode == "dry-run"
        typer.echo(changes_text(report.changes, show_identical=planned, planned=planned), nl=False)
    typer.echo(rerender_summary(report, feedstock, elapsed), err=True)


def variants_command(
    feedstock: FeedstockArg = Path("."),
    pinning: PinningOpt = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show where each job-splitting value came from.")
    ] = False,
    output: FormatOpt = TextOrJson.text,
    as_json: JsonOpt = False,
    jobs: RenderJobsOpt = None,
) -> None:
    """Show the build matrix: one row per CI job and the keys that split jobs."""
    as_json = wants_json(output, as_json)
    source, matrix = api.variants(
        feedstock, pinning=pinning, environ=dict(os.environ), helpers=render_helpers(jobs)
    )
    typer.echo(config_warnings_text(matrix.config), nl=False, err=True)
    if as_json:
        typer.echo(json.dumps(variants_data(source, matrix), indent=2))
        return
    typer.echo(explain_text(matrix) if explain else matrix_text(matrix), nl=False)
    typer.echo(f"pinning {pinning_text(source)}", err=True)
