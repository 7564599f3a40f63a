"""A run's summary, accumulated record by record (from a live run or a results file)."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from smithy.fleet.model import STATUSES, Record

SLOWEST = 10
FAILURES_SHOWN = 50  # a run where thousands fail names the first ones, and counts the rest


@dataclass
class Summary:
    """Counts and extremes of a fleet run; memory bounded whatever the fleet size.

    Attributes:
        total: records seen.
        by_status: status -> count (every status present, zero when none).
        operations: operation -> count.
        seconds: summed task time.
        slowest: (seconds, name) of the slowest feedstocks, slowest first after ``finish``.
        findings_by_rule: lint code -> findings.
        drift_by_kind: ``files created/updated/removed``, ``jobs added/removed``,
            ``keys changed`` -> count.
        failures: (name, status, error) of the first failed or timed-out feedstocks by name.
    """

    total: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    operations: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    findings_by_rule: Counter[str] = field(default_factory=Counter)
    drift_by_kind: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, record: Record) -> None:
        """Count one record."""
        self.total += 1
        status = record["status"]
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.operations[record["operation"]] += 1
        seconds = float(record.get("seconds") or 0.0)
        self.seconds += seconds
        entry = (seconds, record["name"])
        if len(self.slowest) < SLOWEST:
            heapq.heappush(self.slowest, entry)
        else:
            heapq.heappushpop(self.slowest, entry)
        for finding in record.get("findings") or ():
            self.findings_by_rule[str(finding.get("code"))] += 1
        _count_drift(self.drift_by_kind, record.get("drift"))
        if status not in ("ok", "changed"):
            failure = (record["name"], status, str(record.get("error") or ""))
            self.failures.append(failure)
            self.failures = sorted(self.failures)[:FAILURES_SHOWN]

    @property
    def failed(self) -> int:
        """Feedstocks that failed or timed out."""
        return self.by_status.get("failed", 0) + self.by_status.get("timeout", 0)

    def slowest_first(self) -> list[tuple[float, str]]:
        """The slowest feedstocks, slowest first (ties by name)."""
        return sorted(self.slowest, key=lambda entry: (-entry[0], entry[1]))


def _count_drift(counts: Counter[str], drift: Any) -> None:
    if not isinstance(drift, dict):
        return
    for status, paths in (drift.get("files") or {}).items():
        counts[f"files {status}d"] += len(paths)  # created, updated, removed
    counts["jobs added"] += len(drift.get("jobs_added") or ())
    counts["jobs removed"] += len(drift.get("jobs_removed") or ())
    counts["keys changed"] += sum(len(keys) for keys in (drift.get("keys_changed") or {}).values())


def summarise(records: Iterable[Record]) -> Summary:
    """The summary of ``records``."""
    summary = Summary()
    for record in records:
        summary.add(record)
    return summary
