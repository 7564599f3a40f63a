"""Save and load a feedstock graph as deterministic networkx node-link JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from smithy.errors import SmithyError, Span
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.model import FeedstockRecord
from smithy.textfile import read_user_text

FORMAT = "smithy-feedstock-graph"
FORMAT_VERSION = 1


def graph_data(graph: FeedstockGraph) -> dict[str, Any]:
    """Return node-link data (networkx's ``node_link_data`` layout, ``edges="links"``).

    Nodes are sorted by id and links by (source, target), and every mapping has sorted keys,
    so the same graph always gives the same text (stable diffs, as the bot's graph.json).
    """
    return {
        "directed": True,
        "multigraph": False,
        "graph": {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "outputs": {pkg: list(names) for pkg, names in graph.outputs.items()},
            "conflicts": {pkg: list(names) for pkg, names in graph.conflicts.items()},
            "unprovided": {pkg: list(names) for pkg, names in graph.unprovided.items()},
            "errors": dict(graph.errors),
        },
        "nodes": [{"id": name, **record.to_json()} for name, record in graph.records.items()],
        "links": [
            {
                "source": edge.source,
                "target": edge.target,
                "via": {
                    section: {pkg: list(plats) for pkg, plats in packages.items()}
                    for section, packages in edge.via.items()
                },
            }
            for edge in graph.edges()
        ],
    }


def dumps_graph(graph: FeedstockGraph) -> str:
    """Return the graph as JSON text (sorted keys, one trailing newline)."""
    return json.dumps(graph_data(graph), indent=1, sort_keys=True) + "\n"


def loads_graph(text: str, path: str = "<graph>") -> FeedstockGraph:
    """Load a graph saved by :func:`dumps_graph`.

    Edges are recomputed from the nodes' requirements, which the file holds in full, so a
    loaded graph is exactly the graph that was saved.

    Raises:
        SmithyError: the text is not a smithy graph file.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SmithyError(f"not a JSON graph file ({exc})", Span(path)) from None
    except RecursionError:
        raise SmithyError("not a smithy graph file (JSON nested too deeply)", Span(path)) from None
    if not isinstance(data, dict) or data.get("graph", {}).get("format") != FORMAT:
        raise SmithyError("not a smithy graph file (run 'smithy graph build -o')", Span(path))
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        raise SmithyError("graph file has no node list", Span(path))
    records = []
    for node in nodes:
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            raise SmithyError("graph file has a node without an id", Span(path))
        records.append(FeedstockRecord.from_json(node["id"], node))
    return FeedstockGraph(records)


def load_graph(path: Path) -> FeedstockGraph:
    """Read a graph file written by ``smithy graph build -o``."""
    return loads_graph(read_user_text(path, str(path), capped=False), str(path))
