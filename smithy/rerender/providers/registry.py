"""The CI providers smithy renders, in order, and the CI files of a feedstock they add up to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.rerender.ci_views import JobView, SupportNeeds, ci_secrets
from smithy.rerender.model import FeedstockFacts, PlannedFile
from smithy.rerender.providers.azure import Azure
from smithy.rerender.providers.base import CiProvider
from smithy.rerender.providers.github_actions import GithubActions
from smithy.rerender.removal import is_skipped
from smithy.rerender.scripts import SCRIPT_PATHS, script_files, scripts_view, wanted_scripts

# Adding a provider: a module with a CiProvider subclass, its templates, and one line here.
PROVIDERS: tuple[CiProvider, ...] = (
    Azure(),
    GithubActions(),
)


def known_ci_paths() -> tuple[str, ...]:
    """Return every CI path smithy's providers and build scripts may generate, sorted."""
    owned = (path for provider in PROVIDERS for path in provider.owned_paths())
    return tuple(sorted({*owned, *SCRIPT_PATHS}))


def provider_files(
    jobs: Sequence[CiJob], config: FeedstockConfig, facts: FeedstockFacts, feedstock_dir: Path
) -> dict[str, PlannedFile]:
    """Plan a feedstock's CI files: provider workflows and the ``.scripts`` they run.

    Jobs are grouped by ``CiJob.provider``; a provider without jobs writes nothing (GitHub
    Actions keeps a never-running placeholder) and its files become stale. Jobs of a provider
    smithy does not render (travis, circle, ...) are left out.

    Args:
        jobs: every CI job of the feedstock, in ``.ci_support`` order.
        config: the feedstock's conda-forge.yml.
        facts: what the templates need to know about the recipe.
        feedstock_dir: the feedstock; its ``templates/`` overrides built-in templates and its
            recipe folder is checked for yum requirements and build-setup overrides.

    Returns:
        The files to write (path -> content and mode); none in or below ``skip_render``.

    Raises:
        ConfigError: ``yum_requirements.txt`` is unreadable or empty.
        TemplateError: a (feedstock-overridden) template fails to render.
    """
    files: dict[str, PlannedFile] = {}
    views: list[JobView] = []
    for provider in PROVIDERS:
        own = [
            job
            for job in jobs
            if job.provider == provider.name
            and job.build_platform.split("-", 1)[0] in provider.build_oses
        ]
        if own:
            provider_views = provider.job_views(own, config)
            views.extend(provider_views)
            files.update(provider.files(provider_views, config, facts, feedstock_dir))
        else:
            files.update(provider.disabled_files(config, facts, feedstock_dir))
    scripts = wanted_scripts({view.os for view in views}, SupportNeeds.of(views))
    view = scripts_view(config, facts, feedstock_dir, ci_secrets(config))
    files.update(script_files(scripts, view, feedstock_dir))
    skip = config.skip_render
    return {path: file for path, file in files.items() if not is_skipped(path, skip)}
