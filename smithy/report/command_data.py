"""JSON-ready data of the smaller commands' results (``--format json``), one function each.

Each returns plain dicts and lists in a stable order, so the JSON is byte-identical from run
to run and scripts can rely on the keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from smithy.build.plan import BuildPlan
from smithy.build.runner import BuildRun
from smithy.github.ci_register import CiRegistration
from smithy.github.verdicts import MaintainerCheck
from smithy.init_feedstock import InitResult
from smithy.pinning.cache import CachedPinning


def pinning_list_data(cache_dir: Path, entries: Iterable[CachedPinning]) -> dict[str, Any]:
    """``smithy pinning list``: the cached versions, oldest first."""
    return {
        "cache_dir": str(cache_dir),
        "pinnings": [
            {
                "version": entry.package.version,
                "build": entry.package.build,
                "channel": entry.package.channel,
                "sha256": entry.package.sha256,
                "folder": str(entry.folder),
            }
            for entry in entries
        ],
    }


def maintainers_data(recipe: str, checks: Sequence[MaintainerCheck]) -> dict[str, Any]:
    """``smithy maintainers check``: one verdict per maintainer entry."""
    return {
        "recipe": recipe,
        "ok": bool(checks) and all(check.ok for check in checks),
        "maintainers": [
            {"name": check.name, "status": check.status.value, "message": check.message}
            for check in checks
        ],
    }


def build_data(plan: BuildPlan, run: BuildRun, *, planned: bool) -> dict[str, Any]:
    """``smithy build``: the plan (``--dry-run``) or the outcome of each step."""
    return {
        "platform": plan.platform,
        "channel": str(plan.channel),
        "planned": planned,
        "ok": run.ok,
        "steps": [
            {
                "feedstock": result.step.name,
                "wave": result.step.wave + 1,
                "kind": str(result.step.kind),
                "recipe": str(result.step.recipe),
                "status": str(result.status),
                "seconds": round(result.seconds, 3),
                "packages": list(result.packages),
                "message": result.message,
                "log_tail": list(result.log_tail),
            }
            for result in run.results
        ],
    }


def init_data(result: InitResult) -> dict[str, Any]:
    """``smithy init``: what was created."""
    return {
        "feedstock_dir": str(result.feedstock_dir),
        "feedstock_name": result.feedstock_name,
        "recipe_format": str(result.recipe_format),
        "rerendered": result.rerendered,
        "commit": result.commit,
    }


def registration_data(result: CiRegistration) -> dict[str, Any]:
    """``smithy register-ci``: each step's outcome (secret values never appear)."""
    return {
        "repository": result.full_name,
        "dry_run": result.dry_run,
        "changed": result.changed,
        "steps": [
            {"step": s.step, "subject": s.subject, "change": s.change.value, "note": s.note}
            for s in result.results
        ],
    }
