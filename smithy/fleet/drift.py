"""What a rerender changes, as plain data: files by status, CI jobs added/removed, keys changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from smithy.rerender.writer import FileChange

_JOB_DIR = ".ci_support/"
_JOB_SUFFIX = ".yaml"


def _job_name(path: str) -> str | None:
    # .ci_support/<job>.yaml only: migrations/ and README.md in that folder are not jobs.
    if path.startswith(_JOB_DIR) and path.endswith(_JOB_SUFFIX) and path.count("/") == 1:
        return path[len(_JOB_DIR) : -len(_JOB_SUFFIX)]
    return None


def _mapping(content: bytes | None) -> dict[str, Any]:
    try:
        data = YAML(typ="safe", pure=True).load(content or b"")
    except YAMLError:
        return {}  # a hand-broken job file: every key then counts as changed
    return data if isinstance(data, dict) else {}


def changed_keys(old: bytes | None, new: bytes | None) -> list[str]:
    """Top-level variant keys whose values differ between two ``.ci_support`` files."""
    before, after = _mapping(old), _mapping(new)
    return sorted(key for key in {*before, *after} if before.get(key) != after.get(key))


def drift_report(changes: Sequence[FileChange]) -> dict[str, Any]:
    """Summarise ``changes`` (from the rerender writer's ``compare``) as JSON-ready data."""
    files: dict[str, list[str]] = {"create": [], "update": [], "remove": []}
    added: list[str] = []
    removed: list[str] = []
    keys: dict[str, list[str]] = {}
    for change in changes:
        if not change.changes_anything:
            continue
        files[change.status].append(change.path)
        job = _job_name(change.path)
        if job is None:
            continue
        if change.status == "create":
            added.append(job)
        elif change.status == "remove":
            removed.append(job)
        else:
            keys[job] = changed_keys(change.old, change.new)
    return {
        "files": files,
        "jobs_added": added,
        "jobs_removed": removed,
        "keys_changed": keys,
    }


def drift_size(drift: dict[str, Any]) -> int:
    """How many files the drift touches."""
    return sum(len(paths) for paths in drift["files"].values())
