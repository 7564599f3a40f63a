"""``smithy graph``: build the feedstock graph and ask it for build order, cycles and paths."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from smithy import api
from smithy.api import (
    ExitCode,
    GraphInput,
    SmithyError,
    Span,
    View,
    dumps_graph,
    find_cycles,
    graph_cache_dir,
    graph_order,
    graph_why,
    is_known_platform,
    neighbourhood,
)
from smithy.report import graph_text

graph_app = typer.Typer(
    help="Feedstock graph: build it, order builds in waves, find cycles, explain edges.",
    no_args_is_help=True,
)


class Format(StrEnum):
    """Output formats of graph commands."""

    text = "text"
    json = "json"


InputsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Feedstock folders, folders of *-feedstock folders, list files, or one graph.json."
    ),
]


def _known_platform(value: str | None) -> str | None:
    # A typo would silently match no platform-specific edge and give a wrong order.
    if value is not None and not is_known_platform(value):
        raise typer.BadParameter(f"unknown platform '{value}' (expected e.g. linux-64, osx-arm64)")
    return value


PlatformOpt = Annotated[
    str | None,
    typer.Option(
        "--platform",
        "-p",
        help="Only edges that hold on this platform.",
        callback=_known_platform,
    ),
]
ViewOpt = Annotated[
    View, typer.Option("--view", help="Edges from: all sections, abi (host/run/test), run.")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
PinningOpt = Annotated[
    str | None, typer.Option("--pinning", help="Pinning file or folder used to render recipes.")
]
CacheOpt = Annotated[
    Path | None,
    typer.Option("--cache-dir", help="Parse cache folder [default: ~/.cache/smithy/graph]."),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Parse everything afresh.")]
JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", help="Parallel parse processes [default: CPUs].")
]
TargetOpt = Annotated[
    list[str] | None,
    typer.Option("--target", help="Order only these feedstocks/packages and what they need."),
]
ChangedOpt = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        help="Only feedstocks changed since this git revision and everything downstream of them.",
    ),
]


def default_cache_dir() -> Path | None:
    """The graph's parse cache folder for this process's environment (None: no cache)."""
    return graph_cache_dir(os.environ)


def load(
    inputs: list[Path],
    *,
    pinning: str | None = None,
    platforms: tuple[str, ...] = (),
    cache_dir: Path | None = None,
    no_cache: bool = False,
    jobs: int | None = None,
    warn: bool = True,
) -> GraphInput:
    """Build or load the graph the way every graph command does.

    With ``warn``, feedstocks that failed to parse are named on stderr: they stay in the graph
    without edges, so an order that silently included them could build them too early.
    """
    if jobs is not None and jobs < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--jobs")
    loaded = api.load_graph(
        inputs,
        platforms=platforms,
        pinning=pinning,
        environ=dict(os.environ),
        cache_dir=cache_dir,
        no_cache=no_cache,
        jobs=jobs,
    )
    broken = sorted(loaded.graph.errors)
    if warn and broken:
        shown = ", ".join(broken[:10]) + (
            f" and {len(broken) - 10} more" if len(broken) > 10 else ""
        )
        typer.echo(
            f"warning: {len(broken)} feedstock(s) could not be parsed and have no edges: {shown} "
            "(see 'smithy graph build')",
            err=True,
        )
    return loaded


def emit(data: Any) -> None:
    """Print JSON data, sorted keys where mappings are."""
    typer.echo(json.dumps(data, indent=2))


@graph_app.command("build")
def build_command(
    inputs: InputsArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write node-link JSON here.")
    ] = None,
    platform: Annotated[
        list[str] | None, typer.Option("--platform", "-p", help="Render only these platforms.")
    ] = None,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = None,
) -> int:
    """Parse feedstocks (all platforms, cached, in parallel) into a labelled graph."""
    loaded = load(
        inputs,
        pinning=pinning,
        platforms=tuple(platform or ()),
        cache_dir=cache_dir,
        no_cache=no_cache,
        jobs=jobs,
        warn=False,  # the summary below lists each error in full
    )
    text = dumps_graph(loaded.graph)
    if output is None:
        typer.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SmithyError(f"cannot write: {exc.strerror or exc}", Span(str(output))) from None
        typer.echo(graph_text.summary_text(loaded.graph), nl=False, err=True)
        if loaded.collected is not None:
            stats = loaded.collected
            typer.echo(f"parsed {stats.parsed}, from cache {stats.cached}", err=True)
    return ExitCode.OK


def _ordered(
    inputs: list[Path],
    view: View,
    platform: str | None,
    target: list[str] | None,
    changed_since: str | None,
    pinning: str | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> Any:
    loaded = load(inputs, pinning=pinning, cache_dir=cache_dir, no_cache=no_cache)
    return graph_order(
        loaded, view=view, platform=platform, targets=target or (), changed_since=changed_since
    )


@graph_app.command("waves")
def waves_command(  # noqa: PLR0913, PLR0917 (typer: one parameter per option)
    inputs: InputsArg,
    view: ViewOpt = View.all,
    platform: PlatformOpt = None,
    target: TargetOpt = None,
    changed_since: ChangedOpt = None,
    output_format: FormatOpt = Format.text,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Build waves: each wave needs only earlier ones; cycles build as one group."""
    order = _ordered(inputs, view, platform, target, changed_since, pinning, cache_dir, no_cache)
    if output_format is Format.json:
        emit(order.to_json())
    else:
        typer.echo(graph_text.waves_text(order), nl=False)
    return ExitCode.OK


@graph_app.command("order")
def order_command(  # noqa: PLR0913, PLR0917 (typer: one parameter per option)
    inputs: InputsArg,
    view: ViewOpt = View.all,
    platform: PlatformOpt = None,
    target: TargetOpt = None,
    changed_since: ChangedOpt = None,
    output_format: FormatOpt = Format.text,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Build order, one feedstock per line with its wave number."""
    order = _ordered(inputs, view, platform, target, changed_since, pinning, cache_dir, no_cache)
    if output_format is Format.json:
        emit({"order": list(order.names), **order.to_json()})
    else:
        typer.echo(graph_text.order_text(order), nl=False)
    return ExitCode.OK


@graph_app.command("cycles")
def cycles_command(
    inputs: InputsArg,
    view: ViewOpt = View.all,
    platform: PlatformOpt = None,
    output_format: FormatOpt = Format.text,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Cycles with the labelled edges that close them; exit 1 when there are any."""
    loaded = load(inputs, pinning=pinning, cache_dir=cache_dir, no_cache=no_cache)
    cycles = find_cycles(loaded.graph, view=view, platform=platform)
    if output_format is Format.json:
        emit({"cycles": graph_text.cycles_data(cycles, loaded.graph)})
    else:
        typer.echo(graph_text.cycles_text(cycles, loaded.graph), nl=False)
    return ExitCode.FINDINGS if cycles else ExitCode.OK


@graph_app.command("why")
def why_command(  # noqa: PLR0913, PLR0917 (typer: one parameter per option)
    source: Annotated[str, typer.Argument(help="The feedstock (or package) built first.")],
    target: Annotated[str, typer.Argument(help="The feedstock (or package) that waits.")],
    inputs: InputsArg,
    view: ViewOpt = View.all,
    platform: PlatformOpt = None,
    output_format: FormatOpt = Format.text,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """The labelled dependency paths that make TARGET wait for SOURCE; exit 1 if none."""
    loaded = load(inputs, pinning=pinning, cache_dir=cache_dir, no_cache=no_cache)
    report = graph_why(loaded.graph, source, target, view=view, platform=platform)
    if output_format is Format.json:
        emit(graph_text.why_data(report))
    else:
        typer.echo(graph_text.why_text(report), nl=False)
    return ExitCode.OK if report.paths else ExitCode.FINDINGS


def _neighbours(  # noqa: PLR0913, PLR0917
    direction: str,
    name: str,
    inputs: list[Path],
    depth: int | None,
    view: View,
    platform: str | None,
    output_format: Format,
    pinning: str | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> int:
    loaded = load(inputs, pinning=pinning, cache_dir=cache_dir, no_cache=no_cache)
    found = neighbourhood(
        loaded.graph, name, direction=direction, depth=depth, view=view, platform=platform
    )
    if output_format is Format.json:
        emit(graph_text.neighbourhood_data(found))
    else:
        typer.echo(graph_text.neighbourhood_text(found), nl=False)
    return ExitCode.OK


NameArg = Annotated[str, typer.Argument(help="Feedstock or package name.")]
DepthOpt = Annotated[int | None, typer.Option("--depth", help="At most this many edges away.")]


def _neighbour_command(direction: str, summary: str) -> Callable[..., int]:
    """One command per direction; they differ only in which way the edges are followed."""

    def command(  # noqa: PLR0913, PLR0917 (typer: one parameter per option)
        name: NameArg,
        inputs: InputsArg,
        depth: DepthOpt = None,
        view: ViewOpt = View.all,
        platform: PlatformOpt = None,
        output_format: FormatOpt = Format.text,
        pinning: PinningOpt = None,
        cache_dir: CacheOpt = None,
        no_cache: NoCacheOpt = False,
    ) -> int:
        return _neighbours(
            direction, name, inputs, depth, view, platform, output_format, pinning, cache_dir,
            no_cache,
        )  # fmt: skip

    command.__doc__ = summary
    return command


upstream_command = graph_app.command("upstream")(
    _neighbour_command("upstream", "Everything NAME needs, nearest first.")
)
downstream_command = graph_app.command("downstream")(
    _neighbour_command(
        "downstream", "Everything that needs NAME, nearest first (what a change to it rebuilds)."
    )
)
