"""``smithy convert``: meta.yaml -> recipe.yaml, proven by rendering both."""

from __future__ import annotations

import json
import os
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.api import ExitCode
from smithy.report.convert_report import convert_data, differences_table, issue_lines


class OutputFormat(StrEnum):
    """How the result is printed."""

    text = "text"
    json = "json"


def convert_command(
    feedstock: Annotated[Path, typer.Argument(help="Feedstock root (holds recipe/).")] = Path("."),
    pinning: Annotated[
        str | None,
        typer.Option("--pinning", help="Pinning file or folder (chosen as rerender chooses it)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Convert and verify; write nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write even with issues or differences.")
    ] = False,
    keep_meta: Annotated[
        bool, typer.Option("--keep-meta", help="Keep recipe/meta.yaml beside recipe.yaml.")
    ] = False,
    verify_only: Annotated[
        bool,
        typer.Option("--verify-only", help="Only compare an existing recipe.yaml with meta.yaml."),
    ] = False,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.text,
    show: Annotated[
        bool, typer.Option("--show", help="Print the converted recipe.yaml (text format).")
    ] = False,
) -> None:
    """Convert recipe/meta.yaml to recipe/recipe.yaml and prove both render the same.

    Exit 1 when something needs converting by hand or the renders differ (nothing is
    written then, unless --force).
    """
    started = time.perf_counter()
    report = api.conversion.convert(
        feedstock,
        pinning=pinning,
        environ=dict(os.environ),
        dry_run=dry_run,
        force=force,
        keep_meta=keep_meta,
        verify_only=verify_only,
    )
    if report.written:  # the converted feedstock's CI switches to rattler-build
        environ = dict(os.environ)
        api.rerender(report.feedstock, pinning=pinning, environ=environ, matrix=report.matrix)
    elapsed = time.perf_counter() - started
    if output_format is OutputFormat.json:
        data = convert_data(report.issues, report.differences, written=report.written)
        typer.echo(json.dumps(data, indent=2))
    else:
        if show and report.recipe_text:
            typer.echo(report.recipe_text, nl=False)
        shown = os.path.relpath(report.meta_path)
        typer.echo(issue_lines(shown, report.issues), nl=False, err=True)
        typer.echo(differences_table(report.differences), nl=False)
        typer.echo(_summary(report, elapsed), err=True)
    if not report.clean:
        raise typer.Exit(ExitCode.FINDINGS)


def _summary(report: api.conversion.ConvertReport, elapsed: float) -> str:
    if report.issues and not report.recipe_text:
        state = "not converted"
    elif report.differences:
        state = f"{len(report.differences)} difference(s)"
    else:
        state = "verified: same outputs"
    if report.issues:
        state += f", {len(report.issues)} issue(s) to convert by hand"
    action = "written and rerendered" if report.written else "nothing written"
    return f"convert {report.feedstock}: {state}; {action} ({elapsed:.2f} s)"
