"""The CI providers smithy renders, in order, and the CI files of a feedstock they add up to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.rerender.ci_views import JobView, SupportNeeds, ci_secrets
from smithy.rerender.model import FeedstockFacts, PlannedFile
from smithy.rerender.providers.azure import Azure
from smithy.rerender.providers.base import CiProvider, is_skipped
from smithy.rerender.providers.github_actions import GithubActions
from smithy.rerender.scripts import SCRIPT_PATHS, script_files, scripts_view, wanted_scripts

# Adding a provider: a module with a CiProvider subclass, its templates, and one line here.
PROVIDERS: tuple[CiProvider, ...] = (
    Azure(),
    GithubActions(),
)

_OLD_SCRIPT_NAMES = (
    "run_docker_build.sh",
    "build_steps.sh",
    "run_osx_build.sh",
    "run_win_build.bat",
    "create_conda_build_artifacts.bat",
    "create_conda_build_artifacts.sh",
    "create_pagefile.bat",
    "create_pagefile.sh",
    "SetPageFileSize.ps1",
    "free_disk_space.sh",
)
# Files conda-smithy generated for retired providers and layouts; a rerender deletes them.
# .circleci/config.yml stays: conda-smithy keeps it as a do-nothing placeholder.
LEGACY_PATHS: tuple[str, ...] = (
    ".appveyor.yml",
    ".drone.yml",
    ".github/CONTRIBUTING.md",
    ".github/ISSUE_TEMPLATE.md",
    ".github/PULL_REQUEST_TEMPLATE.md",
    ".github/workflows/automerge.yml",
    ".github/workflows/main.yml",
    ".github/workflows/webservices.yml",
    ".travis.yml",
    ".woodpecker.yml",
    "LICENSE",
    "appveyor.yml",
    "ci_support/checkout_merge_commit.sh",
    "ci_support/fast_finish_ci_pr_build.sh",
    "ci_support/run_docker_build.sh",
    "ci_support/upload_or_check_non_existence.py",
    "circle.yml",
    "disabled_appveyor.yml",
    ".circleci/checkout_merge_commit.sh",
    ".circleci/fast_finish_ci_pr_build.sh",
    *(
        f"{folder}/{name}"
        for folder in (".azure-pipelines", ".circleci", ".drone", ".travis")
        for name in _OLD_SCRIPT_NAMES
    ),
)


def known_ci_paths() -> tuple[str, ...]:
    """Return every CI path smithy may generate or delete, sorted."""
    owned = (path for provider in PROVIDERS for path in provider.owned_paths())
    return tuple(sorted({*owned, *SCRIPT_PATHS, *LEGACY_PATHS}))


def provider_files(
    jobs: Sequence[CiJob], config: FeedstockConfig, facts: FeedstockFacts, feedstock_dir: Path
) -> tuple[dict[str, PlannedFile], tuple[str, ...]]:
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
        The files to write (path -> content and mode) and the sorted paths to delete: CI files
        smithy or conda-smithy generated that the plan no longer has. Paths in
        ``skip_render`` (or below one) are in neither.

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
    planned = {path: file for path, file in files.items() if not is_skipped(path, skip)}
    stale = tuple(
        path for path in known_ci_paths() if path not in files and not is_skipped(path, skip)
    )
    return planned, stale
