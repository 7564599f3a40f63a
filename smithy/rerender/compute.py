"""Compute a feedstock's rerender plan: every file it wants and every generated file to drop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.errors import SmithyError, Span
from smithy.recipe.load import load_recipe
from smithy.rerender.ci_yaml import dump_job_config
from smithy.rerender.jobs import PlatformJobs, all_jobs, build_targets, platform_jobs
from smithy.rerender.model import CiJob, PlannedFile
from smithy.variants.migrations import find_feedstock_migrations, select_migrations
from smithy.variants.source import PinningSource
from smithy.variants.space import config_in, recipe_inputs

ProgressFn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class MatrixResult:
    """The build matrix of a feedstock, with what produced it.

    Attributes:
        config: the feedstock's conda-forge.yml.
        platforms: one entry per built target platform.
        jobs: every CI job, sorted by provider then name.
        finished_migrations: feedstock migration files the pinning no longer has.
        applied_migrations: migration files applied (feedstock or pinning copies).
    """

    config: FeedstockConfig
    platforms: tuple[PlatformJobs, ...]
    jobs: tuple[CiJob, ...]
    finished_migrations: tuple[Path, ...]
    applied_migrations: tuple[Path, ...]


def _recipe_path(feedstock: Path, config: FeedstockConfig) -> Path:
    folder = feedstock / config.recipe_dir
    if not folder.is_dir():
        message = f"no recipe folder '{config.recipe_dir}' in the feedstock"
        raise SmithyError(message, Span(str(feedstock)))
    return folder


def compute_matrix(
    feedstock: Path,
    pinning: PinningSource,
    *,
    progress: ProgressFn | None = None,
) -> MatrixResult:
    """Render the feedstock's recipe on every built platform and collapse it into CI jobs.

    Raises:
        SmithyError: any bad input (recipe, conda-forge.yml, variant or migration files).
    """
    config = config_in(feedstock)
    raw = load_recipe(_recipe_path(feedstock, config))
    migrations = find_feedstock_migrations(feedstock)
    use, finished = select_migrations(migrations, pinning.migrations_dir)
    inputs = recipe_inputs(raw, pinning.cbc, config=config, migrations=use)
    results: list[PlatformJobs] = []
    for target in build_targets(config):
        if progress is not None:
            progress(f"rendering {target.platform}")
        results.append(platform_jobs(inputs, target))
    return MatrixResult(
        config=config,
        platforms=tuple(results),
        jobs=tuple(all_jobs(results)),
        finished_migrations=tuple(finished),
        applied_migrations=tuple(use),
    )


def ci_support_files(jobs: Sequence[CiJob]) -> dict[str, PlannedFile]:
    """The ``.ci_support/*.yaml`` file of every job (shared by providers of one platform)."""
    files: dict[str, PlannedFile] = {}
    for job in jobs:
        files.setdefault(job.ci_support_path, PlannedFile(dump_job_config(job.config).encode()))
    return files
