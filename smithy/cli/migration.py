"""``smithy migration``: scaffold, lint and track CFEP-9 migration files."""

from __future__ import annotations

import os
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smithy.cli.graph import CacheOpt, InputsArg, NoCacheOpt, PinningOpt, emit, load
from smithy.errors import ExitCode, SmithyError, Span
from smithy.graph.migration.files import read_migration
from smithy.graph.migration.lint import Level, lint_migrations
from smithy.graph.migration.new import new_migration
from smithy.graph.migration.status import migration_status
from smithy.report import graph_status
from smithy.variants.pinning import all_keys, load_variant_file
from smithy.variants.source import resolve_pinning

migration_app = typer.Typer(
    help="CFEP-9 migration files: scaffold, lint, and status over local feedstocks.",
    no_args_is_help=True,
)


class StatusFormat(StrEnum):
    """Output formats of ``smithy migration status``."""

    table = "table"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


@migration_app.command("new")
def new_command(
    key: Annotated[str, typer.Argument(help="Pinning key to move, e.g. libffi.")],
    version: Annotated[str, typer.Argument(help="Its new value, e.g. 3.5.")],
    also: Annotated[
        list[str] | None, typer.Option("--also", help="Another key moving with it.")
    ] = None,
    directory: Annotated[
        Path, typer.Option("--dir", help="The pinning's migrations folder.")
    ] = Path("migrations"),
    message: Annotated[str | None, typer.Option("--message", help="Commit message.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print, do not write.")] = False,
) -> int:
    """Write <dir>/<key><version>.yaml with a unique migrator_ts."""
    planned = new_migration(
        key, version, directory=directory, now=time.time(), also=also or (), message=message
    )
    if dry_run:
        typer.echo(planned.text, nl=False)
        return ExitCode.OK
    folder = planned.path.parent
    if folder.exists() and not folder.is_dir():
        raise SmithyError("--dir names a file, not a folder", Span(str(folder)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with planned.path.open("x", encoding="utf-8") as stream:
            stream.write(planned.text)
    except OSError as exc:
        raise SmithyError(f"cannot write: {exc.strerror or exc}", Span(str(planned.path))) from None
    typer.echo(f"created {planned.path} (migrator_ts {planned.timestamp})")
    return ExitCode.OK


def _migration_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.glob("*.yaml"))
        elif path.is_file():
            found.append(path)
        else:
            raise SmithyError("no such migration file or folder", Span(str(path)))
    return found


@migration_app.command("lint")
def lint_command(
    paths: Annotated[list[Path], typer.Argument(help="Migration files or folders of them.")],
    pinning: PinningOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
) -> int:
    """Check __migrator keys, timestamps, key_add ordering, zip lengths and pinning keys."""
    source = resolve_pinning(pinning, dict(os.environ))
    zips = load_variant_file(source.cbc, platform="linux-64", env={}).zip_keys
    findings = lint_migrations(
        _migration_files(paths), pinning_keys=all_keys(source.cbc), pinning_zips=zips
    )
    for finding in findings:
        typer.echo(f"{finding.span}: {finding.rule} [{finding.level}] {finding.message}")
    failing = [f for f in findings if f.level is Level.error or strict]
    typer.echo(f"{len(findings)} findings ({len(failing)} failing)", err=True)
    return ExitCode.FINDINGS if failing else ExitCode.OK


def _find_migration(name: str, pinning: str | None) -> Path:
    given = Path(name)
    if given.is_file():
        return given
    source = resolve_pinning(pinning, dict(os.environ))
    if source.migrations_dir is not None:
        candidate = source.migrations_dir / f"{given.stem}.yaml"
        if candidate.is_file():
            return candidate
    raise SmithyError(f"migration '{name}' not found (give a file, or a name in the pinning)")


@migration_app.command("status")
def status_command(
    name: Annotated[str, typer.Argument(help="Migration file, or its name in the pinning.")],
    inputs: InputsArg,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.table,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Done / ready / awaiting parents (which) / not applicable, per local feedstock."""
    mig = read_migration(_find_migration(name, pinning))
    loaded = load(inputs, pinning=pinning, cache_dir=cache_dir, no_cache=no_cache)
    report = migration_status(loaded.graph, mig)
    if output_format is StatusFormat.json:
        emit(graph_status.status_data(report))
    elif output_format is StatusFormat.dot:
        typer.echo(graph_status.status_dot(report), nl=False)
    elif output_format is StatusFormat.mermaid:
        typer.echo(graph_status.status_mermaid(report), nl=False)
    else:
        typer.echo(graph_status.status_table(report), nl=False)
    return ExitCode.OK
