"""Which feedstocks a change of one pinning key affects, in which waves, at what CI cost."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smithy.errors import SmithyError
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.model import NOARCH, FeedstockRecord, View
from smithy.graph.order import BuildOrder, build_order

# The sections through which a pinned package changes a build (the bot's membership rule).
_PIN_SECTIONS = ("host", "build")


@dataclass(frozen=True, slots=True)
class Affected:
    """One feedstock a pinning change rebuilds.

    Attributes:
        name: the feedstock.
        wave: its wave in the rebuild (0-based).
        jobs: CI jobs its rebuild takes (variants x platforms, noarch builds excluded).
        reasons: why it is affected, e.g. ``host: libffi (linux-64, osx-64)``.
    """

    name: str
    wave: int
    jobs: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImpactReport:
    """The effect of changing pinning key ``key`` (optionally to version ``to``).

    Attributes:
        key: the pinning key.
        to: the new version asked about, or None.
        packages: the package names the key stands for (``key`` and its dashed spelling).
        producers: feedstocks making those packages (excluded from the rebuild).
        producer_versions: producer -> its recipe version.
        affected: the feedstocks to rebuild, in build order.
        order: their waves and cycles.
        noarch_skipped: feedstocks using the key only in noarch outputs (not rebuilt).
        migration_name: the migration file name the bot would propose (``libffi37``), or None.
    """

    key: str
    to: str | None
    packages: tuple[str, ...]
    producers: tuple[str, ...]
    producer_versions: dict[str, str]
    affected: tuple[Affected, ...]
    order: BuildOrder
    noarch_skipped: tuple[str, ...]
    migration_name: str | None

    @property
    def total_jobs(self) -> int:
        """CI jobs the whole rebuild takes."""
        return sum(entry.jobs for entry in self.affected)


def migration_file_stem(key: str, version: str) -> str:
    """The bot's name for a pin bump: key plus the version without dots (``giflib6``)."""
    return key.replace("-", "_") + re.sub(r"[^A-Za-z0-9_]", "", version)


def _reasons(
    record: FeedstockRecord, key: str, packages: tuple[str, ...]
) -> tuple[list[str], bool]:
    """(reasons on real platforms, whether some noarch output uses it too)."""
    reasons: list[str] = []
    noarch = False
    for section in _PIN_SECTIONS:
        for package in packages:
            platforms = record.requires.get(section, {}).get(package, ())
            real = [p for p in platforms if p != NOARCH]
            noarch = noarch or NOARCH in platforms
            if real:
                reasons.append(f"{section}: {package} ({', '.join(real)})")
    used = record.used_keys.get(key, ())
    real_keys = [p for p in used if p != NOARCH]
    noarch = noarch or NOARCH in used
    if real_keys and not reasons:
        reasons.append(f"variant key: {key} ({', '.join(real_keys)})")
    return reasons, noarch


def _jobs(record: FeedstockRecord) -> int:
    return sum(count for platform, count in record.jobs.items() if platform != NOARCH)


def pinning_impact(graph: FeedstockGraph, key: str, *, to: str | None = None) -> ImpactReport:
    """Return the feedstocks a change of pinning ``key`` rebuilds.

    A feedstock is affected when, on some platform, a non-noarch output has a package named
    ``key`` (or its dashed spelling) in ``host`` or ``build``, or its recipe uses the variant
    key ``key``. Feedstocks making that package are excluded (they are the change), as are
    feedstocks that could not be parsed. The rest are ordered in waves over the ABI view.

    Raises:
        SmithyError: ``key`` is empty.
    """
    if not key.strip():
        raise SmithyError("a pinning key is needed, e.g. 'smithy impact libffi'")
    packages = tuple(sorted({key.lower(), key.lower().replace("_", "-")}))
    producers = tuple(sorted({f for p in packages for f in graph.outputs.get(p, ())}))
    chosen: dict[str, tuple[str, ...]] = {}
    noarch_only: list[str] = []
    for name, record in graph.records.items():
        if name in producers or record.error:
            continue
        reasons, noarch = _reasons(record, key, packages)
        if reasons:
            chosen[name] = tuple(reasons)
        elif noarch:
            noarch_only.append(name)
    order = build_order(graph, view=View.abi, only=chosen)
    waves = order.wave_of()
    affected = tuple(
        Affected(name, waves[name], _jobs(graph.records[name]), chosen[name])
        for name in order.names
    )
    return ImpactReport(
        key=key,
        to=to,
        packages=packages,
        producers=producers,
        producer_versions={name: graph.records[name].version for name in producers},
        affected=affected,
        order=order,
        noarch_skipped=tuple(noarch_only),
        migration_name=migration_file_stem(key, to) if to else None,
    )
