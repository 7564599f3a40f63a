"""``smithy build``: build recipe.yaml feedstocks in graph order into a local channel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from smithy.api import (
    BuildEvent,
    BuildOptions,
    BuildPlan,
    BuildRun,
    ExitCode,
    StepStatus,
    current_platform,
    dry_run,
    load_backend,
    plan_builds,
    run_builds,
)
from smithy.cli.graph import CacheOpt, InputsArg, NoCacheOpt, PinningOpt, load
from smithy.cli.options import FormatOpt, TextOrJson
from smithy.report.command_data import build_data

_STYLE = {
    StepStatus.built: "green",
    StepStatus.failed: "red",
    StepStatus.skipped: "yellow",
    StepStatus.not_run: "dim",
}


def _table(plan: BuildPlan, run: BuildRun, *, planned: bool) -> Table:
    title = f"build plan for {plan.platform} -> {plan.channel}" if planned else "build summary"
    table = Table(title=title)
    for column in ("wave", "feedstock", "status", "time", "detail"):
        table.add_column(column)
    for result in run.results:
        status = "planned" if planned and result.status is StepStatus.not_run else result.status
        detail = result.message or ", ".join(Path(p).name for p in result.packages)
        if not detail and planned:
            detail = str(result.step.recipe)
        seconds = f"{result.seconds:.1f}s" if result.seconds else ""
        style = _STYLE[result.status]
        table.add_row(
            str(result.step.wave + 1), result.step.name, f"[{style}]{status}[/]", seconds, detail
        )
    return table


def _failure_log(console: Console, run: BuildRun) -> None:
    for result in run.results:
        if result.status is StepStatus.failed:
            console.print(f"[red]{result.step.name} failed:[/] {result.message}")
            for line in result.log_tail:
                console.print(f"  {line}", markup=False, highlight=False)


def build_command(  # noqa: PLR0913, PLR0917 (typer: one parameter per option)
    inputs: InputsArg,
    channel: Annotated[
        Path, typer.Option("--channel", help="Local channel to build into and resolve from.")
    ] = Path("output"),
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help="Target platform [default: this one].")
    ] = None,
    target: Annotated[
        list[str] | None, typer.Option("--target", help="Build only these and what they need.")
    ] = None,
    extra_channel: Annotated[
        list[str] | None,
        typer.Option("--extra-channel", "-c", help="Also resolve from this channel (online)."),
    ] = None,
    variant_config: Annotated[
        list[Path] | None, typer.Option("--variant-config", "-m", help="Variant file to use.")
    ] = None,
    test: Annotated[bool, typer.Option("--test", help="Run each recipe's tests.")] = False,
    plan_only: Annotated[bool, typer.Option("--dry-run", help="Print the plan only.")] = False,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    output: FormatOpt = TextOrJson.text,
) -> int:
    """Build feedstocks with rattler-build, parents first, each resolving from the channel."""
    chosen = platform or current_platform()
    loaded = load(
        inputs, pinning=pinning, platforms=(chosen,), cache_dir=cache_dir, no_cache=no_cache
    )
    plan = plan_builds(
        loaded.graph, channel=channel.resolve(), platform=chosen, targets=target or ()
    )
    console = Console(highlight=False)
    if plan_only and output is TextOrJson.json:
        typer.echo(json.dumps(build_data(plan, dry_run(plan), planned=True), indent=2))
        return ExitCode.OK
    if plan_only:
        console.print(_table(plan, dry_run(plan), planned=True))
        return ExitCode.OK
    backend = load_backend()
    options = BuildOptions(
        extra_channels=tuple(extra_channel or ()),
        variant_config=tuple(variant_config or ()),
        run_tests=test,
    )
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    # JSON goes to stdout alone: the progress bar is drawn on stderr then.
    progress_console = Console(stderr=True) if output is TextOrJson.json else console
    with Progress(*columns, console=progress_console, transient=True) as progress:
        task = progress.add_task("building", total=len(plan.steps))

        def on_event(event: BuildEvent) -> None:
            if event.result is None:
                progress.update(task, description=f"building {event.step.name}")
            else:
                progress.advance(task)

        run = run_builds(plan, options=options, on_event=on_event, backend=backend)
    if output is TextOrJson.json:
        typer.echo(json.dumps(build_data(plan, run, planned=False), indent=2))
    else:
        console.print(_table(plan, run, planned=False))
        _failure_log(console, run)
    return ExitCode.OK if run.ok else ExitCode.FINDINGS
