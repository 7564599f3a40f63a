"""``smithy render``: show a recipe rendered per platform and variant."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.report.render_report import report_data, report_text


class RenderFormat(StrEnum):
    """Output formats of ``smithy render``."""

    table = "table"
    json = "json"


PathArg = Annotated[Path, typer.Argument(help="Recipe file, recipe folder or feedstock root.")]
PlatformOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--platform", "-p", help="Target platform; repeat for several [default: six main]."
    ),
]
PinningOpt = Annotated[
    str | None,
    typer.Option(
        "--pinning",
        help="Pinning file or folder (conda_build_config.yaml [+ migrations/]). "
        "Default: $SMITHY_PINNING, the conda prefix's conda-forge-pinning, the embedded default.",
    ),
]
FormatOpt = Annotated[RenderFormat, typer.Option("--format", "-f", help="Output format.")]


def render_command(
    path: PathArg = Path("."),
    platform: PlatformOpt = None,
    pinning: PinningOpt = None,
    output_format: FormatOpt = RenderFormat.table,
) -> None:
    """Render a recipe for each platform and variant: outputs, versions, skips, requirements."""
    report = api.render(path, platforms=platform or (), pinning=pinning, environ=dict(os.environ))
    for warning in api.recipe_warnings(path):
        typer.echo(str(warning), err=True)
    if output_format is RenderFormat.json:
        typer.echo(json.dumps(report_data(report), indent=2))
    else:
        typer.echo(report_text(report), nl=False)
