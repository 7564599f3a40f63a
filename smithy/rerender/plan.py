"""Assemble a feedstock's full rerender plan from the matrix and the file generators."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from smithy import __version__
from smithy.recipe.model import RenderedRecipe
from smithy.rerender.compute import MatrixResult, ci_support_files
from smithy.rerender.feedstock_files import feedstock_files
from smithy.rerender.legacy import is_skipped, obsolete_paths, stale_generated_paths
from smithy.rerender.manifest import (
    MANIFEST_PATH,
    build_manifest,
    manifest_file,
    read_manifest,
    stale_paths,
)
from smithy.rerender.model import FeedstockFacts, FeedstockPlan, PlannedFile
from smithy.rerender.providers.registry import provider_files
from smithy.variants.source import PinningSource


def _first_render(matrix: MatrixResult) -> RenderedRecipe | None:
    for platform in matrix.platforms:
        for recipe in platform.rendered.renders:
            return recipe
    return None


def feedstock_facts(feedstock: Path, matrix: MatrixResult) -> FeedstockFacts:
    """What the README and workflows say about the recipe, from its renders."""
    first = _first_render(matrix)
    outputs = sorted(
        {
            output.name
            for platform in matrix.platforms
            for recipe in platform.rendered.renders
            for output in recipe.outputs
            if not output.is_staging and not output.skip
        }
    )
    built = [
        output
        for platform in matrix.platforms
        for recipe in platform.rendered.renders
        for output in recipe.outputs
        if not output.is_staging and not output.skip
    ]
    name = first.name if first is not None else feedstock.name.removesuffix("-feedstock")
    extra: Mapping[str, object] = first.extra if first is not None else {}
    maintainers = extra.get("recipe-maintainers") or ()
    feedstock_name = str(extra.get("feedstock-name") or name)
    return FeedstockFacts(
        name=name,
        version=first.version if first is not None else "",
        outputs=tuple(outputs),
        feedstock_name=matrix.config.github.repo_name or f"{feedstock_name}-feedstock",
        recipe_file=first.raw.path.name if first is not None else "meta.yaml",
        recipe_dir=matrix.config.recipe_dir,
        about=dict(first.about) if first is not None else {},
        maintainers=tuple(str(m) for m in maintainers) if isinstance(maintainers, list) else (),
        noarch_python=bool(built) and all(output.noarch == "python" for output in built),
    )


def build_plan(feedstock: Path, matrix: MatrixResult, pinning: PinningSource) -> FeedstockPlan:
    """Every file the rerender wants and every generated file it drops.

    Files named in ``skip_render`` are neither written nor removed. Removal covers finished
    migrations, job files and other generated files no longer planned (by the previous
    manifest, or conda-smithy's list of generated paths), and files conda-smithy retired.
    """
    config = matrix.config
    facts = feedstock_facts(feedstock, matrix)
    files: dict[str, PlannedFile] = dict(ci_support_files(matrix.jobs))
    files.update(feedstock_files(matrix.jobs, config, facts, feedstock))
    written, retired = provider_files(matrix.jobs, config, facts, feedstock)
    files.update(written)
    skip = config.skip_render
    files = {path: planned for path, planned in files.items() if not is_skipped(path, skip)}
    pinning_text = f"{pinning.origin} {pinning.version}"
    manifest = build_manifest(files, smithy_version=__version__, pinning=pinning_text)
    files[MANIFEST_PATH] = manifest_file(manifest)
    providers = {job.provider for job in matrix.jobs}
    remove = {path.relative_to(feedstock).as_posix() for path in matrix.finished_migrations}
    remove.update(retired)
    remove.update(stale_paths(read_manifest(feedstock), files))
    remove.update(stale_generated_paths(feedstock, planned=files, skip_render=skip))
    remove.update(obsolete_paths(feedstock, skip_render=skip, providers=providers, planned=files))
    remove = {path for path in remove if path not in files and not is_skipped(path, skip)}
    return FeedstockPlan(files=files, remove=tuple(sorted(remove)), pinning=pinning_text)
