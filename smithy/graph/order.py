"""Build order: waves (topological generations of the condensed graph) and the cycles in it."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import networkx as nx

from smithy.errors import GraphCycleError
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.model import View


@dataclass(frozen=True, slots=True)
class Cycle:
    """Feedstocks that depend on each other (a strongly connected component).

    Attributes:
        members: the feedstocks, sorted.
        closing_edges: edges whose removal breaks every cycle among them: the back edges of
            a depth-first search started at the first member, children in name order.
    """

    members: tuple[str, ...]
    closing_edges: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class BuildOrder:
    """Feedstocks in waves: each wave needs only earlier waves, so it can build in parallel.

    A cycle is built as one group: its members share a wave.

    Attributes:
        waves: feedstock names per wave, each wave sorted.
        cycles: the cycles among the ordered feedstocks, sorted by first member.
    """

    waves: tuple[tuple[str, ...], ...]
    cycles: tuple[Cycle, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every feedstock in build order (wave by wave)."""
        return tuple(name for wave in self.waves for name in wave)

    def wave_of(self) -> dict[str, int]:
        """Feedstock -> its wave index (0-based)."""
        return {name: index for index, wave in enumerate(self.waves) for name in wave}

    def to_json(self) -> dict[str, list[list[str]]]:
        """``{"waves": [[...], ...], "cycles": [[...], ...]}``: usable as a CI matrix."""
        return {
            "waves": [list(wave) for wave in self.waves],
            "cycles": [list(cycle.members) for cycle in self.cycles],
        }

    def require_acyclic(self) -> None:
        """Raise :class:`GraphCycleError` naming the first cycle, if there is one."""
        if self.cycles:
            first = self.cycles[0]
            raise GraphCycleError(
                f"feedstocks depend on each other in a cycle: {' -> '.join(first.members)}; "
                "see 'smithy graph cycles'",
                first.members,
            )


def closing_edges(graph: nx.DiGraph, members: Collection[str]) -> tuple[tuple[str, str], ...]:
    """Back edges of a DFS over ``members`` (children visited in sorted order), sorted."""
    inside = set(members)
    state: dict[str, int] = {}  # 1: on the DFS stack, 2: finished
    found: list[tuple[str, str]] = []
    for root in sorted(inside):
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(sorted(n for n in graph.successors(root) if n in inside)))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                found.append((node, child))
            elif child not in state:
                state[child] = 1
                kids = sorted(n for n in graph.successors(child) if n in inside)
                stack.append((child, iter(kids)))
    return tuple(sorted(found))


def _select(graph: nx.DiGraph, targets: Iterable[str]) -> nx.DiGraph:
    """``targets`` and everything they need, as the bot's target-package cut does."""
    keep: set[str] = set()
    for target in targets:
        if target not in keep:
            keep.add(target)
            keep |= nx.ancestors(graph, target)
    return graph.subgraph(keep)


def order_digraph(graph: nx.DiGraph, only: Collection[str] | None = None) -> BuildOrder:
    """Order the nodes of ``graph``; with ``only``, order just those nodes.

    Nodes left out still carry order: if ``a`` reaches ``c`` only through an omitted ``b``,
    ``c`` still comes after ``a`` (the bot's "pluck" semantics), computed as longest paths
    counted in kept components over the condensation, in linear time.
    """
    condensed = nx.condensation(graph)
    members: dict[int, list[str]] = {}
    for node, component in condensed.graph["mapping"].items():
        members.setdefault(component, []).append(node)
    kept = set(graph) if only is None else set(only) & set(graph)
    weight = {c: int(any(m in kept for m in names)) for c, names in members.items()}
    level: dict[int, int] = {}
    for component in nx.topological_sort(condensed):
        preds = condensed.pred[component]
        level[component] = max((level[p] + weight[p] for p in preds), default=0)
    waves: dict[int, list[str]] = {}
    cycles: list[Cycle] = []
    for component, names in members.items():
        chosen = sorted(name for name in names if name in kept)
        if not chosen:
            continue
        waves.setdefault(level[component], []).extend(chosen)
        if len(names) > 1 or graph.has_edge(names[0], names[0]):
            cycles.append(Cycle(tuple(sorted(names)), closing_edges(graph, names)))
    return BuildOrder(
        waves=tuple(tuple(sorted(waves[index])) for index in sorted(waves)),
        cycles=tuple(sorted(cycles, key=lambda cycle: cycle.members)),
    )


def build_order(
    graph: FeedstockGraph,
    *,
    view: View = View.all,
    platform: str | None = None,
    targets: Iterable[str] = (),
    only: Collection[str] | None = None,
) -> BuildOrder:
    """Return the build order of ``graph``'s feedstocks.

    Args:
        graph: the feedstock graph.
        view: which requirement sections make edges.
        platform: only edges that hold on this platform (None: any platform).
        targets: feedstock or package names: order only these and what they need.
        only: order just these feedstocks, keeping the order that paths through the others
            imply (used for ``--changed-since`` and ``impact``).

    Raises:
        SmithyError: a target is neither a feedstock nor a package of one.
    """
    digraph = graph.view(view, platform)
    names = [name for target in targets for name in graph.resolve(target)]
    if names:
        digraph = _select(digraph, names)
    return order_digraph(digraph, only)


def find_cycles(
    graph: FeedstockGraph, *, view: View = View.all, platform: str | None = None
) -> tuple[Cycle, ...]:
    """Every cycle of the graph in ``view`` on ``platform``, with the edges that close it."""
    digraph = graph.view(view, platform)
    found = []
    for component in nx.strongly_connected_components(digraph):
        names = sorted(component)
        if len(names) > 1 or digraph.has_edge(names[0], names[0]):
            found.append(Cycle(tuple(names), closing_edges(digraph, names)))
    return tuple(sorted(found, key=lambda cycle: cycle.members))
