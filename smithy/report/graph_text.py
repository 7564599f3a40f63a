"""Text and JSON forms of graph results: waves, cycles, why, neighbourhoods, impact."""

from __future__ import annotations

from typing import Any

from smithy.graph.feedstock_graph import Edge, FeedstockGraph
from smithy.graph.impact import ImpactReport
from smithy.graph.order import BuildOrder, Cycle
from smithy.graph.query import Neighbourhood, WhyReport


def summary_text(graph: FeedstockGraph) -> str:
    """A few lines on a built graph: sizes, conflicts, unprovided names, parse errors."""
    lines = [
        f"{len(graph)} feedstocks, {graph.edge_count} edges, {len(graph.outputs)} packages",
    ]
    for package, names in graph.conflicts.items():
        lines.append(f"conflict: {package} is made by {', '.join(names)}")
    if graph.unprovided:
        shown = ", ".join(list(graph.unprovided)[:20])
        more = len(graph.unprovided) - 20
        suffix = f" and {more} more" if more > 0 else ""
        lines.append(f"{len(graph.unprovided)} requirements no feedstock makes: {shown}{suffix}")
    for name, error in graph.errors.items():
        lines.append(f"{name}: {error}")
    return "\n".join(lines) + "\n"


def _cycle_lines(cycles: tuple[Cycle, ...]) -> list[str]:
    lines = []
    for cycle in cycles:
        lines.append(f"cycle: {', '.join(cycle.members)}")
        lines += [f"  closed by {a} -> {b}" for a, b in cycle.closing_edges]
    return lines


def waves_text(order: BuildOrder) -> str:
    """One line per wave, then the cycles."""
    lines = [f"wave {i + 1}: {' '.join(wave)}" for i, wave in enumerate(order.waves)]
    return "\n".join(lines + _cycle_lines(order.cycles)) + "\n"


def order_text(order: BuildOrder) -> str:
    """One feedstock per line, in build order, with its wave."""
    lines = [f"{i + 1}\t{name}" for i, wave in enumerate(order.waves) for name in wave]
    return "\n".join(lines + _cycle_lines(order.cycles)) + "\n"


def cycles_data(cycles: tuple[Cycle, ...], graph: FeedstockGraph) -> list[dict[str, Any]]:
    """Cycles as JSON data, closing edges with their labels."""
    return [
        {
            "members": list(cycle.members),
            "closing_edges": [
                {"source": a, "target": b, "labels": _labels(graph.edge(a, b))}
                for a, b in cycle.closing_edges
            ],
        }
        for cycle in cycles
    ]


def _labels(edge: Edge | None) -> list[str]:
    return edge.labels() if edge is not None else []


def cycles_text(cycles: tuple[Cycle, ...], graph: FeedstockGraph) -> str:
    """Each cycle with the labelled edges that close it."""
    if not cycles:
        return "no cycles\n"
    lines = []
    for cycle in cycles:
        lines.append(f"cycle: {', '.join(cycle.members)}")
        for a, b in cycle.closing_edges:
            lines.append(f"  closed by {a} -> {b}: {'; '.join(_labels(graph.edge(a, b)))}")
    return "\n".join(lines) + "\n"


def why_data(report: WhyReport) -> dict[str, Any]:
    """A why-report as JSON data."""
    return {
        "source": report.source,
        "target": report.target,
        "paths": [
            [{"source": e.source, "target": e.target, "labels": e.labels()} for e in path]
            for path in report.paths
        ],
        "truncated": report.truncated,
    }


def why_text(report: WhyReport) -> str:
    """Each path as a chain of labelled edges."""
    if not report.paths:
        return f"{report.target} does not wait for {report.source}\n"
    lines = [f"{report.target} waits for {report.source}:"]
    for number, path in enumerate(report.paths, 1):
        lines.append(f"path {number}:")
        lines += [f"  {e.source} -> {e.target}  [{'; '.join(e.labels())}]" for e in path]
    if report.truncated:
        lines.append("(more paths of the same length exist)")
    return "\n".join(lines) + "\n"


def neighbourhood_data(found: Neighbourhood) -> dict[str, Any]:
    """Up- or downstream feedstocks as JSON data."""
    return {
        "name": found.name,
        "direction": found.direction,
        "depth": found.depth,
        "count": len(found.distances),
        "feedstocks": dict(found.distances),
    }


def neighbourhood_text(found: Neighbourhood) -> str:
    """A count line, then one feedstock per line with its distance."""
    lines = [f"{len(found.distances)} feedstocks {found.direction} of {found.name}"]
    lines += [f"{distance}\t{name}" for name, distance in found.distances.items()]
    return "\n".join(lines) + "\n"


def impact_data(report: ImpactReport) -> dict[str, Any]:
    """An impact report as JSON data (waves as in ``graph waves``, numbered from 1 as in text)."""
    return {
        "key": report.key,
        "to": report.to,
        "packages": list(report.packages),
        "producers": report.producer_versions,
        "migration_name": report.migration_name,
        "feedstocks": len(report.affected),
        "jobs": report.total_jobs,
        **report.order.to_json(),
        "affected": [
            {"name": a.name, "wave": a.wave + 1, "jobs": a.jobs, "reasons": list(a.reasons)}
            for a in report.affected
        ],
        "noarch_skipped": list(report.noarch_skipped),
    }


def impact_text(report: ImpactReport) -> str:
    """Totals, producers, then the affected feedstocks wave by wave."""
    target = f" to {report.to}" if report.to else ""
    lines = [
        f"changing {report.key}{target} rebuilds {len(report.affected)} feedstocks in "
        f"{len(report.order.waves)} waves, {report.total_jobs} CI jobs",
    ]
    for name, version in report.producer_versions.items():
        lines.append(f"made by {name} (recipe version {version or 'unknown'}): build it first")
    if report.migration_name:
        lines.append(f"migration file: {report.migration_name}.yaml")
    by_wave: dict[int, list[str]] = {}
    for entry in report.affected:
        by_wave.setdefault(entry.wave, []).append(f"{entry.name} ({entry.jobs} jobs)")
    lines += [f"wave {wave + 1}: {', '.join(names)}" for wave, names in sorted(by_wave.items())]
    lines += _cycle_lines(report.order.cycles)
    if report.noarch_skipped:
        lines.append(f"noarch, not rebuilt: {', '.join(report.noarch_skipped)}")
    return "\n".join(lines) + "\n"
