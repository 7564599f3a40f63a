"""``smithy init``: create a feedstock from a recipe folder."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.cli.options import FormatOpt, TextOrJson
from smithy.report.command_data import init_data

RecipeArg = Annotated[
    Path, typer.Argument(help="Recipe folder (holding meta.yaml or recipe.yaml).")
]
FeedstockDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--feedstock-dir",
        "--feedstock-directory",
        help="Where to create the feedstock [default: ./<name>-feedstock].",
    ),
]
PinningOpt = Annotated[
    str | None,
    typer.Option("--pinning", help="Pinning file or folder used to render and rerender."),
]
NoGitOpt = Annotated[
    bool, typer.Option("--no-git", help="Do not create a git repository or commit.")
]
NoRerenderOpt = Annotated[
    bool, typer.Option("--no-rerender", help="Only copy the recipe; rerender later.")
]


def init_command(
    recipe_dir: RecipeArg,
    feedstock_dir: FeedstockDirOpt = None,
    pinning: PinningOpt = None,
    no_git: NoGitOpt = False,
    no_rerender: NoRerenderOpt = False,
    output: FormatOpt = TextOrJson.text,
) -> None:
    """Create <name>-feedstock/ from a recipe: copy it, write conda-forge.yml, rerender, commit."""
    result = api.init_feedstock(
        recipe_dir,
        feedstock_dir=feedstock_dir,
        pinning=pinning,
        environ=dict(os.environ),
        rerender_it=not no_rerender,
        git=not no_git,
    )
    if output is TextOrJson.json:
        typer.echo(json.dumps(init_data(result), indent=2))
        return
    name = result.feedstock_name
    named = "" if result.feedstock_dir.name == name else f" ({name})"
    typer.echo(f"created {result.feedstock_dir}{named}")
    if result.commit:
        typer.echo(f"committed {result.commit[:12]} on branch main")
    if not result.rerendered:
        typer.echo(f"next: cd {result.feedstock_dir} && smithy rerender")
