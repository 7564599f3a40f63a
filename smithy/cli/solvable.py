"""``smithy solvable``: can each CI job's environments be solved from the given channels?"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.api import ExitCode
from smithy.cli.graph import emit
from smithy.cli.migration import (
    ChannelOpt,
    Format,
    FormatOpt,
    OfflineOpt,
    SolverCacheOpt,
    channels_of,
)
from smithy.cli.rerender import PinningOpt
from smithy.report import migration_report


def solvable_command(
    feedstock: Annotated[Path, typer.Argument(help="Feedstock folder.")] = Path("."),
    channel: ChannelOpt = None,
    job: Annotated[
        list[str] | None, typer.Option("--job", help="Only this CI job (.ci_support stem).")
    ] = None,
    solver_cache: SolverCacheOpt = None,
    offline: OfflineOpt = False,
    output_format: FormatOpt = Format.text,
    pinning: PinningOpt = None,
) -> int:
    """Solve build, host and run per CI job with py-rattler for the job's platform."""
    channels = channels_of(channel, solver_cache, offline)
    if channels is None:
        raise typer.BadParameter("give at least one channel", param_hint="--channel")
    results = api.solvable(
        feedstock, channels, pinning=pinning, environ=dict(os.environ), jobs=job or ()
    )
    if output_format is Format.json:
        emit([result.to_json() for result in results])
    else:
        typer.echo(migration_report.solvable_text(results), nl=False)
    return ExitCode.OK if all(r.solvable for r in results) else ExitCode.FINDINGS
