"""``smithy fleet``: check, rerender, lint, graph, bump or migrate many feedstocks; and more.

The operations share their inputs and nine options: the block ``_shared``, which
``blocks.with_block`` splices into each operation's signature.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from smithy import api
from smithy.cli.blocks import with_block
from smithy.cli.bump import LookupServices, PreOpt, lookup_services
from smithy.report.fleet_html import write_html
from smithy.report.fleet_text import progress_line, summary_text

fleet_app = typer.Typer(
    help="Many feedstocks at once: on a local process pool, in shards, or on a Dask cluster.",
    no_args_is_help=True,
)

InputsArg = Annotated[
    list[Path],
    typer.Argument(help="Feedstock folders, folders of *-feedstock folders, or list files."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="JSON Lines results [default: fleet-OPERATION.jsonl]."),
]
PinningOpt = Annotated[
    str | None, typer.Option("--pinning", help="Pinning file or folder (as for rerender).")
]
JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Local worker processes [default: CPUs].")
]
ShardOpt = Annotated[
    str, typer.Option("--shard", help="Run shard I of N (I/N), split by a hash of the name.")
]
DaskOpt = Annotated[
    str | None,
    typer.Option("--dask", help="Run on dask.distributed: a scheduler address, local or local:N."),
]
TimeoutOpt = Annotated[
    float | None, typer.Option("--timeout", help="Seconds one feedstock may take.")
]
ResumeOpt = Annotated[
    Path | None,
    typer.Option("--resume", help="Earlier results: redo only failed or changed-input ones."),
]
HtmlOpt = Annotated[Path | None, typer.Option("--html", help="Also write a static HTML report.")]
ResultsArg = Annotated[list[Path], typer.Argument(help="Results files (JSON Lines).")]


def _write_report(results: list[Path], target: Path, title: str) -> None:
    summary = api.fleet.status(results)
    try:
        with target.open("w", encoding="utf-8") as stream:
            write_html(stream, summary, api.fleet.records(results), title)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {target}: {exc.strerror}") from None


@contextmanager
def _progress() -> Iterator[tuple[Callable[[int], None], Callable[[dict[str, Any]], None]]]:
    """A rich progress bar on a terminal; one plain line per feedstock otherwise."""
    total = [0]
    done = [0]
    if not sys.stderr.isatty():

        def plain(record: dict[str, Any]) -> None:
            done[0] += 1
            print(progress_line(done[0], total[0], record), file=sys.stderr, flush=True)

        yield (lambda count: total.__setitem__(0, count)), plain
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("feedstocks", total=None)
        yield (
            lambda count: bar.update(task, total=count),
            lambda _record: bar.advance(task),
        )


def _shared(  # noqa: PLR0913, PLR0917 (typer: one parameter per option)
    inputs: InputsArg,
    output: OutputOpt = None,
    pinning: PinningOpt = None,
    jobs: JobsOpt = None,
    shard: ShardOpt = "1/1",
    dask: DaskOpt = None,
    timeout: TimeoutOpt = None,
    resume: ResumeOpt = None,
    html: HtmlOpt = None,
) -> dict[str, Any]:
    """The inputs and options every operation takes (a block: ``with_block``)."""
    return dict(locals())  # exactly the parameters: nothing else is defined yet


def _run(operation: str, shared: dict[str, Any], **options: Any) -> int:
    shared = dict(shared)
    inputs: list[Path] = shared.pop("inputs")
    html: Path | None = shared.pop("html")
    target: Path = shared.pop("output") or Path(f"fleet-{operation}.jsonl")
    graph: Path | None = options.pop("graph", None)
    with _progress() as (planned, finished):
        report = api.fleet.run(
            operation,  # type: ignore[arg-type]  # one of the commands below
            inputs,
            output=target,
            environ=dict(os.environ),
            with_graph=graph is not None and operation == "check",
            on_planned=planned,
            on_record=finished,
            **shared,
            **options,
        )
    typer.echo(summary_text(report.summary), nl=False)
    if report.reused:
        typer.echo(f"reused {report.reused} results from {shared.get('resume')}")
    if graph is not None and not report.interrupted:
        nodes, edges = api.fleet.graph([target], graph)
        typer.echo(f"graph: {nodes} feedstocks, {edges} edges -> {graph}")
    if html is not None:
        _write_report([target], html, f"smithy fleet {operation}")
    typer.echo(f"results: {target}")
    if report.interrupted:
        typer.echo("interrupted: results so far are kept (use --resume to go on)", err=True)
        return api.ExitCode.INTERRUPTED
    return api.ExitCode.FINDINGS if report.summary.failed else api.ExitCode.OK


Shared = dict[str, Any]


@fleet_app.command("check")
@with_block(_shared, "shared")
def check_command(
    *,
    shared: Shared,
    graph: Annotated[
        Path | None, typer.Option("--graph", help="Also write graph.json from the same renders.")
    ] = None,
) -> int:
    """Would a rerender change anything? A drift report per feedstock; nothing is written."""
    return _run("check", shared, graph=graph)


@fleet_app.command("rerender")
@with_block(_shared, "shared")
def rerender_command(*, shared: Shared) -> int:
    """Rerender each feedstock (atomically per feedstock, as ``smithy rerender`` does)."""
    return _run("rerender", shared)


@fleet_app.command("lint")
@with_block(_shared, "shared")
def lint_command(
    *,
    shared: Shared,
    conda_forge: Annotated[
        bool, typer.Option("--conda-forge", help="Also run conda-forge's own rules.")
    ] = False,
) -> int:
    """Lint each recipe (findings with codes, as ``smithy lint --format json``)."""
    return _run("lint", shared, conda_forge=conda_forge)


@fleet_app.command("graph")
@with_block(_shared, "shared")
def graph_command(
    *,
    shared: Shared,
    graph: Annotated[
        Path, typer.Option("--graph", help="Where to write graph.json (for smithy graph ...).")
    ] = Path("graph.json"),
) -> int:
    """Parse every feedstock and write the cross-feedstock graph."""
    return _run("graph", shared, graph=graph)


@fleet_app.command("bump")
@with_block(_shared, "shared")
@with_block(lookup_services, "lookup")
def fleet_bump_command(
    *,
    shared: Shared,
    check: Annotated[
        bool, typer.Option("--check", help="Only report newer versions; write nothing.")
    ] = False,
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit each bump on a branch named as the bot does.")
    ] = False,
    pre: PreOpt = False,
    recheck_after: Annotated[
        float,
        typer.Option(
            "--recheck-after",
            metavar="SECONDS",
            help="With --resume: look a feedstock up again when its earlier lookup is older "
            "than this, even if its recipe is unchanged (upstream may have released since).",
        ),
    ] = 3600.0,
    lookup: LookupServices,
) -> int:
    """Look up each feedstock's newest upstream version; bump, rerender (and commit) unless --check.

    Records: changed = a newer version (bumped unless --check), ok = up to date. --resume reuses
    a record only when the recipe, the pinning and the lookup options are unchanged and its
    lookup is younger than --recheck-after.
    """
    if check and commit:
        raise typer.BadParameter("--commit cannot go with --check")
    if not recheck_after >= 0:  # also refuses nan
        raise typer.BadParameter("--recheck-after must be 0 or more seconds")
    options = api.bump_options(
        include_pre=pre,
        urls=lookup.urls,
        github_token=lookup.github_token,
        environ=dict(os.environ),
    )
    settings = api.fleet.BumpSettings(
        options, write=not check, commit=commit, recheck_after=recheck_after
    )
    return _run("bump", shared, bump=settings)


@fleet_app.command("migrate")
@with_block(_shared, "shared")
def migrate_command(
    migration: Annotated[
        Path, typer.Argument(help="The migration file (the pinning's migrations folder has it).")
    ],
    *,
    shared: Shared,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Work out each feedstock's changes; commit nothing.")
    ] = False,
) -> int:
    """Apply a migration to every feedstock that needs it, each on its bot branch (a commit).

    Records: changed = migrated (or would be, with --dry-run), ok = already done or not
    affected. Parents are not waited for: run the feedstocks smithy migration next lists.
    """
    return _run("migrate", shared, migrate=api.fleet.MigrateSettings(migration, dry_run=dry_run))


@fleet_app.command("status")
def status_command(results: ResultsArg, html: HtmlOpt = None) -> int:
    """Show a finished run's summary again (exit 1 when some feedstock failed)."""
    summary = api.fleet.status(results)
    typer.echo(summary_text(summary), nl=False)
    if html is not None:
        _write_report(results, html, "smithy fleet status")
    return api.ExitCode.FINDINGS if summary.failed else api.ExitCode.OK


@fleet_app.command("merge")
def merge_command(
    shards: ResultsArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The merged results file.")],
    html: HtmlOpt = None,
) -> int:
    """Join the results of shards (``--shard I/N`` runs) into one file sorted by name."""
    summary = api.fleet.merge(shards, output)
    typer.echo(summary_text(summary), nl=False)
    if html is not None:
        _write_report([output], html, "smithy fleet")
    typer.echo(f"results: {output}")
    return api.ExitCode.FINDINGS if summary.failed else api.ExitCode.OK


@fleet_app.command("clone")
def clone_command(
    owner: Annotated[str, typer.Argument(help="GitHub organisation or user.")],
    match: Annotated[
        str, typer.Option("--match", help="Only repositories matching this glob.")
    ] = "*",
    into: Annotated[Path, typer.Option("--into", help="Folder to clone into.")] = Path("."),
    update: Annotated[
        bool, typer.Option("--update", help="Fetch and fast-forward repositories already there.")
    ] = False,
    github_url: Annotated[
        str, typer.Option("--github-url", help="GitHub API (GitHub Enterprise, tests).")
    ] = "https://api.github.com",
    token_file: Annotated[
        Path | None, typer.Option("--token-file", help="A file holding a GitHub token.")
    ] = None,
) -> int:
    """Clone (shallow) or update every ``*-feedstock`` repository of an owner."""
    results = api.fleet.clone(
        owner,
        into=into,
        match=match,
        update=update,
        github_url=github_url,
        environ=dict(os.environ),
        token_file=token_file,
        home=Path.home(),
    )
    for result in results:
        tail = f": {result.detail}" if result.detail else ""
        typer.echo(f"{result.status} {result.name}{tail}")
    failed = sum(1 for result in results if result.status == "failed")
    typer.echo(f"{len(results)} feedstocks, {failed} failed")
    return api.ExitCode.FINDINGS if failed else api.ExitCode.OK
