"""Where a migration stands across local feedstocks: done, ready, awaiting parents, or not."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.migration.files import RawMigration, timestamp_text
from smithy.graph.model import NOARCH, FeedstockRecord, View
from smithy.graph.order import order_digraph


class Status(StrEnum):
    """A feedstock's state in one migration."""

    done = "done"
    ready = "ready"
    awaiting_parents = "awaiting-parents"
    not_applicable = "not-applicable"
    error = "error"


@dataclass(frozen=True, slots=True)
class FeedstockStatus:
    """One feedstock's state.

    Attributes:
        name: the feedstock.
        status: its state.
        blocking: for ``awaiting-parents``, the parents in the migration not done yet.
        reason: why it is not applicable, or the parse error.
    """

    name: str
    status: Status
    blocking: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    """A migration's progress over a set of feedstocks.

    Attributes:
        name: the migration (file name without ``.yaml``).
        packages: package names the migration is about.
        feedstocks: every feedstock's state; members in build order first, then the rest.
        edges: (parent, child) edges of the migration graph (between members only).
    """

    name: str
    packages: tuple[str, ...]
    feedstocks: tuple[FeedstockStatus, ...]
    edges: tuple[tuple[str, str], ...]

    def counts(self) -> dict[str, int]:
        """Status -> number of feedstocks, every status listed."""
        found = {status.value: 0 for status in Status}
        for entry in self.feedstocks:
            found[entry.status.value] += 1
        return found


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _truthy(value: Any, default: bool) -> bool:
    if value is None:
        return default
    return str(value).lower() == "true"


def _packages(mig: RawMigration, known: Collection[str]) -> tuple[str, ...]:
    override = _strings(mig.migrator.get("override_cbc_keys"))
    if override:
        return tuple(sorted(override))
    names = {k for key in mig.variant_keys for k in (key, key.replace("_", "-"))}
    return tuple(sorted(name for name in names if name in known))


def _uses(record: FeedstockRecord, packages: Collection[str], mig: RawMigration) -> bool:
    include_build = _truthy(mig.migrator.get("include_build"), False)
    include_noarch = _truthy(mig.migrator.get("include_noarch"), False)
    host = record.requires.get("host", {})
    # The bot's rule: host, or build when there is no host (host and build with include_build).
    sections = [host] if host and not include_build else [host, record.requires.get("build", {})]
    for section in sections:
        for package in packages:
            platforms = section.get(package, ())
            if any(p != NOARCH or include_noarch for p in platforms):
                return True
    return False


def _on_platforms(record: FeedstockRecord, allowed: list[str]) -> bool:
    if not allowed:
        return True
    wanted = {a.replace("_", "-") for a in allowed}
    return bool(wanted & set(record.jobs))


def _is_done(record: FeedstockRecord, mig: RawMigration) -> bool:
    copy = Path(record.path) / ".ci_support" / "migrations" / mig.path.name
    try:
        text = copy.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return timestamp_text(text) == timestamp_text(mig.text)


def _membership(graph: FeedstockGraph, mig: RawMigration) -> tuple[dict[str, str], set[str]]:
    """(non-member -> reason, members)."""
    packages = _packages(mig, graph.outputs.keys() | graph.unprovided.keys())
    excluded = set(_strings(mig.migrator.get("exclude")))
    producers: set[str] = set()
    if _truthy(mig.migrator.get("exclude_pinned_pkgs"), True):
        producers = {f for p in packages for f in graph.outputs.get(p, ())}
    allowed = _strings(mig.migrator.get("platform_allowlist"))
    skipped: dict[str, str] = {}
    members: set[str] = set()
    for name, record in graph.records.items():
        if record.error:
            skipped[name] = record.error
        elif name in excluded:
            skipped[name] = "excluded by the migration"
        elif name in producers:
            skipped[name] = "makes a migrated package"
        elif not _on_platforms(record, allowed):
            skipped[name] = "not built on an allowed platform"
        elif not _uses(record, packages, mig):
            skipped[name] = "does not use the migrated packages"
        else:
            members.add(name)
    return skipped, members


def _plucked_edges(digraph: nx.DiGraph, members: set[str]) -> set[tuple[str, str]]:
    """Edges between members, also through non-members (the bot's ``pluck``)."""
    edges: set[tuple[str, str]] = set()
    for source in members:
        stack = list(digraph.successors(source))
        seen: set[str] = set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in members:
                edges.add((source, node))
            else:
                stack.extend(digraph.successors(node))
    return edges


def migration_status(
    graph: FeedstockGraph, mig: RawMigration, *, ignored: Mapping[str, list[str]] | None = None
) -> MigrationStatus:
    """Classify every feedstock of ``graph`` for migration ``mig`` from local state.

    Members are chosen as the bot does (package in host, or build when there is no host;
    noarch, excluded, producer, platform-filtered and unparsable feedstocks left out). A
    member is done when its ``.ci_support/migrations/`` holds the file with the same
    ``migrator_ts``; ready when every parent in the migration graph is done (or it sits on a
    cycle); awaiting parents otherwise, naming them. Parents named in
    ``__migrator.ignored_deps_per_node`` do not block.
    """
    skipped, members = _membership(graph, mig)
    edges = _plucked_edges(graph.view(View.abi), members)
    migration_graph = nx.DiGraph()
    migration_graph.add_nodes_from(sorted(members))
    migration_graph.add_edges_from(sorted(edges))
    order = order_digraph(migration_graph)
    on_cycle = {name for cycle in order.cycles for name in cycle.members}
    block = ignored if ignored is not None else mig.migrator.get("ignored_deps_per_node")
    ignore = block if isinstance(block, Mapping) else {}
    done = {name for name in members if _is_done(graph.records[name], mig)}
    entries: list[FeedstockStatus] = []
    for name in order.names:
        if name in done:
            entries.append(FeedstockStatus(name, Status.done))
            continue
        parents = set(migration_graph.predecessors(name)) - set(_strings(ignore.get(name)))
        blocking = tuple(sorted(parents - done))
        if blocking and name not in on_cycle:
            entries.append(FeedstockStatus(name, Status.awaiting_parents, blocking))
        else:
            entries.append(FeedstockStatus(name, Status.ready))
    for name in sorted(skipped):
        status = Status.error if graph.records[name].error else Status.not_applicable
        entries.append(FeedstockStatus(name, status, reason=skipped[name]))
    return MigrationStatus(
        name=mig.name,
        packages=_packages(mig, graph.outputs.keys() | graph.unprovided.keys()),
        feedstocks=tuple(entries),
        edges=tuple(sorted(edges)),
    )
