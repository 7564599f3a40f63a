"""A fleet run's summary for the terminal: counts by status, slowest feedstocks, failures."""

from __future__ import annotations

from smithy.fleet.model import STATUSES
from smithy.fleet.summary import Summary
from smithy.safe_text import visible


def progress_line(done: int, total: int, record: dict[str, object]) -> str:
    """One plain line per finished feedstock (for logs, where a progress bar cannot draw)."""
    line = f"[{done}/{total}] {record['name']} {record['status']} {record['seconds']}s"
    error = record.get("error")
    return visible(f"{line}: {error}" if error else line)


def summary_text(summary: Summary) -> str:
    """The summary table shown after a run and by ``fleet status``."""
    width = max(len(status) for status in STATUSES)
    lines = [f"{'status':<{width}}  feedstocks"]
    lines += [f"{status:<{width}}  {summary.by_status.get(status, 0):>10}" for status in STATUSES]
    lines.append(f"{'total':<{width}}  {summary.total:>10}   ({summary.seconds:.1f} s of work)")
    if summary.drift_by_kind:
        drift = ", ".join(
            f"{kind} {count}" for kind, count in sorted(summary.drift_by_kind.items())
        )
        lines.append(f"drift: {drift}")
    if summary.findings_by_rule:
        top = summary.findings_by_rule.most_common(5)
        lines.append("findings: " + ", ".join(f"{code} {count}" for code, count in top))
    slowest = summary.slowest_first()[:5]
    if slowest:
        lines.append("slowest: " + ", ".join(f"{name} {sec:.2f}s" for sec, name in slowest))
    for name, status, error in summary.failures:
        lines.append(visible(f"{status}: {name}: {error}"))
    hidden = summary.failed - len(summary.failures)
    if hidden > 0:
        lines.append(f"... and {hidden} more failed (see the results file)")
    return "\n".join(lines) + "\n"
