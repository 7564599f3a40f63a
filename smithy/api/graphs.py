"""The feedstock graph: build it from feedstock folders or load a saved one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smithy.graph.inputs import GraphInput


def load_graph(
    inputs: Sequence[Path],
    *,
    pinning: str | None = None,
    platforms: Sequence[str] = (),
    cache_dir: Path | None = None,
    no_cache: bool = False,
    jobs: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> GraphInput:
    """Build the feedstock graph from feedstock folders, or load a saved ``graph.json``.

    Args:
        inputs: feedstock folders, folders of ``*-feedstock`` folders, lists, or a graph file.
        pinning: ``--pinning`` value for rendering; None for the default search.
        platforms: platforms to render; empty for each feedstock's CI platforms.
        cache_dir: the parse cache; None for ``$XDG_CACHE_HOME/smithy/graph``.
        no_cache: parse everything afresh (no cache read or written).
        jobs: parallel parse processes; None for one per CPU.
        environ: the process environment (pinning search, cache folder).

    Raises:
        SmithyError: bad inputs; a feedstock that fails to parse is a record with an error.
    """
    from smithy.graph.cache import default_cache_dir
    from smithy.graph.inputs import graph_input

    env = environ or {}
    return graph_input(
        list(inputs),
        platforms=platforms,
        pinning=pinning,
        environ=env,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir(env)),
        workers=jobs,
    )
