"""Questions about one feedstock: why it waits for another, what is up- and downstream of it."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx

from smithy.errors import SmithyError
from smithy.graph.feedstock_graph import Edge, FeedstockGraph
from smithy.graph.model import VIEW_SECTIONS, View

# `why` shows at most this many paths: enough to explain, few enough to read.
MAX_PATHS = 10


@dataclass(frozen=True, slots=True)
class WhyReport:
    """The dependency paths that make ``target`` wait for ``source``.

    Attributes:
        source: the feedstock built first.
        target: the feedstock that waits.
        paths: shortest paths, each a sequence of labelled edges; empty when it does not wait.
        truncated: True when more shortest paths exist than are shown.
    """

    source: str
    target: str
    paths: tuple[tuple[Edge, ...], ...]
    truncated: bool


def _one(graph: FeedstockGraph, name: str) -> str:
    found = graph.resolve(name)
    if len(found) > 1:
        raise SmithyError(f"'{name}' is made by several feedstocks ({', '.join(found)}); name one")
    return found[0]


def why(
    graph: FeedstockGraph,
    source: str,
    target: str,
    *,
    view: View = View.all,
    platform: str | None = None,
    limit: int = MAX_PATHS,
) -> WhyReport:
    """Explain why ``target`` is built after ``source``: the shortest labelled paths.

    Raises:
        SmithyError: a name is unknown or ambiguous.
    """
    first, last = _one(graph, source), _one(graph, target)
    digraph = graph.view(view, platform)
    if first == last or not nx.has_path(digraph, first, last):
        return WhyReport(first, last, (), False)
    # Enumerating every shortest path can explode; sort a bounded sample for stable output.
    found = sorted(islice(nx.all_shortest_paths(digraph, first, last), limit * 20 + 1))
    sections = VIEW_SECTIONS[view]
    paths = tuple(
        tuple(_labelled(graph, a, b, sections) for a, b in pairwise(path)) for path in found[:limit]
    )
    return WhyReport(first, last, paths, len(found) > limit)


def _labelled(graph: FeedstockGraph, source: str, target: str, sections: frozenset[str]) -> Edge:
    edge = graph.edge(source, target)
    assert edge is not None  # the path came from this graph
    return Edge(source, target, {s: p for s, p in edge.via.items() if s in sections})


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """Feedstocks up- or downstream of one feedstock, with their distance in edges.

    Attributes:
        name: the feedstock asked about.
        direction: ``upstream`` (what it needs) or ``downstream`` (what needs it).
        distances: feedstock -> number of edges away, sorted by (distance, name).
        depth: the depth limit used (None: unlimited).
    """

    name: str
    direction: str
    distances: Mapping[str, int]
    depth: int | None


def _bfs(neighbours: Mapping[str, Iterable[str]], start: str, depth: int | None) -> dict[str, int]:
    seen = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if depth is not None and seen[node] >= depth:
            continue
        for other in neighbours[node]:
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    del seen[start]
    return seen


def neighbourhood(
    graph: FeedstockGraph,
    name: str,
    *,
    direction: str,
    depth: int | None = None,
    view: View = View.all,
    platform: str | None = None,
) -> Neighbourhood:
    """Everything ``name`` needs (``upstream``) or that needs it (``downstream``).

    Raises:
        SmithyError: the name is unknown or ambiguous, or the direction or depth is bad.
    """
    if direction not in ("upstream", "downstream"):
        raise SmithyError(f"direction must be upstream or downstream, not '{direction}'")
    if depth is not None and depth < 1:
        raise SmithyError(f"--depth must be at least 1, not {depth}")
    start = _one(graph, name)
    digraph = graph.view(view, platform)
    adjacency = digraph.pred if direction == "upstream" else digraph.succ
    found = _bfs(adjacency, start, depth)
    ordered = dict(sorted(found.items(), key=lambda item: (item[1], item[0])))
    return Neighbourhood(start, direction, ordered, depth)


def downstream_of(graph: FeedstockGraph, names: Iterable[str], *, view: View) -> set[str]:
    """``names`` and every feedstock that (transitively) needs one of them."""
    digraph = graph.view(view)
    found: set[str] = set()
    for name in names:
        if name not in found:
            found.add(name)
            found |= nx.descendants(digraph, name)
    return found
