"""Where a migration stands across local feedstocks: done, ready, awaiting parents, or not."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.model import NOARCH, FeedstockRecord, View
from smithy.graph.order import order_digraph
from smithy.variants.migration_files import RawMigration, timestamp_text

_NUMBER_LINE = re.compile(r"^[ \t]+migration_number:[ \t]*['\"]?([0-9]+)", re.MULTILINE)


class Status(StrEnum):
    """A feedstock's state in one migration."""

    done = "done"
    in_progress = "in-progress"
    ready = "ready"
    not_solvable = "not-solvable"
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
        waves: members not done, in the waves they become eligible in (cycles share one).
    """

    name: str
    packages: tuple[str, ...]
    feedstocks: tuple[FeedstockStatus, ...]
    edges: tuple[tuple[str, str], ...]
    waves: tuple[tuple[str, ...], ...] = ()

    def entry(self, name: str) -> FeedstockStatus | None:
        """One feedstock's state, None when the graph has no such feedstock."""
        return next((e for e in self.feedstocks if e.name == name), None)

    def names(self, status: Status) -> tuple[str, ...]:
        """Feedstocks in ``status``, in build order."""
        return tuple(e.name for e in self.feedstocks if e.status is status)

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


def _number_text(text: str) -> str:
    match = _NUMBER_LINE.search(text)
    return match.group(1) if match else "1"


def is_done_copy(feedstock: Path, mig: RawMigration) -> bool:
    """Whether the feedstock's copy of ``mig`` is this run of it (the bot's uid).

    The uid is ``migrator_ts`` and ``migration_number``: a new number restarts the migration,
    so a copy from an earlier run is not done.
    """
    copy = feedstock / ".ci_support" / "migrations" / mig.path.name
    try:
        text = copy.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return timestamp_text(text) == timestamp_text(mig.text) and _number_text(text) == _number_text(
        mig.text
    )


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
    graph: FeedstockGraph,
    mig: RawMigration,
    *,
    ignored: Mapping[str, list[str]] | None = None,
    done: Collection[str] | None = None,
    in_progress: Collection[str] = (),
    unsolvable: Mapping[str, str] | None = None,
) -> MigrationStatus:
    """Classify every feedstock of ``graph`` for migration ``mig`` from local state.

    Members are chosen as the bot does (package in host, or build when there is no host;
    noarch, excluded, producer, platform-filtered and unparsable feedstocks left out). A
    member is done when its ``.ci_support/migrations/`` holds the file with the same
    ``migrator_ts`` and ``migration_number`` (or when named in ``done``); in progress when
    named in ``in_progress``; ready when every parent in the migration graph is done (or it
    sits on a cycle), or not solvable when ``unsolvable`` names it (with the solver's reason);
    awaiting parents otherwise, naming them. Parents named in
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
    if done is None:
        finished = {n for n in members if is_done_copy(Path(graph.records[n].path), mig)}
    else:
        finished = set(done) & members
    entries = [
        _member_state(name, set(migration_graph.predecessors(name)), finished, ignore, on_cycle)
        for name in order.names
    ]
    entries = [_refine(e, set(in_progress), unsolvable or {}) for e in entries]
    for name in sorted(skipped):
        status = Status.error if graph.records[name].error else Status.not_applicable
        entries.append(FeedstockStatus(name, status, reason=skipped[name]))
    return MigrationStatus(
        name=mig.name,
        packages=_packages(mig, graph.outputs.keys() | graph.unprovided.keys()),
        feedstocks=tuple(entries),
        edges=tuple(sorted(edges)),
        waves=order_digraph(migration_graph, only=members - finished).waves,
    )


def _member_state(
    name: str,
    parents: set[str],
    done: set[str],
    ignore: Mapping[str, Any],
    on_cycle: set[str],
) -> FeedstockStatus:
    if name in done:
        return FeedstockStatus(name, Status.done)
    blocking = tuple(sorted(parents - set(_strings(ignore.get(name))) - done))
    if blocking and name not in on_cycle:
        return FeedstockStatus(name, Status.awaiting_parents, blocking)
    return FeedstockStatus(name, Status.ready)


def _refine(
    entry: FeedstockStatus, in_progress: set[str], unsolvable: Mapping[str, str]
) -> FeedstockStatus:
    """An open branch beats waiting; a solver verdict applies to ready members only."""
    if entry.status is Status.done:
        return entry
    if entry.name in in_progress:
        return FeedstockStatus(entry.name, Status.in_progress, entry.blocking)
    if entry.status is Status.ready and entry.name in unsolvable:
        return FeedstockStatus(entry.name, Status.not_solvable, reason=unsolvable[entry.name])
    return entry
