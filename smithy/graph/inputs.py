"""Get a feedstock graph from command-line inputs: a saved graph file or feedstock folders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy.errors import SmithyError
from smithy.graph.collect import CollectResult, Progress, collect_records
from smithy.graph.discover import FeedstockDir, discover_feedstocks
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.serialize import load_graph


@dataclass(frozen=True, slots=True)
class GraphInput:
    """A graph and where it came from.

    Attributes:
        graph: the feedstock graph.
        feedstocks: the feedstock folders it covers.
        collected: parse statistics when folders were parsed; None for a saved graph.
    """

    graph: FeedstockGraph
    feedstocks: tuple[FeedstockDir, ...]
    collected: CollectResult | None


def is_graph_file(path: Path) -> bool:
    """Return whether ``path`` names a saved graph (a ``.json`` file)."""
    return path.suffix == ".json" and path.is_file()


def graph_input(
    inputs: Sequence[Path],
    *,
    platforms: Sequence[str] = (),
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> GraphInput:
    """Load the graph file ``inputs[0]``, or parse the feedstocks ``inputs`` name.

    Raises:
        SmithyError: no input, a graph file mixed with folders, or any parse-time error.
    """
    if not inputs:
        raise SmithyError("name feedstock folders, a folder of feedstocks, a list or graph.json")
    files = [path for path in inputs if is_graph_file(path)]
    if files:
        if len(inputs) > 1:
            raise SmithyError("give either one graph file or feedstock folders, not both")
        graph = load_graph(files[0])
        dirs = tuple(
            FeedstockDir(name, Path(record.path)) for name, record in graph.records.items()
        )
        return GraphInput(graph, dirs, None)
    feedstocks = discover_feedstocks(inputs)
    collected = collect_records(
        feedstocks,
        platforms=platforms,
        pinning=pinning,
        environ=environ,
        cache_dir=cache_dir,
        workers=workers,
        progress=progress,
    )
    return GraphInput(FeedstockGraph(collected.records), feedstocks, collected)
