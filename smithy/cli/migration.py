"""``smithy migration``: scaffold, lint and track CFEP-9 migration files."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.api import ExitCode, SmithyError, Span, new_migration
from smithy.cli.blocks import with_block
from smithy.cli.graph import CacheOpt, InputsArg, NoCacheOpt, PinningOpt, default_cache_dir, emit
from smithy.cli.lint import FormatOpt as LintFormatOpt
from smithy.cli.lint import IgnoreOpt, LintFormat, SelectOpt, render_findings, rule_words
from smithy.report import graph_status, migration_report

migration_app = typer.Typer(
    help="CFEP-9 migrations: scaffold, lint, status, next, apply (as the bot does) and close.",
    no_args_is_help=True,
)


class StatusFormat(StrEnum):
    """Output formats of ``smithy migration status``."""

    table = "table"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


class Format(StrEnum):
    """Output formats of every ``migration`` command but status."""

    text = "text"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


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
    output_format: FormatOpt = Format.text,
) -> int:
    """Write <dir>/<key><version>.yaml with a unique migrator_ts."""
    planned = new_migration(
        key, version, directory=directory, now=time.time(), also=also or (), message=message
    )
    as_json = {"path": str(planned.path), "migrator_ts": planned.timestamp, "text": planned.text}
    if dry_run:
        if output_format is Format.json:
            emit({**as_json, "written": False})
        else:
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
    if output_format is Format.json:
        emit({**as_json, "written": True})
    else:
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
    strict: Annotated[bool, typer.Option("--strict", help="Fail on hints too.")] = False,
    output_format: LintFormatOpt = LintFormat.text,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> int:
    """Check migration files with the SMY95x rules: exit 1 on lints (hints too with --strict)."""
    chosen, dropped = rule_words(select, ignore)
    result = api.migration_lint.run(
        _migration_files(paths),
        select=chosen,
        ignore=dropped,
        pinning=pinning,
        environ=dict(os.environ),
    )
    typer.echo(render_findings(result, output_format), nl=False)
    return ExitCode.FINDINGS if result.failed(strict=strict) else ExitCode.OK


NameArg = Annotated[str, typer.Argument(help="Migration name (or file) known to the pinning.")]
ChannelOpt = Annotated[
    list[str] | None,
    typer.Option("--channel", "-c", help="Channel URL or local folder to solve against."),
]
SolverCacheOpt = Annotated[
    Path | None,
    typer.Option("--solver-cache", help="Repodata cache [default: ~/.cache/smithy/rattler]."),
]
OfflineOpt = Annotated[
    bool, typer.Option("--offline", help="Solve from the repodata cache and local channels only.")
]


def _context(
    name: str,
    inputs: list[Path],
    pinning: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    channels: api.Channels | None = None,
) -> api.MigrationContext:
    cache = None if no_cache else (cache_dir or default_cache_dir())
    return api.migration_context(
        name, inputs, pinning=pinning, environ=dict(os.environ), cache_dir=cache, channels=channels
    )


def channels_of(
    channel: list[str] | None, solver_cache: Path | None, offline: bool
) -> api.Channels | None:
    """The ``--channel`` options as solver channels; None when none was given."""
    if not channel:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = solver_cache or Path(base) / "smithy" / "rattler"
    return api.Channels(tuple(channel), folder, offline)


@dataclass(frozen=True, slots=True)
class Scope:
    """What ``status`` and ``next`` read a migration with: solver channels, pinning, cache."""

    channels: api.Channels | None
    pinning: str | None
    cache_dir: Path | None
    no_cache: bool

    def context(self, name: str, inputs: list[Path]) -> api.MigrationContext:
        """The migration ``name`` over the feedstocks ``inputs`` names."""
        return _context(name, inputs, self.pinning, self.cache_dir, self.no_cache, self.channels)


def _scope(
    channel: ChannelOpt = None,
    solver_cache: SolverCacheOpt = None,
    offline: OfflineOpt = False,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> Scope:
    return Scope(channels_of(channel, solver_cache, offline), pinning, cache_dir, no_cache)


@migration_app.command("status")
@with_block(_scope, "scope")
def status_command(
    name: NameArg,
    inputs: InputsArg,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.table,
    why: Annotated[str | None, typer.Option("--why", help="Explain one feedstock's state.")] = None,
    *,
    scope: Scope,
) -> int:
    """Done / in progress / ready / not solvable / awaiting parents (which), per feedstock."""
    context = scope.context(name, inputs)
    report = context.status
    if why is not None:
        explained = api.migration_why(context, why)
        if output_format is StatusFormat.json:
            emit(explained.to_json())
        else:
            typer.echo(migration_report.why_text(explained), nl=False)
    elif output_format is StatusFormat.json:
        emit(graph_status.status_data(report))
    elif output_format is StatusFormat.dot:
        typer.echo(graph_status.status_dot(report), nl=False)
    elif output_format is StatusFormat.mermaid:
        typer.echo(graph_status.status_mermaid(report), nl=False)
    else:
        typer.echo(graph_status.status_table(report), nl=False)
    return ExitCode.OK


@migration_app.command("next")
@with_block(_scope, "scope")
def next_command(
    name: NameArg, inputs: InputsArg, output_format: FormatOpt = Format.text, *, scope: Scope
) -> int:
    """List the feedstocks eligible now (parents done), and who waits on which parents."""
    report = api.migration_next(scope.context(name, inputs))
    if output_format is Format.json:
        emit(report.to_json())
    else:
        typer.echo(migration_report.next_text(report), nl=False)
    return ExitCode.OK


@migration_app.command("apply")
def apply_command(  # noqa: PLR0913, PLR0917 (typer: one parameter per option)
    name: NameArg,
    feedstocks: Annotated[list[Path], typer.Argument(help="Feedstock folders to migrate.")],
    among: Annotated[
        list[Path] | None,
        typer.Option("--among", help="Feedstocks to order by [default: the feedstocks' folders]."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the diff; commit nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Apply even if parents are pending.")
    ] = False,
    require_solvable: Annotated[
        bool, typer.Option("--require-solvable", help="Refuse where a migrated job does not solve.")
    ] = False,
    channel: ChannelOpt = None,
    solver_cache: SolverCacheOpt = None,
    offline: OfflineOpt = False,
    output_format: FormatOpt = Format.text,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Commit the migration on branch rebuild-<name>-0-<number>, as the bot's PR would."""
    channels = channels_of(channel, solver_cache, offline)
    if require_solvable and channels is None:
        raise typer.BadParameter("needs at least one --channel", param_hint="--require-solvable")
    scope = among or sorted({folder.resolve().parent for folder in feedstocks})
    context = _context(name, scope, pinning, cache_dir, no_cache)
    results = api.migration_apply(
        context,
        feedstocks,
        dry_run=dry_run,
        force=force,
        channels=channels if require_solvable else None,
        environ=dict(os.environ),
    )
    if output_format is Format.json:
        emit([migration_report.apply_data(result) for result in results])
    else:
        for result in results:
            if dry_run:
                typer.echo(migration_report.apply_diff(result), nl=False)
            typer.echo(migration_report.apply_line(result))
    refused = {api.Outcome.waiting, api.Outcome.not_solvable}
    return ExitCode.FINDINGS if any(r.outcome in refused for r in results) else ExitCode.OK


@migration_app.command("close")
def close_command(
    name: NameArg,
    inputs: InputsArg,
    pinning: Annotated[
        str, typer.Option("--pinning", help="The pinning folder to fold the migration into.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the diff; write nothing.")
    ] = False,
    output_format: FormatOpt = Format.text,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Fold a finished migration into conda_build_config.yaml and delete its file."""
    context = _context(name, inputs, pinning, cache_dir, no_cache)
    plan = api.migration_close(context, dry_run=dry_run)
    if output_format is Format.json:
        emit(migration_report.close_data(plan, dry_run=dry_run))
    else:
        typer.echo(migration_report.close_text(plan, dry_run=dry_run), nl=False)
    return ExitCode.OK
