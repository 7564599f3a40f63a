"""The feedstock graph: build or load it, order it in waves, find cycles and paths, impact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.graph.cache import default_cache_dir as graph_cache_dir
from smithy.graph.changes import changed_feedstocks
from smithy.graph.impact import pinning_impact as pinning_impact
from smithy.graph.inputs import GraphInput, graph_input
from smithy.graph.model import View as View
from smithy.graph.order import build_order
from smithy.graph.order import find_cycles as find_cycles
from smithy.graph.query import downstream_of
from smithy.graph.query import neighbourhood as neighbourhood
from smithy.graph.query import why as graph_why
from smithy.graph.serialize import dumps_graph as dumps_graph
from smithy.platforms import is_known_platform as is_known_platform

if TYPE_CHECKING:
    from smithy.graph.order import BuildOrder

__all__ = ["GraphInput", "graph_cache_dir", "graph_why"]  # re-exported under these names


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
    env = environ or {}
    return graph_input(
        list(inputs),
        platforms=platforms,
        pinning=pinning,
        environ=env,
        cache_dir=None if no_cache else (cache_dir or graph_cache_dir(env)),
        workers=jobs,
    )


def graph_order(
    loaded: GraphInput,
    *,
    view: View = View.all,
    platform: str | None = None,
    targets: Sequence[str] = (),
    changed_since: str | None = None,
) -> BuildOrder:
    """Build waves over ``loaded``'s graph: each wave needs only earlier ones.

    Args:
        loaded: the graph and the feedstock folders it was built from.
        view: which edges count (all sections, abi, run).
        platform: only edges that hold on this platform.
        targets: order only these feedstocks (or packages) and what they need.
        changed_since: only feedstocks changed since this git revision and all downstream.

    Raises:
        SmithyError: an unknown target, or git cannot resolve ``changed_since``.
    """
    only = None
    if changed_since is not None:
        changed = changed_feedstocks(loaded.feedstocks, changed_since)
        only = downstream_of(loaded.graph, changed, view=view)
    return build_order(loaded.graph, view=view, platform=platform, targets=targets, only=only)
