"""Text and JSON views of a rerender: file changes, the job matrix and where values came from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smithy.config.load import config_warnings
from smithy.config.schema import FeedstockConfig
from smithy.errors import Span
from smithy.matrix.jobs import PlatformJobs
from smithy.matrix.model import CiJob
from smithy.matrix.render import FeedstockMatrix
from smithy.pinning.model import PinningSource
from smithy.rerender.writer import FileChange, unified_diff
from smithy.safe_text import visible

if TYPE_CHECKING:
    from smithy.api import RerenderReport

_ORDER = ("create", "update", "remove", "identical")


def changes_text(
    changes: Iterable[FileChange], *, show_identical: bool = False, planned: bool = False
) -> str:
    """One ``status  path`` line per change (identical files only when asked), then a total.

    With ``planned`` (a dry run) the statuses read ``would create`` and so on: nothing was
    written.
    """
    rows = list(changes)

    def shown(status: str) -> str:
        return f"would {status}" if planned and status != "identical" else status

    width = 15 if planned else 9
    lines = [
        f"{shown(change.status):<{width}} {change.path}"
        for change in rows
        if show_identical or change.changes_anything
    ]
    counts: Counter[str] = Counter(change.status for change in rows)
    summary = ", ".join(f"{counts[status]} {shown(status)}" for status in _ORDER if counts[status])
    lines.append(summary or "nothing planned")
    return "\n".join(lines) + "\n"


def changes_data(changes: Iterable[FileChange]) -> list[dict[str, str]]:
    """The changes as JSON-ready records."""
    return [{"path": change.path, "status": change.status} for change in changes]


def _split_keys(platform: PlatformJobs) -> list[str]:
    return sorted(key for key in platform.collapsed.top_level if key != "target_platform")


def _value(job: CiJob, key: str) -> str:
    values = job.config.get(key) or ["-"]
    return str(values[0])


def matrix_text(matrix: FeedstockMatrix) -> str:
    """A table per platform: one row per job with the values of the keys that split jobs."""
    lines: list[str] = []
    for platform in matrix.platforms:
        target = platform.target
        head = f"{target.platform}"
        if target.build_platform != target.platform:
            head += f" (built on {target.build_platform})"
        keys = _split_keys(platform)
        lines.append(f"{head}: {len(platform.jobs)} job(s) via {', '.join(target.providers)}")
        if keys:
            lines.append("  splits on: " + ", ".join(keys))
        seen: set[str] = set()
        for job in platform.jobs:
            if job.config_name in seen:
                continue
            seen.add(job.config_name)
            values = "  ".join(f"{key}={_value(job, key)}" for key in keys)
            lines.append(f"  {job.config_name}" + (f"  [{values}]" if values else ""))
        if not platform.jobs:
            lines.append("  (no job: every variant is skipped)")
    total = len({job.config_name for job in matrix.jobs})
    lines.append(f"{total} job file(s)")
    return "\n".join(lines) + "\n"


def _origin(platform: PlatformJobs, key: str, value: str) -> str:
    space = platform.space
    values = space.values.get(key, ())
    origins = space.origins.get(key, ())
    for candidate, span in zip(values, origins, strict=False):
        if candidate == value:
            return str(span) if isinstance(span, Span) else "?"
    return "conda-build default"


def explain_text(matrix: FeedstockMatrix) -> str:
    """Every job with each splitting key's value and the file and line it came from."""
    lines: list[str] = []
    for platform in matrix.platforms:
        keys = _split_keys(platform)
        seen: set[str] = set()
        for job in platform.jobs:
            if job.config_name in seen:
                continue
            seen.add(job.config_name)
            lines.append(f"{job.config_name} ({job.platform}, {job.provider})")
            for key in keys:
                value = _value(job, key)
                lines.append(f"  {key} = {value}  <- {_origin(platform, key, value)}")
    if matrix.applied_migrations:
        lines.append("migrations applied: " + ", ".join(p.name for p in matrix.applied_migrations))
    return "\n".join(lines) + "\n"


def matrix_data(matrix: FeedstockMatrix) -> dict[str, Any]:
    """The matrix as JSON-ready data (jobs with their full configs)."""
    return {
        "jobs": [
            {
                "name": job.config_name,
                "short_name": job.config_name_short,
                "platform": job.platform,
                "build_platform": job.build_platform,
                "provider": job.provider,
                "upload": job.upload,
                "config": dict(sorted(job.config.items())),
            }
            for job in matrix.jobs
        ],
        "migrations": [path.name for path in matrix.applied_migrations],
    }


def _pinning_data(pinning: PinningSource) -> dict[str, str]:
    return {"source": pinning.origin, "version": pinning.version}


def rerender_data(report: RerenderReport) -> dict[str, Any]:
    """``smithy rerender --json``: the mode, the pinning, the job count and every change."""
    return {
        "mode": report.mode,
        "pinning": _pinning_data(report.pinning),
        "jobs": report.job_count,
        "out_of_date": report.out_of_date,
        "changes": changes_data(report.changes),
    }


def rerender_summary(report: RerenderReport, shown: Path, seconds: float) -> str:
    """The one summary line of a rerender (``rerendered PATH: 3 job(s), changed; ...``)."""
    verb = {"write": "rerendered", "dry-run": "planned", "check": "checked"}[report.mode]
    state = "out of date" if report.out_of_date else "up to date"
    if report.mode == "write":
        state = "changed" if report.out_of_date else "already up to date"
    pinning = pinning_text(report.pinning)
    return (
        f"{verb} {shown}: {report.job_count} job(s), {state}; pinning {pinning} ({seconds:.2f} s)"
    )


def diff_text(changes: Iterable[FileChange]) -> str:
    """A unified diff of every planned change (``smithy rerender --check``)."""
    return unified_diff(changes)


def variants_data(pinning: PinningSource, matrix: FeedstockMatrix) -> dict[str, Any]:
    """``smithy variants --json``: the matrix and the pinning it came from."""
    return {**matrix_data(matrix), "pinning": _pinning_data(pinning)}


def config_warnings_text(config: FeedstockConfig) -> str:
    """One ``path:line:col: warning: message`` line per conda-forge.yml problem let through.

    Unknown keys (with did-you-mean), deprecated keys and bot-section problems: rerendering
    goes on, but the user sees that a key they wrote is not read.
    """
    lines = [
        f"{issue.span}: warning: {visible(issue.message)}" for issue in config_warnings(config)
    ]
    return "".join(line + "\n" for line in lines)


def pinning_text(pinning: PinningSource) -> str:
    """How a summary line names the pinning: ``<path> (from <origin>, version <v>)``."""
    return f"{visible(str(pinning.path))} (from {pinning.origin}, version {pinning.version})"
