"""Parse many feedstocks into records: cached ones are read, the rest rendered in processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smithy.errors import SmithyError
from smithy.graph.cache import RecordCache, pinning_digest, record_key
from smithy.graph.discover import FeedstockDir, platforms_for
from smithy.graph.model import FeedstockRecord
from smithy.graph.parse import parse_feedstock
from smithy.pinning.source import resolve_pinning
from smithy.platforms import is_known_platform

# Below this many feedstocks to parse, starting worker processes costs more than it saves.
_INLINE_LIMIT = 4
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class CollectResult:
    """Records of a set of feedstocks and how they were obtained.

    Attributes:
        records: one per feedstock, sorted by name.
        parsed: how many were rendered in this run.
        cached: how many came from the cache.
    """

    records: tuple[FeedstockRecord, ...]
    parsed: int
    cached: int


@dataclass(frozen=True, slots=True)
class _Job:
    name: str
    path: Path
    platforms: tuple[str, ...]
    pinning: str | None
    environ: Mapping[str, str]


def _run(job: _Job) -> tuple[str, dict[str, Any]]:
    # Plain data crosses the process boundary: read-only mappings do not pickle.
    record = parse_feedstock(
        job.name, job.path, platforms=job.platforms, pinning=job.pinning, environ=job.environ
    )
    return record.name, record.to_json()


def _check_platforms(platforms: Sequence[str]) -> tuple[str, ...]:
    for platform in platforms:
        if not is_known_platform(platform) or platform == "noarch":
            raise SmithyError(f"unknown platform '{platform}' (expected e.g. linux-64, osx-arm64)")
    return tuple(platforms)


def _parse_all(jobs: list[_Job], workers: int, progress: Progress | None) -> list[FeedstockRecord]:
    done: list[FeedstockRecord] = []
    if workers <= 1 or len(jobs) <= _INLINE_LIMIT:
        for job in jobs:
            done.append(FeedstockRecord.from_json(*_run(job)))
            if progress:
                progress(len(done), len(jobs))
        return done
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for name, data in pool.map(_run, jobs, chunksize=chunk):
            done.append(FeedstockRecord.from_json(name, data))
            if progress:
                progress(len(done), len(jobs))
    return done


def collect_records(
    feedstocks: Sequence[FeedstockDir],
    *,
    platforms: Sequence[str] = (),
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> CollectResult:
    """Parse ``feedstocks`` (in parallel), reusing cached records whose inputs did not change.

    Args:
        feedstocks: from :func:`smithy.graph.discover.discover_feedstocks`.
        platforms: platforms to render; empty means each feedstock's CI platforms.
        pinning: the ``--pinning`` value (None for the default search).
        environ: the process environment (for the pinning search only).
        cache_dir: where records are cached; None disables the cache.
        workers: worker processes (default: the CPU count).
        progress: called with (done, total) as renders finish.

    Raises:
        SmithyError: bad platform or pinning, or the cache cannot be written.
    """
    env = dict(environ or {})
    requested = _check_platforms(platforms)
    source = resolve_pinning(pinning, env)
    digest = pinning_digest(source.cbc)
    cache = RecordCache(cache_dir) if cache_dir is not None else None
    records: dict[str, FeedstockRecord] = {}
    jobs: list[_Job] = []
    keys: dict[str, str] = {}
    for feedstock in feedstocks:
        chosen = platforms_for(feedstock.path, requested)
        key = record_key(feedstock.path, platforms=chosen, pinning_digest=digest)
        hit = cache.get(key, feedstock.name, feedstock.path) if cache else None
        if hit is not None:
            records[feedstock.name] = hit
            continue
        keys[feedstock.name] = key
        jobs.append(_Job(feedstock.name, feedstock.path, chosen, str(source.cbc), env))
    parsed = _parse_all(jobs, workers or os.cpu_count() or 1, progress)
    for record in parsed:
        records[record.name] = record
        if cache is not None:
            cache.put(keys[record.name], record)
    return CollectResult(
        records=tuple(records[name] for name in sorted(records)),
        parsed=len(parsed),
        cached=len(records) - len(parsed),
    )
