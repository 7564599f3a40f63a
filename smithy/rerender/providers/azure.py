"""Azure Pipelines: ``azure-pipelines.yml`` and one job template per build OS."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from smithy.config.schema import AzureRunnerSettings, FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.records import record
from smithy.rerender.ci_views import (
    GENERATED_NOTICE,
    QEMU_REGISTER_IMAGE,
    JobView,
    SupportNeeds,
    ci_secrets,
    job_view,
    render_file,
    yaml_block,
)
from smithy.rerender.model import FeedstockFacts, PlannedFile
from smithy.rerender.providers.base import CiProvider

ROOT_PATH = "azure-pipelines.yml"
OSES = ("linux", "osx", "win")
# conda-forge's badge links and bots name the Azure jobs after the OS.
JOB_PATHS: Mapping[str, str] = {
    os_name: f".azure-pipelines/azure-pipelines-{os_name}.yml" for os_name in OSES
}
# macOS agents are picked per job through the VMIMAGE matrix variable.
VM_IMAGES: Mapping[str, str] = {"osx-64": "macOS-15", "osx-arm64": "macOS-15-arm64"}


@record
class JobFileView:
    """Everything one ``.azure-pipelines/azure-pipelines-<os>.yml`` template prints.

    Attributes:
        job_lines: the job's pool, strategy (matrix), timeout, variables and any extra keys
            from ``azure.settings_<os>``, as YAML lines indented for the job mapping.
    """

    notice: str
    os: str
    job_lines: tuple[str, ...]
    clone_depth: int | None
    secrets: tuple[str, ...]
    upload_on_branch: str
    needs: SupportNeeds
    binfmt: bool = False
    choco: tuple[str, ...] = ()
    install_atl: bool = False
    qemu_image: str = QEMU_REGISTER_IMAGE


@record
class RootView:
    """What ``azure-pipelines.yml`` prints: the job templates to include, in OS order."""

    notice: str
    job_paths: tuple[str, ...]


def _matrix_entry(view: JobView) -> dict[str, object]:
    ws = view.settings
    entry: dict[str, object] = {
        "CONFIG": view.config_name,
        "CONFIG_SHORT": view.config_name_short,
        "UPLOAD_PACKAGES": view.upload_flag,
        "build_workspace_dir": ws.build_workspace_dir,
        "free_disk_space": ws.free_disk_space,
        "pagefile_size": str(ws.pagefile_size),
        "resize_partitions": str(ws.resize_partitions).lower(),
        "store_build_artifacts": str(ws.store_build_artifacts).lower(),
        "tools_install_dir": ws.tools_install_dir,
    }
    if view.os == "linux":
        entry["DOCKER_IMAGE"] = view.docker_image
        entry["docker_run_args"] = view.docker_run_args
    elif view.os == "osx":
        entry["VMIMAGE"] = view.vm_image
    elif view.os == "win":
        entry["build_platform"] = view.build_platform
    return entry


def _max_parallel(config: FeedstockConfig, views: Sequence[JobView], os_name: str) -> int | None:
    """Split ``azure.max_parallel`` over the OSes by their share of the jobs."""
    limit = config.azure.max_parallel
    if len(views) <= limit:
        return None
    share = Counter(view.os for view in views)[os_name] / len(views)
    return max(1, round(limit * share))


def _job_mapping(
    config: FeedstockConfig, settings: AzureRunnerSettings, views: Sequence[JobView], os_name: str
) -> dict[str, object]:
    job: dict[str, object] = dict(settings.extra)
    pool = dict(settings.pool)
    if "name" in pool:
        pool.pop("vmImage", None)  # a named (self-hosted) pool has no image
    job["pool"] = pool
    extra_strategy = job.get("strategy")
    strategy = dict(extra_strategy) if isinstance(extra_strategy, Mapping) else {}
    strategy["matrix"] = {
        view.config_name: _matrix_entry(view) for view in views if view.os == os_name
    }
    parallel = _max_parallel(config, views, os_name)
    if parallel is not None:
        strategy["maxParallel"] = parallel
    job["strategy"] = strategy
    timeout = config.azure.timeout_minutes or settings.timeout_in_minutes
    if timeout is not None:
        job["timeoutInMinutes"] = timeout
    job["variables"] = dict(settings.variables)
    return job


class Azure(CiProvider):
    """Azure Pipelines: a Check stage honouring ``[skip ci]``, then one job per build OS."""

    name = "azure"
    build_oses = OSES

    def job_views(self, jobs: Sequence[CiJob], config: FeedstockConfig) -> tuple[JobView, ...]:
        """Return the views of ``jobs``: workflow settings, images, macOS agent image."""
        return tuple(
            job_view(job, config, self.name, vm_image=VM_IMAGES.get(job.build_platform, "macOS-15"))
            for job in jobs
        )

    def files(
        self,
        views: Sequence[JobView],
        config: FeedstockConfig,
        facts: FeedstockFacts,
        feedstock_dir: Path,
    ) -> dict[str, PlannedFile]:
        """Return ``azure-pipelines.yml`` and the job file of every build OS with jobs."""
        del facts
        present = tuple(os_name for os_name in OSES if any(v.os == os_name for v in views))
        root = RootView(GENERATED_NOTICE, tuple(JOB_PATHS[os_name] for os_name in present))
        files = {ROOT_PATH: render_file(ROOT_PATH, {"azure": root}, feedstock_dir)}
        for os_name in present:
            own = [view for view in views if view.os == os_name]
            settings: AzureRunnerSettings = getattr(config.azure, f"settings_{os_name}")
            job = _job_mapping(config, settings, views, os_name)
            view = JobFileView(
                notice=GENERATED_NOTICE,
                os=os_name,
                job_lines=yaml_block(job, indent=2),
                clone_depth=config.clone_depth,
                secrets=ci_secrets(config),
                upload_on_branch=config.upload_on_branch or "",
                needs=SupportNeeds.of(own),
                binfmt=any(view.foreign_linux for view in own),
                choco=config.choco if os_name == "win" else (),
                install_atl=os_name == "win" and settings.install_atl,
            )
            path = JOB_PATHS[os_name]
            files[path] = render_file(path, {"azure": view}, feedstock_dir)
        return files

    def owned_paths(self) -> tuple[str, ...]:
        """Return the root pipeline and the three per-OS job files."""
        return (ROOT_PATH, *JOB_PATHS.values())
