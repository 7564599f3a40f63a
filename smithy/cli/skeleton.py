"""``smithy ci-skeleton``: conda-forge's CI for a project's own repository."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.api import ExitCode
from smithy.cli.github import show_result


def ci_skeleton_command(
    package_name: Annotated[str, typer.Argument(help="The conda package name.")] = "package",
    feedstock_directory: Annotated[
        Path,
        typer.Option(
            "--feedstock-directory", "--feedstock_directory", help="The project's root folder."
        ),
    ] = Path("."),
    recipe_directory: Annotated[
        str, typer.Option("--recipe-directory", "-r", help="Recipe folder inside the project.")
    ] = "recipe",
    pinning: Annotated[
        str | None, typer.Option("--pinning", help="Pinning file or folder for the rerender.")
    ] = None,
    no_rerender: Annotated[
        bool, typer.Option("--no-rerender", help="Only write the files; rerender later.")
    ] = False,
) -> int:
    """Set up conda-forge's CI in a project's own repository, then rerender.

    Writes conda-forge.yml (recipe_dir, clone_depth 0, skip_render for the project's README,
    LICENSE, .gitignore...), RECIPE_DIRECTORY/meta.yaml versioned by the latest git tag, and a
    delimited block in .gitignore. Existing conda-forge.yml and recipe are kept.
    """
    root = feedstock_directory
    for step in api.ci_skeleton(root, package=package_name, recipe_dir=recipe_directory):
        show_result(step)
    if no_rerender:
        typer.echo(f"next: edit {recipe_directory}/meta.yaml, then run 'smithy rerender {root}'")
        return ExitCode.OK
    report = api.rerender(root, pinning=pinning, environ=dict(os.environ), mode="write")
    changed = sum(change.changes_anything for change in report.changes)
    typer.echo(f"rerendered {root}: {changed} file(s) written; pinning {report.pinning.version}")
    return ExitCode.OK
