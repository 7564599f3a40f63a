"""``smithy pinning``: download the conda-forge pinning into the cache and list what is cached."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from smithy.api import (
    DEFAULT_PINNING_CHANNEL,
    PINNING_PACKAGE,
    FetchStatus,
    cached_pinnings,
    fetch_pinning,
)
from smithy.cli.options import FormatOpt, TextOrJson
from smithy.report.command_data import pinning_list_data

pinning_app = typer.Typer(
    name="pinning",
    help="Download the conda-forge pinning for `--pinning conda-forge` and list the cache.",
    no_args_is_help=True,
)

ChannelOpt = Annotated[
    str | None,
    typer.Option(
        "--channel",
        help=f"Channel URL (default: $SMITHY_PINNING_CHANNEL, else {DEFAULT_PINNING_CHANNEL}).",
    ),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Cache folder (default: $XDG_CACHE_HOME/smithy/pinning, else under ~/.cache).",
    ),
]


@pinning_app.command("fetch")
def fetch_command(
    channel: ChannelOpt = None, cache_dir: CacheDirOpt = None, output: FormatOpt = TextOrJson.text
) -> None:
    """Download the channel's newest conda-forge-pinning unless it is cached already.

    Offline, the newest cached version is kept with a warning; with none cached, exit 3.
    """
    result = fetch_pinning(dict(os.environ), channel=channel, cache_dir=cache_dir)
    if result.note:
        typer.echo(f"warning: {result.note}", err=True)
    package = result.pinning.package
    status = "cached, not checked" if result.status is FetchStatus.CACHED else result.status
    if output is TextOrJson.json:
        data = {"version": package.version, "status": str(result.status)}
        typer.echo(json.dumps({**data, "folder": str(result.pinning.folder)}, indent=2))
        return
    typer.echo(f"{PINNING_PACKAGE} {package.version} ({status}): {result.pinning.folder}")


@pinning_app.command("list")
def list_command(cache_dir: CacheDirOpt = None, output: FormatOpt = TextOrJson.text) -> None:
    """List the cached conda-forge-pinning versions, oldest first; the last one is used offline."""
    folder, entries = cached_pinnings(dict(os.environ), cache_dir=cache_dir)
    if output is TextOrJson.json:
        typer.echo(json.dumps(pinning_list_data(folder, entries), indent=2))
        return
    if not entries:
        typer.echo(
            f"no {PINNING_PACKAGE} cached in {folder}; run `smithy pinning fetch`",
            err=True,
        )
        return
    width = max(len(entry.package.version) for entry in entries)
    for entry in entries:
        package = entry.package
        typer.echo(f"{package.version:<{width}}  {package.channel}  {entry.folder}")
