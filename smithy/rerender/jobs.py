"""Turn a recipe and its feedstock config into the CI jobs of every platform it is built on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from smithy.config.providers import platform_subdir
from smithy.config.schema import FeedstockConfig
from smithy.recipe.model import RecipeFormat, RenderedRecipe
from smithy.recipe.variant_render import PlatformVariants, render_platform_variants
from smithy.rerender.collapse import Collapsed, collapse
from smithy.rerender.metas import rendered_metas
from smithy.rerender.model import CiJob
from smithy.rerender.script_vars import text_variables
from smithy.variants.macos import merge_deployment_target
from smithy.variants.model import VariantConfig
from smithy.variants.naming import config_name, short_config_name, windows_safe_config_name
from smithy.variants.noarch import newest_python_only
from smithy.variants.space import RecipeInputs, platform_space


@dataclass(frozen=True, slots=True)
class Target:
    """A platform some provider builds, with what conda-forge.yml says about it."""

    platform: str
    build_platform: str
    providers: tuple[str, ...]
    keep_noarch: bool


@dataclass(frozen=True, slots=True)
class PlatformJobs:
    """One platform's matrix: its variant space, renders and jobs (for reports and explain)."""

    target: Target
    space: VariantConfig
    rendered: PlatformVariants
    collapsed: Collapsed
    jobs: tuple[CiJob, ...]


def build_targets(config: FeedstockConfig) -> list[Target]:
    """Return every target platform with a provider, in conda-forge.yml's platform order."""
    targets: list[Target] = []
    for key in config.build_platform:
        platform = platform_subdir(key)
        build_platform = config.build_platform_for(platform)
        providers = config.provider_for(build_platform)
        if providers:
            keep = key in config.noarch_platforms
            targets.append(Target(platform, build_platform, providers, keep))
    return targets


def repo_name(recipe: RenderedRecipe) -> str:
    """``<extra.feedstock-name or package name>-feedstock``, as conda-smithy names the repo."""
    return f"{recipe.extra.get('feedstock-name') or recipe.name}-feedstock"


def _repo_name(inputs: RecipeInputs, rendered: PlatformVariants) -> str:
    if rendered.renders:
        return repo_name(rendered.renders[0])
    return inputs.raw.recipe_dir.parent.name


def _finalize(job: dict[str, Any], build_platform: str, fallback_image: str) -> dict[str, Any]:
    """Linux jobs keep one docker image (and the first value of its zip partners)."""
    if not build_platform.startswith("linux"):
        return job
    images = job.get("docker_image")
    job["docker_image"] = [images[0]] if images else [fallback_image]
    for group in job.get("zip_keys", ()):
        if "docker_image" in group:
            for key in group:
                if key != "docker_image" and job.get(key):
                    job[key] = [job[key][0]]
    return job


def _jobs(
    target: Target,
    collapsed: Collapsed,
    config: FeedstockConfig,
    repo: str,
) -> list[CiJob]:
    os_name, _, arch = target.platform.partition("-")
    jobs: list[CiJob] = []
    for values in collapsed.configs:
        top = {key: values[key] for key in collapsed.top_level if key in values}
        full = config_name(os_name, arch, top)
        name = windows_safe_config_name(full, repo)
        job_config = _finalize(dict(values), target.build_platform, config.docker.fallback_image)
        platform = str(job_config.get("target_platform", [target.platform])[0])
        for provider in target.providers:
            jobs.append(
                CiJob(
                    config_name=name,
                    config_name_short=short_config_name(full),
                    platform=platform,
                    build_platform=target.build_platform,
                    provider=provider,
                    upload=_uploads(config, provider),
                    config=job_config,
                )
            )
    return jobs


def _uploads(config: FeedstockConfig, provider: str) -> bool:
    settings: object = getattr(config, provider, None)
    if isinstance(settings, Mapping):
        return bool(settings.get("upload_packages", True))
    return bool(getattr(settings, "upload_packages", True))


def _noarch_meta_yaml(inputs: RecipeInputs, rendered: PlatformVariants) -> bool:
    # conda-build renders a noarch meta.yaml with the newest python only; rattler-build has
    # its own rule (python leaves a noarch: python output's variant), applied while rendering.
    if inputs.raw.format is not RecipeFormat.V0 or not rendered.renders:
        return False
    first = rendered.renders[0]
    build = first.data.get("build")
    top_noarch = isinstance(build, dict) and bool(build.get("noarch"))
    single = len(first.outputs) == 1 and bool(first.outputs[0].noarch)
    return top_noarch or single


def platform_jobs(inputs: RecipeInputs, target: Target) -> PlatformJobs:
    """Render the recipe for one target platform and collapse it into jobs.

    Raises:
        SmithyError: bad recipe, variant or migration input.
    """
    space, context = platform_space(inputs, target.platform)
    space = merge_deployment_target(space, target.platform)
    rendered = render_platform_variants(inputs.raw, space, context)
    if _noarch_meta_yaml(inputs, rendered):
        space = newest_python_only(space)
        rendered = render_platform_variants(inputs.raw, space, context)
    metas = rendered_metas(inputs.raw, rendered, space, target.keep_noarch)
    keep = {"github_actions_labels"} if "github_actions" in target.providers else set()
    collapsed = collapse(space, metas, keep_keys=keep, extra_used=text_variables(inputs.raw))
    repo = _repo_name(inputs, rendered)
    jobs = _jobs(target, collapsed, inputs.config, repo)
    return PlatformJobs(target, space, rendered, collapsed, tuple(jobs))


def all_jobs(per_platform: Iterable[PlatformJobs]) -> list[CiJob]:
    """Every job of every platform, sorted by provider then name."""
    jobs = [job for platform in per_platform for job in platform.jobs]
    return sorted(jobs, key=lambda job: (job.provider, job.config_name))
