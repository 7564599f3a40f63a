"""Assemble a feedstock's full rerender plan from the matrix and the file generators."""

from __future__ import annotations

from pathlib import Path

from smithy import __version__
from smithy.matrix.jobs import repo_name
from smithy.matrix.render import FeedstockMatrix
from smithy.pinning.model import PinningSource
from smithy.recipe.model import RenderedOutput, RenderedRecipe
from smithy.rerender.ci_yaml import ci_support_files
from smithy.rerender.feedstock_files import feedstock_files
from smithy.rerender.manifest import MANIFEST_PATH, build_manifest, manifest_file, read_manifest
from smithy.rerender.model import FeedstockFacts, FeedstockPlan, PlannedFile
from smithy.rerender.providers.registry import known_ci_paths, provider_files
from smithy.rerender.removal import is_skipped, paths_to_remove


def _first_render(matrix: FeedstockMatrix) -> RenderedRecipe | None:
    for platform in matrix.platforms:
        for recipe in platform.rendered.renders:
            return recipe
    return None


def _built_outputs(matrix: FeedstockMatrix) -> list[RenderedOutput]:
    return [
        output
        for platform in matrix.platforms
        for recipe in platform.rendered.renders
        for output in recipe.outputs
        if not output.is_staging and not output.skip
    ]


def feedstock_facts(feedstock: Path, matrix: FeedstockMatrix) -> FeedstockFacts:
    """What the README and workflows say about the recipe, from its renders."""
    first = _first_render(matrix)
    built = _built_outputs(matrix)
    config = matrix.config
    if first is None:  # no platform is built: name the feedstock after its folder
        name = feedstock.name.removesuffix("-feedstock")
        return FeedstockFacts(name, "", (), f"{name}-feedstock", "meta.yaml", config.recipe_dir)
    maintainers = first.extra.get("recipe-maintainers") or ()
    return FeedstockFacts(
        name=first.name,
        version=first.version,
        outputs=tuple(sorted({output.name for output in built})),
        feedstock_name=config.github.repo_name or repo_name(first),
        recipe_file=first.raw.path.name,
        recipe_dir=config.recipe_dir,
        about=dict(first.about),
        maintainers=tuple(str(m) for m in maintainers) if isinstance(maintainers, list) else (),
        noarch_python=bool(built) and all(output.noarch == "python" for output in built),
    )


def build_plan(feedstock: Path, matrix: FeedstockMatrix, pinning: PinningSource) -> FeedstockPlan:
    """Every file the rerender wants and every generated file it drops.

    Files named in ``skip_render`` are neither written nor removed; which existing files go is
    decided by :func:`smithy.rerender.removal.paths_to_remove` alone.
    """
    config = matrix.config
    facts = feedstock_facts(feedstock, matrix)
    files: dict[str, PlannedFile] = dict(ci_support_files(matrix.jobs))
    files.update(feedstock_files(matrix.jobs, config, facts, feedstock))
    written = provider_files(matrix.jobs, config, facts, feedstock)
    files.update(written)
    skip = config.skip_render
    files = {path: planned for path, planned in files.items() if not is_skipped(path, skip)}
    pinning_text = f"{pinning.origin} {pinning.version}"
    manifest = build_manifest(files, smithy_version=__version__, pinning=pinning_text)
    files[MANIFEST_PATH] = manifest_file(manifest)
    previous = read_manifest(feedstock)
    remove = paths_to_remove(
        feedstock,
        planned=files,
        generated_before=None if previous is None else previous.paths,
        skip_render=skip,
        providers={job.provider for job in matrix.jobs},
        ci_paths=known_ci_paths(),
        finished_migrations=(
            path.relative_to(feedstock).as_posix() for path in matrix.finished_migrations
        ),
    )
    return FeedstockPlan(files=files, remove=remove, pinning=pinning_text)
