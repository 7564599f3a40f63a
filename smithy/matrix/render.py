"""Render a feedstock per platform and variant into its build matrix: the one join of its inputs.

``render_matrix`` gives the whole build matrix a rerender writes (conda-forge.yml's build
targets, migrations applied, jobs collapsed); lint, the graph and the rerender all use it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.errors import SmithyError, Span
from smithy.matrix.jobs import PlatformJobs, Target, all_jobs, platform_jobs, targets_for
from smithy.matrix.model import CiJob
from smithy.matrix.recipe_render import check_platforms
from smithy.matrix.space import RecipeInputs, config_in, recipe_inputs
from smithy.pinning.model import PinningSource
from smithy.recipe.jinja_memo import render_session
from smithy.recipe.load import load_recipe
from smithy.recipe.model import RawRecipe, RenderedRecipe
from smithy.records import record
from smithy.variants.migrations import find_feedstock_migrations, select_migrations
from smithy.work_sharing import run_shared

ProgressFn = Callable[[str], None]

# CPU seconds the first platform must take before the others are shared with helper processes:
# below it, forking and pickling the results cost about what a helper would save.
_WORTH_A_HELPER = 0.05


@record
class FeedstockMatrix:
    """The build matrix of a feedstock, with what produced it.

    Attributes:
        recipe: the recipe that was rendered.
        config: the feedstock's conda-forge.yml.
        platforms: one entry per rendered target platform.
        jobs: every CI job, sorted by provider then name.
        finished_migrations: feedstock migration files the pinning no longer has.
        applied_migrations: migration files applied (feedstock or pinning copies).
    """

    recipe: RawRecipe
    config: FeedstockConfig
    platforms: tuple[PlatformJobs, ...]
    jobs: tuple[CiJob, ...]
    finished_migrations: tuple[Path, ...]
    applied_migrations: tuple[Path, ...]

    @property
    def renders(self) -> tuple[RenderedRecipe, ...]:
        """Every rendered variant of every platform, platform by platform."""
        return tuple(render for p in self.platforms for render in p.rendered.renders)


def _recipe_path(feedstock: Path, config: FeedstockConfig) -> Path:
    folder = feedstock / config.recipe_dir
    if not folder.is_dir():
        message = f"no recipe folder '{config.recipe_dir}' in the feedstock"
        raise SmithyError(message, Span(str(feedstock)))
    return folder


def render_matrix(
    raw: RawRecipe,
    config: FeedstockConfig,
    pinning: PinningSource,
    *,
    feedstock: Path | None = None,
    platforms: Sequence[str] = (),
    progress: ProgressFn | None = None,
    helpers: int = 0,
) -> FeedstockMatrix:
    """Render ``raw`` per target platform and variant and collapse it into CI jobs.

    Args:
        raw: the recipe.
        config: the feedstock's conda-forge.yml (defaults for a recipe outside a feedstock).
        pinning: the global pinning.
        feedstock: the feedstock root, whose ``.ci_support/migrations`` apply; None for none.
        platforms: render these target platforms instead of conda-forge.yml's build targets.
        progress: called with a short message as each platform is rendered.
        helpers: at most this many forked processes render platforms alongside this one
            (``work_sharing``: the same matrix, sooner on several CPUs); 0 for none.

    Raises:
        SmithyError: any bad input (recipe, variant or migration files, unknown platform).
    """
    check_platforms(platforms)
    found = find_feedstock_migrations(feedstock) if feedstock is not None else []
    use, finished = select_migrations(found, pinning.migrations_dir)
    inputs = recipe_inputs(raw, pinning.cbc, config=config, migrations=use)
    with render_session():  # variants reading equal values share one jinja render
        results = _render_targets(inputs, targets_for(config, platforms), progress, helpers)
    return FeedstockMatrix(
        recipe=raw,
        config=config,
        platforms=tuple(results),
        jobs=tuple(all_jobs(results)),
        finished_migrations=tuple(finished),
        applied_migrations=tuple(use),
    )


def _render_targets(
    inputs: RecipeInputs, targets: list[Target], progress: ProgressFn | None, helpers: int
) -> list[PlatformJobs]:
    """Each target's jobs, in target order; the others shared with helpers if the first was slow.

    The first target is rendered here alone: it fills the memos and compiled templates that
    forked helpers then start with, and its CPU time tells whether helpers are worth forking.
    """

    def announce(target: Target) -> None:
        if progress is not None:
            progress(f"rendering {target.platform}")

    def render(target: Target) -> PlatformJobs:
        return platform_jobs(inputs, target)

    if not targets:
        return []
    started = time.process_time()
    announce(targets[0])
    first = render(targets[0])
    if time.process_time() - started < _WORTH_A_HELPER:
        helpers = 0
    return [first, *run_shared(targets[1:], render, helpers=helpers, on_start=announce)]


def render_feedstock(
    feedstock: Path,
    pinning: PinningSource,
    *,
    platforms: Sequence[str] = (),
    progress: ProgressFn | None = None,
    helpers: int = 0,
) -> FeedstockMatrix:
    """Render the feedstock's recipe on every built platform and collapse it into CI jobs.

    ``helpers``: forked processes rendering platforms alongside this one (see ``render_matrix``).

    Raises:
        SmithyError: any bad input (recipe, conda-forge.yml, variant or migration files).
    """
    config = config_in(feedstock)
    raw = load_recipe(_recipe_path(feedstock, config))
    return render_matrix(
        raw,
        config,
        pinning,
        feedstock=feedstock,
        platforms=platforms,
        progress=progress,
        helpers=helpers,
    )
