"""GitHub Actions: runner labels per job and the ``.github/workflows/conda-build.yml`` workflow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.records import record
from smithy.rerender.ci_views import (
    CHECKOUT_ACTION,
    GENERATED_NOTICE,
    QEMU_REGISTER_IMAGE,
    UPLOAD_ARTIFACT_ACTION,
    JobView,
    SupportNeeds,
    ci_secrets,
    flow_list,
    job_view,
    os_of,
    render_file,
    yaml_scalar,
    yaml_str,
)
from smithy.rerender.model import FeedstockFacts, PlannedFile
from smithy.rerender.providers.base import CiProvider

WORKFLOW_PATH = ".github/workflows/conda-build.yml"


@record
class Runner:
    """GitHub's hosted runner for a build platform and the labels of a self-hosted one."""

    hosted: tuple[str, ...]
    self_hosted: tuple[str, ...]


# Keyed by build platform (conda-smithy's table; macos-15-intel is the last x86_64 image).
RUNNERS: Mapping[str, Runner] = {
    "linux-64": Runner(("ubuntu-latest",), ("linux", "x64")),
    "linux-aarch64": Runner(("ubuntu-24.04-arm",), ("linux", "ARM64")),
    "linux-ppc64le": Runner(("ubuntu-latest",), ("linux",)),
    "osx-64": Runner(("macos-15-intel",), ("macOS", "x64")),
    "osx-arm64": Runner(("macos-15",), ("macOS", "arm64")),
    "win-64": Runner(("windows-2022",), ("windows", "x64")),
    "win-arm64": Runner(("windows-11-arm",), ("windows", "ARM64")),
}
# Other build platforms (s390x, ...) run emulated on the OS's x86_64 runner.
_FALLBACK_RUNNERS: Mapping[str, Runner] = {
    "linux": Runner(("ubuntu-latest",), ("linux",)),
    "osx": Runner(("macos-15",), ("macOS",)),
    "win": Runner(("windows-2022",), ("windows",)),
}
# Hosted Windows images with a spare D: drive for the tools and build folders.
_WINDOWS_D_DRIVE_LABELS = frozenset({"windows-latest", "windows-2022", "windows-2025"})


def runner_for(build_platform: str) -> Runner:
    """Return the runner table entry of a build platform."""
    fallback = _FALLBACK_RUNNERS.get(os_of(build_platform), _FALLBACK_RUNNERS["linux"])
    return RUNNERS.get(build_platform, fallback)


@record
class RunnerChoice:
    """The resolved ``runs-on`` labels of a job and what they imply."""

    labels: tuple[str, ...]
    gpu: bool
    namespace: bool


def resolve_labels(job: CiJob) -> RunnerChoice:
    """Turn the variant's ``github_actions_labels`` into the job's ``runs-on`` labels.

    ``hosted``/``default`` (or no labels) pick GitHub's hosted runner; ``self-hosted@X`` adds
    the generic self-hosted labels of the build platform; a ``cirun-`` label gets a unique
    suffix per run and job; a ``namespace-profile-...-on-linux-`` label asks for a privileged
    container with scratch space. A label mentioning ``gpu`` makes docker expose the GPUs.
    """
    runner = runner_for(job.build_platform)
    labels: tuple[str, ...] = job.runs_on or ("hosted",)
    if labels in (("hosted",), ("default",)):
        labels = runner.hosted
    elif any(label.startswith("self-hosted@") for label in labels):
        stripped = (label.removeprefix("self-hosted@") for label in labels)
        labels = tuple(dict.fromkeys((*stripped, *runner.self_hosted, "self-hosted")))
    resolved: list[str] = []
    for label in labels:
        if label.startswith("cirun-"):
            label += "--${{ github.run_id }}-" + job.config_name_short
        if label.startswith("namespace-profile-") and "-on-linux-" in label:
            label += ";container.privileged=true;container.mount-scratch=true"
        resolved.append(label)
    return RunnerChoice(
        labels=tuple(resolved),
        gpu=any("gpu" in label.lower() for label in labels),
        namespace=any(label.startswith("namespace-profile-") for label in labels),
    )


@record
class Trigger:
    """One workflow trigger; ``branches`` limits ``push`` to the upload branch."""

    event: str
    branches: tuple[str, ...] = ()


@record
class WorkflowView:
    """Everything ``conda-build.yml.j2`` prints."""

    notice: str
    enabled: bool
    triggers: tuple[Trigger, ...] = ()
    cancel_in_progress: bool = True
    timeout_minutes: int = 360
    max_parallel: int | None = None
    retention_days: int = 14
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()
    clone_depth: int | None = None
    secrets: tuple[str, ...] = ()
    upload_on_branch: str = ""
    choco: tuple[str, ...] = ()
    oses: frozenset[str] = frozenset()
    binfmt: bool = False
    needs: SupportNeeds = field(default_factory=SupportNeeds)
    resize_partitions: bool = False
    checkout_action: str = CHECKOUT_ACTION
    upload_artifact_action: str = UPLOAD_ARTIFACT_ACTION
    qemu_image: str = QEMU_REGISTER_IMAGE

    @property
    def choco_steps(self) -> tuple[ChocoStep, ...]:
        """One install step per Chocolatey package."""
        return tuple(
            ChocoStep(
                yaml_str(f"Install {name} with Chocolatey"),
                yaml_str(f"choco install {name} -fdv -y --debug"),
            )
            for name in self.choco
        )

    @property
    def artifact_steps(self) -> tuple[str, ...]:
        """Ids of the steps that pack build artifacts (one per shell kind)."""
        unix = ("artifacts-unix",) if self.needs.artifacts_unix else ()
        return unix + (("artifacts-win",) if self.needs.artifacts_win else ())

    @property
    def artifact_condition(self) -> str:
        """Expression: some packing step succeeded."""
        return " || ".join(f"steps.{step}.outcome == 'success'" for step in self.artifact_steps)

    def artifact_output(self, key: str) -> str:
        """Return the expression reading output ``key`` of whichever packing step ran."""
        parts = " || ".join(f"steps.{step}.outputs.{key}" for step in self.artifact_steps)
        return "${{ " + parts + " }}"


@record
class ChocoStep:
    """A Windows step installing one Chocolatey package."""

    name: str
    command: str


def _row(view: JobView) -> tuple[tuple[str, str], ...]:
    ws = view.settings
    fields: list[tuple[str, str]] = [
        ("CONFIG", yaml_str(view.config_name)),
        ("CONFIG_SHORT", yaml_str(view.config_name_short)),
    ]
    if view.os == "linux":
        fields.append(("DOCKER_IMAGE", yaml_str(view.docker_image)))
    fields += [
        ("STORE_BUILD_ARTIFACTS", yaml_scalar(ws.store_build_artifacts)),
        ("UPLOAD_PACKAGES", yaml_str(view.upload_flag)),
        ("build_platform", yaml_str(view.build_platform)),
        ("build_workspace_dir", yaml_str(ws.build_workspace_dir)),
    ]
    if view.os == "linux":
        fields.append(("docker_run_args", yaml_str(view.docker_run_args)))
    fields += [
        ("free_disk_space", yaml_str(ws.free_disk_space)),
        ("os", yaml_str(view.gha_os)),
        ("pagefile_size", yaml_scalar(ws.pagefile_size)),
        ("resize_partitions", yaml_scalar(ws.resize_partitions)),
        ("runs_on", flow_list(view.runner_labels)),
        ("tools_install_dir", yaml_str(ws.tools_install_dir)),
    ]
    return tuple(fields)


def _triggers(config: FeedstockConfig) -> tuple[Trigger, ...]:
    branch = config.upload_on_branch
    return tuple(
        Trigger(event, (branch,) if event == "push" and branch else ())
        for event in config.github_actions.effective_triggers
    )


class GithubActions(CiProvider):
    """GitHub Actions: one matrix job per CI job in ``conda-build.yml``."""

    name = "github_actions"
    build_oses = ("linux", "osx", "win")

    def job_views(self, jobs: Sequence[CiJob], config: FeedstockConfig) -> tuple[JobView, ...]:
        """Return the views of ``jobs`` with their runner labels and workflow settings."""
        views: list[JobView] = []
        for job in jobs:
            choice = resolve_labels(job)
            hosted_d = bool(_WINDOWS_D_DRIVE_LABELS.intersection(choice.labels))
            drive = "D:" if hosted_d or choice.namespace else "C:"
            run_args = " ".join(
                filter(None, (config.docker.run_args, "--gpus all" if choice.gpu else ""))
            )
            views.append(
                job_view(
                    job,
                    config,
                    self.name,
                    win_drive=drive,
                    runner_labels=choice.labels,
                    docker_run_args=run_args,
                )
            )
        return tuple(views)

    def files(
        self,
        views: Sequence[JobView],
        config: FeedstockConfig,
        facts: FeedstockFacts,
        feedstock_dir: Path,
    ) -> dict[str, PlannedFile]:
        """Return ``conda-build.yml`` running every job of ``views``."""
        del facts
        gha = config.github_actions
        view = WorkflowView(
            notice=GENERATED_NOTICE,
            enabled=True,
            triggers=_triggers(config),
            cancel_in_progress=gha.cancel_in_progress,
            timeout_minutes=gha.timeout_minutes,
            max_parallel=gha.max_parallel or None,
            retention_days=gha.artifact_retention_days,
            rows=tuple(_row(job) for job in views),
            clone_depth=config.clone_depth,
            secrets=ci_secrets(config),
            upload_on_branch=config.upload_on_branch or "",
            choco=config.choco,
            oses=frozenset(job.os for job in views),
            binfmt=any(job.foreign_linux for job in views),
            needs=SupportNeeds.of(views),
            resize_partitions=any(
                job.os == "win" and job.settings.resize_partitions for job in views
            ),
        )
        return {WORKFLOW_PATH: render_file(WORKFLOW_PATH, {"wf": view}, feedstock_dir)}

    def owned_paths(self) -> tuple[str, ...]:
        """Return the workflow path (also kept, as a placeholder, when disabled)."""
        return (WORKFLOW_PATH,)

    def disabled_files(
        self, config: FeedstockConfig, facts: FeedstockFacts, feedstock_dir: Path
    ) -> dict[str, PlannedFile]:
        """Return a never-running workflow: it keeps Actions enabled on the repository."""
        del config, facts
        view = WorkflowView(notice=GENERATED_NOTICE, enabled=False)
        return {WORKFLOW_PATH: render_file(WORKFLOW_PATH, {"wf": view}, feedstock_dir)}
