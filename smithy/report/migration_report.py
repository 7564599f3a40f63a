"""Text and JSON views of migration work: next, apply, why, close and solvability."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from smithy.bot.close import ClosePlan
from smithy.bot.explain import MigrationWhy
from smithy.bot.model import ApplyResult, JobResult, Outcome
from smithy.bot.order import NextReport
from smithy.rerender.writer import unified_diff
from smithy.safe_text import visible


def next_text(report: NextReport) -> str:
    """Eligible feedstocks (the current wave), later waves, waiting, in progress, done."""
    lines = [f"{report.migration}: {len(report.eligible)} eligible now"]
    lines += [f"  {name}" for name in report.eligible]
    for index, wave in enumerate(report.waves[1:], start=2):
        lines.append(f"wave {index}: " + ", ".join(wave))
    for name, parents in report.waiting.items():
        lines.append(f"waiting: {name} (on {', '.join(parents)})")
    if report.in_progress:
        lines.append("in progress: " + ", ".join(report.in_progress))
    for name, reason in report.not_solvable.items():
        lines.append(f"not solvable: {name} ({reason})")
    lines.append(f"done: {len(report.done)}")
    return _joined(lines)


def _outcome_detail(result: ApplyResult) -> str:
    if result.outcome is Outcome.waiting:
        return "parents pending: " + ", ".join(result.pending_parents) + " (--force overrides)"
    if result.outcome is Outcome.untouched:
        return "no CI job changes; left alone"
    if result.outcome is Outcome.not_solvable:
        bad = [job.job for job in result.solvability if not job.solvable]
        return "jobs that do not solve: " + ", ".join(bad) + " (--format json gives the reasons)"
    if result.outcome in (Outcome.applied, Outcome.planned):
        jobs = f"{len(result.changed_jobs)} job(s) change, {len(result.changes)} file(s)"
        where = f" on {result.branch} ({(result.commit or '')[:12]})" if result.commit else ""
        forced = " [forced past " + ", ".join(result.pending_parents) + "]"
        return jobs + where + (forced if result.pending_parents else "")
    return "already migrated"


def apply_line(result: ApplyResult) -> str:
    """One line per feedstock: path, outcome, detail."""
    return visible(f"{result.feedstock}: {result.outcome.value}: {_outcome_detail(result)}")


def apply_data(result: ApplyResult) -> dict[str, Any]:
    """One feedstock's result as JSON data."""
    return {
        "feedstock": str(result.feedstock),
        "outcome": result.outcome.value,
        "branch": result.branch,
        "commit": result.commit,
        "pending_parents": list(result.pending_parents),
        "changed_jobs": list(result.changed_jobs),
        "jobs_before": list(result.jobs_before),
        "jobs_after": list(result.jobs_after),
        "files": [change.path for change in result.changes],
        "build_number": list(result.build_number) if result.build_number else None,
        "pr_body": str(result.pr_body_path) if result.pr_body_path else None,
        "solvability": [job.to_json() for job in result.solvability],
    }


def apply_diff(result: ApplyResult) -> str:
    """The dry run's diff, paths prefixed by the feedstock folder name."""
    return unified_diff(result.changes)


def why_text(why: MigrationWhy) -> str:
    """The facts, then parents with their states and the children."""
    lines = [f"{why.name}: {why.status.value}"]
    lines += [f"  - {reason}" for reason in why.reasons]
    for parent, state in why.parents.items():
        lines.append(f"  parent {parent}: {state}")
    if why.children:
        lines.append("  children waiting on it: " + ", ".join(why.children))
    return _joined(lines)


def _joined(lines: Sequence[str]) -> str:
    return "".join(visible(line) + "\n" for line in lines)


def close_text(plan: ClosePlan, *, dry_run: bool) -> str:
    """The pinning diff and what was (or would be) done."""
    diff = difflib.unified_diff(
        plan.old.splitlines(keepends=True),
        plan.new.splitlines(keepends=True),
        f"a/{plan.cbc.name}",
        f"b/{plan.cbc.name}",
    )
    verb = "would fold" if dry_run else "folded"
    summary = f"{verb} {', '.join(plan.replaced + plan.added)} into {plan.cbc}; "
    summary += f"{'would delete' if dry_run else 'deleted'} {plan.migration_file}"
    return "".join(diff) + visible(summary) + "\n"


def close_data(plan: ClosePlan, *, dry_run: bool) -> dict[str, Any]:
    """The close-out as JSON data."""
    return {
        "pinning": str(plan.cbc),
        "replaced": list(plan.replaced),
        "added": list(plan.added),
        "deleted": str(plan.migration_file),
        "dry_run": dry_run,
    }


def solvable_text(results: Sequence[JobResult]) -> str:
    """Per job: solvable, or each failing environment with the solver's explanation."""
    lines = []
    for job in results:
        virtual = ", ".join(f"{k} {v}" for k, v in job.virtual.items())
        verdict = "solvable" if job.solvable else "NOT solvable"
        lines.append(f"{job.job} ({job.platform}; {virtual}): {verdict}")
        for env in job.envs:
            if not env.solvable:
                lines.append(f"  {env.env} ({env.platform}):")
                lines += [f"    {line}" for line in env.reason.splitlines()]
    good = sum(job.solvable for job in results)
    lines.append(f"{good} of {len(results)} job(s) solvable")
    return _joined(lines)
