"""Turn a recipe and its feedstock config into the CI jobs of every platform it is built on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from smithy.config.providers import platform_subdir
from smithy.config.schema import FeedstockConfig
from smithy.errors import SmithyError
from smithy.matrix.collapse import Collapsed, collapse
from smithy.matrix.metas import rendered_metas
from smithy.matrix.model import CiJob
from smithy.matrix.script_vars import text_variables
from smithy.matrix.space import RecipeInputs, platform_space
from smithy.matrix.variant_render import PlatformVariants, render_platform_variants
from smithy.recipe.model import RecipeFormat, RenderContext, RenderedRecipe
from smithy.recipe.render import render_recipe
from smithy.records import record
from smithy.variants.defaults import conda_build_defaults
from smithy.variants.model import VariantConfig
from smithy.variants.naming import config_name, short_config_name, windows_safe_config_name
from smithy.variants.noarch import newest_python_only


@record
class Target:
    """A platform some provider builds, with what conda-forge.yml says about it."""

    platform: str
    build_platform: str
    providers: tuple[str, ...]
    keep_noarch: bool
    linux_version: str | None = None


@record
class PlatformJobs:
    """One platform's matrix: its variant space, renders and jobs (for reports and explain)."""

    target: Target
    space: VariantConfig
    rendered: PlatformVariants
    collapsed: Collapsed
    jobs: tuple[CiJob, ...]


# The order conda-smithy renders its CI providers in, each over its platforms.
_RENDER_ORDER = ("circle", "travis", "appveyor", "azure", "drone", "woodpecker", "github_actions")


def _linux_versions(config: FeedstockConfig, targets: list[Target]) -> dict[str, str | None]:
    """The linux image version (``DEFAULT_LINUX_VERSION``) each target is rendered with.

    conda-smithy sets that environment variable from ``os_version`` of a linux *target* just
    before rendering it and never unsets it, so a target rendered later without a version of
    its own (a cross-compiled or non-linux target built on linux, say) inherits the last one
    set. A target built by several providers keeps what its last render saw.
    """
    current: str | None = None
    seen: dict[str, str | None] = {}
    order = {name: index for index, name in enumerate(_RENDER_ORDER)}
    for provider in sorted(
        {p for t in targets for p in t.providers}, key=lambda p: (order.get(p, len(order)), p)
    ):
        for target in targets:
            if provider not in target.providers:
                continue
            own = (
                config.os_version_for(target.platform)
                if target.platform.startswith("linux-")
                else None
            )
            current = own or current
            seen[target.platform] = current
    return seen


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
    versions = _linux_versions(config, targets)
    return [replace(target, linux_version=versions.get(target.platform)) for target in targets]


def targets_for(config: FeedstockConfig, platforms: Sequence[str] = ()) -> list[Target]:
    """The build targets, or with ``platforms`` those platforms in that order.

    A platform conda-forge.yml does not build is rendered as its build platform would render
    it, with no CI provider (so it has job configs but no CI jobs).
    """
    targets = build_targets(config)
    if not platforms:
        return targets
    known = {target.platform: target for target in targets}
    chosen: list[Target] = []
    for platform in platforms:
        target = known.get(platform)
        if target is None:
            linux = config.os_version_for(platform) if platform.startswith("linux-") else None
            target = Target(platform, config.build_platform_for(platform), (), False, linux)
        chosen.append(target)
    return chosen


def repo_name(recipe: RenderedRecipe) -> str:
    """``<feedstock name>-feedstock``: the one naming rule (``RenderedRecipe.feedstock_name``)."""
    return f"{recipe.feedstock_name}-feedstock"


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


def _first_pass(
    inputs: RecipeInputs, context: RenderContext, fallback: RenderedRecipe
) -> RenderedRecipe:
    """The recipe as conda-build's first parse sees it: conda-build's default variant only.

    conda-smithy moves the recipe's conda_build_config.yaml away and passes no variant files,
    so every other key is undefined there (a ``# [use_noarch]`` selector reads as false).
    """
    defaults = conda_build_defaults(context.platform).values
    variant = {key: values[0] for key, values in defaults.items()}
    try:
        return render_recipe(inputs.raw, replace(context, variant=variant))
    except SmithyError:  # conda-build permits undefined jinja there; smithy may not
        return fallback


def _noarch_meta_yaml(
    inputs: RecipeInputs, rendered: PlatformVariants, context: RenderContext
) -> bool:
    # conda-build renders a noarch meta.yaml with the newest python only, deciding from its
    # first parse; rattler-build has its own rule (python leaves a noarch: python output's
    # variant), applied while rendering.
    if inputs.raw.format is not RecipeFormat.V0 or not rendered.renders:
        return False
    if "noarch" not in inputs.raw.text:
        return False  # the common compiled recipe: no second render needed to know
    first = _first_pass(inputs, context, rendered.renders[0])
    build = first.data.get("build")
    top_noarch = isinstance(build, dict) and bool(build.get("noarch"))
    single = len(first.outputs) == 1 and bool(first.outputs[0].noarch)
    return top_noarch or single


def platform_jobs(inputs: RecipeInputs, target: Target) -> PlatformJobs:
    """Render the recipe for one target platform and collapse it into jobs.

    Raises:
        SmithyError: bad recipe, variant or migration input.
    """
    space, context = platform_space(inputs, target.platform, linux_version=target.linux_version)
    # conda-smithy renders with the target as the build platform too (conda-build's config and
    # rattler-build's --build-platform both come from the target), so a cross-compiled
    # platform's `build_platform != target_platform` requirements never count as used.
    context = replace(context, build_platform=target.platform)
    rendered = render_platform_variants(inputs.raw, space, context)
    if _noarch_meta_yaml(inputs, rendered, context):
        space = newest_python_only(space)
        rendered = render_platform_variants(inputs.raw, space, context)
    metas = rendered_metas(inputs.raw, rendered, space, target.keep_noarch)
    keep = {"github_actions_labels"} if "github_actions" in target.providers else set()
    collapsed = collapse(
        space,
        metas,
        keep_keys=keep,
        extra_used=text_variables(inputs.raw),
        rendered_keys=rendered.used_keys,
    )
    repo = _repo_name(inputs, rendered)
    jobs = _jobs(target, collapsed, inputs.config, repo)
    return PlatformJobs(target, space, rendered, collapsed, tuple(jobs))


def all_jobs(per_platform: Iterable[PlatformJobs]) -> list[CiJob]:
    """Every job of every platform, sorted by provider then name."""
    jobs = [job for platform in per_platform for job in platform.jobs]
    return sorted(jobs, key=lambda job: (job.provider, job.config_name))
