"""``smithy impact``: which feedstocks a pinning change rebuilds, wave by wave, at what cost."""

from __future__ import annotations

from typing import Annotated

import typer

from smithy.api import ExitCode, pinning_impact
from smithy.cli.graph import (
    CacheOpt,
    Format,
    FormatOpt,
    InputsArg,
    NoCacheOpt,
    PinningOpt,
    emit,
    load,
)
from smithy.report import graph_text


def impact_command(
    key: Annotated[str, typer.Argument(help="Pinning key, e.g. libffi or python.")],
    inputs: InputsArg,
    to: Annotated[str | None, typer.Option("--to", help="The new version of the key.")] = None,
    output_format: FormatOpt = Format.text,
    pinning: PinningOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Feedstocks a change of pinning KEY rebuilds, in waves, with the CI jobs it takes.

    Affected: feedstocks with KEY in host or build on some platform; noarch feedstocks and
    the producer of KEY are left out.
    """
    loaded = load(list(inputs), pinning=pinning, cache_dir=cache_dir, no_cache=no_cache)
    report = pinning_impact(loaded.graph, key, to=to)
    if output_format is Format.json:
        emit(graph_text.impact_data(report))
    else:
        typer.echo(graph_text.impact_text(report), nl=False)
    return ExitCode.OK


__all__ = ["impact_command"]
