"""The feedstock graph: output names mapped to feedstocks, and labelled dependency edges."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from smithy.errors import SmithyError
from smithy.graph.model import NOARCH, SECTIONS, VIEW_SECTIONS, FeedstockRecord, View

Via = Mapping[str, Mapping[str, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class Edge:
    """``target`` needs a package that ``source`` makes.

    Attributes:
        source: the feedstock making the package (the dependency).
        target: the feedstock requiring it (the dependent).
        via: section -> package -> platforms where the requirement holds (``noarch`` means
            every platform).
    """

    source: str
    target: str
    via: Via

    def matches(self, sections: frozenset[str], platform: str | None) -> bool:
        """Return whether the edge exists for these sections on ``platform`` (None: any)."""
        for section in sections:
            packages = self.via.get(section)
            if not packages:
                continue
            if platform is None:
                return True
            for platforms in packages.values():
                if platform in platforms or NOARCH in platforms:
                    return True
        return False

    def labels(self, sections: frozenset[str] = frozenset(SECTIONS)) -> list[str]:
        """Human-readable labels such as ``host: libfoo (linux-64, osx-64)``."""
        found = []
        for section in SECTIONS:
            if section not in sections:
                continue
            for package, platforms in self.via.get(section, {}).items():
                found.append(f"{section}: {package} ({', '.join(platforms)})")
        return found


def _freeze(via: dict[str, dict[str, tuple[str, ...]]]) -> Via:
    return MappingProxyType(
        {s: MappingProxyType(dict(sorted(via[s].items()))) for s in SECTIONS if s in via}
    )


class FeedstockGraph:
    """Feedstocks as nodes, an edge from each dependency's feedstock to its dependents.

    A package made by several feedstocks gives edges from all of them (and is listed in
    ``conflicts``); a requirement no feedstock makes is listed in ``unprovided``. A feedstock
    requiring its own outputs gives no edge. Everything is built in sorted order, so the same
    records always give the same graph.
    """

    def __init__(self, records: Iterable[FeedstockRecord]) -> None:
        self.records: Mapping[str, FeedstockRecord] = {r.name: r for r in sorted(records, key=_n)}
        providers: dict[str, list[str]] = {}
        for record in self.records.values():
            for output in record.output_names:
                providers.setdefault(output, []).append(record.name)
        self.outputs: Mapping[str, tuple[str, ...]] = {
            pkg: tuple(sorted(set(names))) for pkg, names in sorted(providers.items())
        }
        self.conflicts = {pkg: names for pkg, names in self.outputs.items() if len(names) > 1}
        self.errors = {r.name: r.error for r in self.records.values() if r.error}
        self._graph = nx.DiGraph()
        self._graph.add_nodes_from(self.records)
        unprovided: dict[str, set[str]] = {}
        for record in self.records.values():
            self._add_edges(record, unprovided)
        self.unprovided: Mapping[str, tuple[str, ...]] = {
            pkg: tuple(sorted(names)) for pkg, names in sorted(unprovided.items())
        }
        self._views: dict[tuple[View, str | None], nx.DiGraph] = {}

    def _add_edges(self, record: FeedstockRecord, unprovided: dict[str, set[str]]) -> None:
        own = set(record.output_names)
        incoming: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
        for section, packages in record.requires.items():
            for package, platforms in packages.items():
                if package in own:
                    continue
                makers = self.outputs.get(package)
                if not makers:
                    unprovided.setdefault(package, set()).add(record.name)
                    continue
                for maker in makers:
                    if maker != record.name:
                        via = incoming.setdefault(maker, {}).setdefault(section, {})
                        via[package] = platforms
        for maker in sorted(incoming):
            self._graph.add_edge(maker, record.name, via=_freeze(incoming[maker]))

    def __contains__(self, name: object) -> bool:
        return name in self.records

    def __len__(self) -> int:
        return len(self.records)

    @property
    def edge_count(self) -> int:
        """Number of edges (all sections, all platforms)."""
        return int(self._graph.number_of_edges())

    def edges(self) -> Iterator[Edge]:
        """Every edge, sorted by (source, target)."""
        for source, target in sorted(self._graph.edges()):
            yield Edge(source, target, self._graph.edges[source, target]["via"])

    def edge(self, source: str, target: str) -> Edge | None:
        """The edge from ``source`` to ``target``, None when there is none."""
        if not self._graph.has_edge(source, target):
            return None
        return Edge(source, target, self._graph.edges[source, target]["via"])

    def view(self, view: View = View.all, platform: str | None = None) -> nx.DiGraph:
        """The graph with only the edges of ``view`` on ``platform`` (None: any); read-only."""
        cache_key = (view, platform)
        found = self._views.get(cache_key)
        if found is not None:
            return found
        if view is View.all and platform is None:
            graph = self._graph
        else:
            sections = VIEW_SECTIONS[view]
            graph = nx.DiGraph()
            graph.add_nodes_from(self._graph)
            graph.add_edges_from(
                (u, v, data)
                for u, v, data in self._graph.edges(data=True)
                if Edge(u, v, data["via"]).matches(sections, platform)
            )
        self._views[cache_key] = graph
        return graph

    def resolve(self, name: str) -> tuple[str, ...]:
        """Feedstocks meant by ``name``: the feedstock itself, else the makers of that package.

        Raises:
            SmithyError: no feedstock has that name or makes that package.
        """
        if name in self.records:
            return (name,)
        makers = self.outputs.get(name.lower())
        if makers:
            return makers
        raise SmithyError(f"'{name}' is neither a feedstock nor a package of one in this graph")


def _n(record: FeedstockRecord) -> str:
    return record.name
