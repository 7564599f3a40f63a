"""The view model of a feedstock's README.md: about, build status per job, install, maintainers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.records import record
from smithy.rerender.model import FeedstockFacts

PROVIDER_LABELS = {
    "github_actions": "GitHub Actions",
    "azure": "Azure Pipelines",
    "travis": "Travis CI",
    "circle": "CircleCI",
    "drone": "Drone",
    "woodpecker": "Woodpecker",
    "appveyor": "AppVeyor",
}

# v0 and v1 recipes name the same about fields differently; the first present wins.
_ABOUT_KEYS = {
    "home": ("home", "homepage"),
    "license": ("license",),
    "summary": ("summary",),
    "description": ("description",),
    "dev_url": ("dev_url", "repository"),
    "doc_url": ("doc_url", "documentation"),
}


@record
class AboutView:
    """The recipe's about fields; empty strings for missing ones."""

    home: str = ""
    license: str = ""
    summary: str = ""
    description: str = ""
    dev_url: str = ""
    doc_url: str = ""


@record
class Badge:
    """A status badge: image URL and the page it links to."""

    label: str
    image: str
    link: str


@record
class JobRow:
    """One row of the build-status table: one CI job."""

    config_name: str
    platform: str
    provider: str
    badge: Badge | None
    link: str


@record
class Maintainer:
    """A maintainer handle (user or ``org/team``) and its GitHub page."""

    handle: str
    url: str


@record
class ReadmeView:
    """Everything ``templates/README.md.j2`` reads."""

    name: str
    feedstock_name: str
    repo_url: str
    license_url: str
    about: AboutView
    outputs: tuple[str, ...]
    channel: str
    provider_badges: tuple[Badge, ...]
    jobs: tuple[JobRow, ...]
    maintainers: tuple[Maintainer, ...]
    noarch: bool
    recipe_dir: str
    recipe_file: str
    org: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value).strip()


def _cell(text: str) -> str:
    # The short fields sit in a Markdown table: a pipe or a line break would end the cell.
    return " ".join(text.split()).replace("|", "\\|")


def about_view(about: Mapping[str, Any]) -> AboutView:
    """Return the README's about fields from a v0 or v1 ``about`` section."""
    found = {
        field: next((_text(about[k]) for k in keys if about.get(k)), "")
        for field, keys in _ABOUT_KEYS.items()
    }
    for field in ("home", "license", "dev_url", "doc_url"):
        found[field] = _cell(found[field])
    return AboutView(**found)


def maintainer_list(maintainers: Sequence[str]) -> tuple[Maintainer, ...]:
    """Return unique maintainers in code-point order (as conda-smithy); teams are ``org/team``."""
    unique = sorted(set(maintainers))
    result = []
    for handle in unique:
        if "/" in handle:
            org, _, team = handle.partition("/")
            url = f"https://github.com/orgs/{org}/teams/{team.lower()}/"
        else:
            url = f"https://github.com/{handle}/"
        result.append(Maintainer(handle=handle, url=url))
    return tuple(result)


def _os_of(platform: str) -> str:
    return platform.split("-", 1)[0]


@record
class _Urls:
    repo: str
    branch: str
    workflow: str
    azure_base: str
    azure_link: str


def _urls(config: FeedstockConfig, repo_name: str) -> _Urls:
    org = config.github.user_or_org
    branch = config.github.branch_name
    azure = config.azure
    azure_base = f"https://dev.azure.com/{azure.user_or_org or org}/{azure.project_name}"
    if azure.build_id is not None:
        azure_link = f"{azure_base}/_build/latest?definitionId={azure.build_id}&branchName={branch}"
    else:
        azure_link = f"{azure_base}/_build"
    repo = f"https://github.com/{org}/{repo_name}"
    return _Urls(
        repo=repo,
        branch=branch,
        workflow=f"{repo}/actions/workflows/conda-build.yml",
        azure_base=azure_base,
        azure_link=azure_link,
    )


def _provider_badge(provider: str, urls: _Urls, repo_name: str) -> Badge | None:
    label = PROVIDER_LABELS.get(provider, provider)
    if provider == "github_actions":
        image = f"{urls.workflow}/badge.svg?branch={quote(urls.branch)}"
        return Badge(label=label, image=image, link=urls.workflow)
    if provider == "azure":
        image = f"{urls.azure_base}/_apis/build/status/{repo_name}?branchName={urls.branch}"
        return Badge(label=label, image=image, link=urls.azure_link)
    return None


def _job_row(job: CiJob, urls: _Urls, repo_name: str) -> JobRow:
    label = PROVIDER_LABELS.get(job.provider, job.provider)
    platform = job.platform
    if job.build_platform != job.platform:
        platform = f"{job.platform} (built on {job.build_platform})"
    if job.provider == "azure":
        # Azure names the job after the OS and each matrix entry "<os> <config name>".
        os_name = _os_of(job.build_platform)
        configuration = quote(f"{os_name} {job.config_name}")
        image = (
            f"{urls.azure_base}/_apis/build/status/{repo_name}?branchName={urls.branch}"
            f"&jobName={os_name}&configuration={configuration}"
        )
        badge = Badge(label=job.config_name, image=image, link=urls.azure_link)
        return JobRow(job.config_name, platform, label, badge, urls.azure_link)
    link = urls.workflow if job.provider == "github_actions" else urls.repo
    return JobRow(job.config_name, platform, label, None, link)


def _channel(jobs: Sequence[CiJob]) -> str:
    """Return the install channel from the jobs' ``channel_targets`` (``conda-forge main``)."""
    targets = sorted({str(t) for job in jobs for t in job.config.get("channel_targets", ())})
    if not targets:
        return "conda-forge"
    channel, _, label = targets[0].partition(" ")
    label = label.strip()
    return channel if label in ("", "main") else f"{channel}/label/{label}"


def readme_view(
    jobs: Sequence[CiJob], config: FeedstockConfig, facts: FeedstockFacts
) -> ReadmeView:
    """Return the README view model for a feedstock and its CI jobs."""
    repo_name = config.github.repo_name or facts.feedstock_name
    urls = _urls(config, repo_name)
    ordered = sorted(jobs, key=lambda job: (job.provider, job.config_name))
    providers = sorted({job.provider for job in jobs})
    badges = (_provider_badge(provider, urls, repo_name) for provider in providers)
    return ReadmeView(
        name=facts.name,
        feedstock_name=repo_name,
        repo_url=urls.repo,
        license_url=f"{urls.repo}/blob/{urls.branch}/LICENSE.txt",
        about=about_view(facts.about),
        outputs=tuple(facts.outputs) or (facts.name,),
        channel=_channel(jobs),
        provider_badges=tuple(badge for badge in badges if badge is not None),
        jobs=tuple(_job_row(job, urls, repo_name) for job in ordered),
        maintainers=maintainer_list(facts.maintainers),
        noarch=facts.noarch_python,
        recipe_dir=facts.recipe_dir,
        recipe_file=facts.recipe_file,
        org=config.github.user_or_org,
    )
