"""Migration status as a table, JSON, a Graphviz DOT picture or a Mermaid flowchart."""

from __future__ import annotations

import re
from typing import Any

from smithy.graph.migration.status import MigrationStatus, Status

# Colours follow the bot's status page: green done, yellow ready, orange waiting, grey n/a.
COLOURS = {
    Status.done: "#4caf50",
    Status.in_progress: "#03a9f4",
    Status.ready: "#ffeb3b",
    Status.not_solvable: "#9c27b0",
    Status.awaiting_parents: "#ff9800",
    Status.not_applicable: "#e0e0e0",
    Status.error: "#f44336",
}
# Pictures show migration members only; non-members would drown them.
_PICTURED = (
    Status.done,
    Status.in_progress,
    Status.ready,
    Status.not_solvable,
    Status.awaiting_parents,
    Status.error,
)


def status_data(report: MigrationStatus) -> dict[str, Any]:
    """The report as JSON data: counts, then one entry per feedstock."""
    return {
        "migration": report.name,
        "packages": list(report.packages),
        "counts": report.counts(),
        "feedstocks": [
            {
                "name": entry.name,
                "status": entry.status.value,
                "blocking": list(entry.blocking),
                "reason": entry.reason,
            }
            for entry in report.feedstocks
        ],
        "edges": [list(edge) for edge in report.edges],
    }


def status_table(report: MigrationStatus) -> str:
    """A fixed-width table: feedstock, status, blocking parents or reason; counts last."""
    rows = [("feedstock", "status", "detail")]
    for entry in report.feedstocks:
        detail = ", ".join(entry.blocking) if entry.blocking else entry.reason
        rows.append((entry.name, entry.status.value, detail))
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{a:<{width[0]}}  {b:<{width[1]}}  {c}".rstrip() for a, b, c in rows]
    counts = ", ".join(f"{status} {count}" for status, count in report.counts().items())
    lines.append(f"{report.name}: {counts}")
    return "\n".join(lines) + "\n"


def _members(report: MigrationStatus) -> list[tuple[str, Status]]:
    return [(e.name, e.status) for e in report.feedstocks if e.status in _PICTURED]


def status_dot(report: MigrationStatus) -> str:
    """A Graphviz digraph of the migration's members, filled by status."""
    lines = [f'digraph "{_dot_escape(report.name)}" {{', "  node [style=filled, shape=box];"]
    for name, status in _members(report):
        lines.append(
            f'  "{_dot_escape(name)}" [fillcolor="{COLOURS[status]}", tooltip="{status.value}"];'
        )
    lines += [f'  "{_dot_escape(a)}" -> "{_dot_escape(b)}";' for a, b in report.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_id(name: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def status_mermaid(report: MigrationStatus) -> str:
    """A Mermaid flowchart of the migration's members, one class per status."""
    lines = ["flowchart TD"]
    for status, colour in COLOURS.items():
        lines.append(f"  classDef {status.name} fill:{colour},stroke:#333")
    for name, status in _members(report):
        lines.append(f'  {_mermaid_id(name)}["{name}"]:::{status.name}')
    lines += [f"  {_mermaid_id(a)} --> {_mermaid_id(b)}" for a, b in report.edges]
    return "\n".join(lines) + "\n"


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
