"""``smithy rerender`` and ``smithy variants``: regenerate a feedstock, show its build matrix."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
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
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON report instead of text.")]
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


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r\033[K{message}", end="", file=sys.stderr, flush=True)


def _end_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def rerender_command(
    feedstock: FeedstockArg = Path("."),
    pinning: PinningOpt = None,
    check: CheckOpt = False,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    wait: WaitOpt = 0.0,
) -> None:
    """Regenerate .ci_support, CI workflows, scripts and README from the recipe and pinning."""
    if check and dry_run:
        raise typer.BadParameter("use either --check or --dry-run", param_hint="--check")
    mode: api.RerenderMode = "check" if check else "dry-run" if dry_run else "write"
    started = time.perf_counter()
    report = api.rerender(
        feedstock,
        pinning=pinning,
        environ=dict(os.environ),
        mode=mode,
        progress=_progress,
        wait=wait,
    )
    _end_progress()
    typer.echo(config_warnings_text(report.matrix.config), nl=False, err=True)
    for warning in report.warnings:
        typer.echo(str(warning), err=True)
    removal = "removed" if mode == "write" else "would remove"
    for note in report.removal_notes:
        typer.echo(f"{note.path}: {removal}: {note.reason}", err=True)
    elapsed = time.perf_counter() - started
    if as_json:
        typer.echo(json.dumps(rerender_data(report), indent=2))
    elif check:
        typer.echo(diff_text(report.changes), nl=False)
    elif not quiet:
        typer.echo(changes_text(report.changes, show_identical=dry_run, planned=dry_run), nl=False)
    if not as_json:
        typer.echo(rerender_summary(report, feedstock, elapsed), err=True)
    if check and report.out_of_date:
        raise typer.Exit(1)


def variants_command(
    feedstock: FeedstockArg = Path("."),
    pinning: PinningOpt = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show where each job-splitting value came from.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show the build matrix: one row per CI job and the keys that split jobs."""
    source, matrix = api.variants(feedstock, pinning=pinning, environ=dict(os.environ))
    typer.echo(config_warnings_text(matrix.config), nl=False, err=True)
    if as_json:
        typer.echo(json.dumps(variants_data(source, matrix), indent=2))
        return
    typer.echo(explain_text(matrix) if explain else matrix_text(matrix), nl=False)
    typer.echo(f"pinning {pinning_text(source)}", err=True)
