"""Can a CI job's build, host and run environments be solved? py-rattler answers, per job."""

from __future__ import annotations

import asyncio
import atexit
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rattler import (
    BuildString,
    Channel,
    Gateway,
    GenericVirtualPackage,
    MatchSpec,
    PackageName,
    RepoDataRecord,
    SourceConfig,
    Version,
    solve,
)
from rattler.exceptions import (
    CacheDirError,
    FetchRepoDataError,
    GatewayError,
    InvalidChannelError,
    InvalidMatchSpecError,
    InvalidUrlError,
    IoError,
    SolverError,
)

from smithy.bot.model import Channels, EnvResult, JobResult
from smithy.bot.virtual import virtual_packages
from smithy.errors import SmithyError, Span
from smithy.matrix.model import CiJob
from smithy.matrix.render import FeedstockMatrix
from smithy.recipe.model import RenderedRecipe

ENVIRONMENTS = ("build", "host", "run")
# rattler's runtime thread finishes handing a solve's result back just after Python has it;
# an interpreter that exits in that window aborts (rc 134/139, about one exit in four here).
# A short pause at exit, armed once by the first solver, closes the window (0 in 80 trials).
_EXIT_GRACE_S = 0.05
_grace_armed: list[bool] = []


def _arm_exit_grace() -> None:
    if not _grace_armed:
        atexit.register(time.sleep, _EXIT_GRACE_S)
        _grace_armed.append(True)


def _channel(source: str) -> Channel:
    folder = Path(source)
    if "://" not in source and folder.is_dir():
        return Channel(folder.resolve().as_uri())
    if "://" not in source and ("/" in source or source.startswith(".")):
        raise SmithyError(f"channel folder '{source}' does not exist")
    try:
        return Channel(source)
    except (InvalidChannelError, InvalidUrlError) as exc:
        raise SmithyError(f"bad channel '{source}': {exc}") from None


def _renders_of(matrix: FeedstockMatrix, job: CiJob) -> list[RenderedRecipe]:
    """The renders behind one job: those whose variant values the job's config holds."""
    for platform in matrix.platforms:
        if job not in platform.jobs:
            continue
        values = {k: {str(x) for x in v} for k, v in job.config.items() if isinstance(v, list)}
        return [
            render
            for render in platform.rendered.renders
            if all(str(v) in values[k] for k, v in render.variant.items() if k in values)
        ]
    return []


def _pinned(spec: str, variant: Mapping[str, str]) -> str:
    """A bare build/host name that is a variant key gets the job's value, as the builders do."""
    if len(spec.split()) != 1:
        return spec
    value = variant.get(spec.replace("-", "_"), variant.get(spec))
    if not value:
        return spec
    value = str(value)
    if value[0].isdigit() and " " not in value and "*" not in value:
        value += ".*"
    return f"{spec} {value}"


def _specs(renders: Iterable[RenderedRecipe], section: str) -> tuple[str, ...]:
    own: set[str] = set()
    wanted: dict[str, None] = {}
    for render in renders:
        for output in render.outputs:
            own.add(output.name)
            if output.skip or output.is_staging:
                continue
            for dep in output.requirements.section(section):
                spec = " ".join(dep.spec.split())
                if section in ("build", "host"):
                    spec = _pinned(spec, render.variant)
                wanted.setdefault(spec, None)
    # Sibling outputs are built by this very job; the channel cannot have them yet.
    return tuple(spec for spec in wanted if spec.split()[0] not in own)


def _virtual(found: Mapping[str, str]) -> list[GenericVirtualPackage]:
    return [
        GenericVirtualPackage(PackageName(name), Version(version), BuildString("0"))
        for name, version in sorted(found.items())
    ]


class Solver:
    """Solves environments through one rattler ``Gateway`` (repodata read once, then kept).

    The gateway holds repodata in memory between solves and frees it with itself; no
    ``SparseRepoData`` outlives a solve (one alive at exit crashes the interpreter).
    """

    def __init__(self, channels: Channels) -> None:
        _arm_exit_grace()
        self._channels = [_channel(source) for source in channels.sources]
        config = SourceConfig(
            cache_action="force-cache-only" if channels.offline else "cache-or-fetch"
        )
        self._gateway = Gateway(cache_dir=channels.cache_dir, default_config=config)

    def solve(
        self,
        specs: Sequence[str],
        platform: str,
        virtual: Mapping[str, str],
        pinned: Sequence[RepoDataRecord] = (),
    ) -> tuple[list[RepoDataRecord], str]:
        """(solution, "") or ([], the solver's explanation)."""
        try:
            parsed = [MatchSpec(spec) for spec in specs]
        except InvalidMatchSpecError as exc:
            return [], f"bad spec: {exc}"
        platforms = [platform] if platform == "noarch" else [platform, "noarch"]
        try:
            records = asyncio.run(
                solve(
                    self._channels,
                    parsed,
                    gateway=self._gateway,
                    platforms=platforms,  # type: ignore[arg-type]
                    virtual_packages=_virtual(virtual),
                    pinned_packages=list(pinned),
                )
            )
        except (SolverError, GatewayError, FetchRepoDataError, CacheDirError, IoError) as exc:
            # Each is this job's verdict (no solution, or no repodata to solve with).
            return [], str(exc).strip() or type(exc).__name__
        return records, ""


def check_job(solver: Solver, matrix: FeedstockMatrix, job: CiJob) -> JobResult:
    """Solve one job's build (on its build machine), host, and run against the host."""
    renders = _renders_of(matrix, job)
    target_virtual = virtual_packages(job, job.platform)
    results: list[EnvResult] = []
    host_records: list[RepoDataRecord] = []
    for env in ENVIRONMENTS:
        specs = _specs(renders, env)
        if not specs:
            continue
        platform = job.build_platform if env == "build" else job.platform
        virtual = virtual_packages(job, platform)
        pinned = host_records if env == "run" else []
        records, reason = solver.solve(specs, platform, virtual, pinned)
        if env == "host":
            host_records = records
        results.append(EnvResult(env, platform, specs, not reason, reason))
    return JobResult(job.config_name, job.platform, target_virtual, tuple(results))


def check_matrix(
    matrix: FeedstockMatrix,
    channels: Channels,
    *,
    jobs: Sequence[str] = (),
    where: Path | None = None,
) -> tuple[JobResult, ...]:
    """Solvability of every job of ``matrix`` (or those named in ``jobs``), sorted by job.

    Raises:
        SmithyError: ``jobs`` names a job the matrix lacks (``where``: the feedstock).
    """
    known = {job.config_name for job in matrix.jobs}
    for name in jobs:
        if name not in known:
            raise SmithyError(f"no CI job '{name}' (see .ci_support/)", Span(str(where or "")))
    solver = Solver(channels)
    chosen = [job for job in matrix.jobs if not jobs or job.config_name in jobs]
    seen: dict[str, JobResult] = {}
    for job in chosen:
        if job.config_name not in seen:  # one file may serve several providers
            seen[job.config_name] = check_job(solver, matrix, job)
    return tuple(seen[name] for name in sorted(seen))
