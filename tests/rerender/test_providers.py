"""CI provider files: job layout per provider, runners, settings, validity (linters batched)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from smithy.config.load import parse_config
from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.rerender.model import EXECUTABLE, REGULAR, FeedstockFacts, PlannedFile
from smithy.rerender.providers import known_ci_paths, provider_files
from smithy.rerender.removal import paths_to_remove

DATA = Path(__file__).resolve().parent.parent / "data" / "rerender" / "configs"
BIN = Path(sys.executable).parent
GHA = ".github/workflows/conda-build.yml"
AZ_LINUX = ".azure-pipelines/azure-pipelines-linux.yml"
AZ_OSX = ".azure-pipelines/azure-pipelines-osx.yml"
AZ_WIN = ".azure-pipelines/azure-pipelines-win.yml"


def image(arch: str) -> str:
    return f"quay.io/condaforge/linux-anvil-{arch}:alma9"


def job(
    name: str,
    platform: str,
    provider: str = "github_actions",
    build_platform: str | None = None,
    *,
    upload: bool = True,
    labels: Sequence[str] = (),
    docker: str | None = None,
) -> CiJob:
    config: dict[str, Any] = {"target_platform": [platform]}
    if docker:
        config["docker_image"] = [docker]
    if labels:
        config["github_actions_labels"] = list(labels)
    return CiJob(name, name[:20], platform, build_platform or platform, provider, upload, config)


SCENARIOS: dict[str, tuple[str, str, tuple[CiJob, ...]]] = {
    "linux_only": (
        "defaults.yml",
        "meta.yaml",
        (
            job("linux_64_python3.12.____cpython", "linux-64", docker=image("x86_64")),
            job("linux_64_python3.13.____cp313", "linux-64", docker=image("x86_64")),
        ),
    ),
    "three_os": (
        "defaults.yml",
        "meta.yaml",
        (
            job("linux_64_", "linux-64", docker=image("x86_64")),
            job("osx_64_", "osx-64", "azure"),
            job("win_64_", "win-64"),
        ),
    ),
    "cross": (
        "defaults.yml",
        "meta.yaml",
        (
            job("linux_64_", "linux-64", docker=image("x86_64")),
            job(
                "linux_aarch64_", "linux-aarch64", build_platform="linux-64", docker=image("x86_64")
            ),
            job("osx_64_", "osx-64", "azure"),
            job("osx_arm64_", "osx-arm64", "azure", build_platform="osx-64"),
        ),
    ),
    "emulated": (
        "defaults.yml",
        "meta.yaml",
        (
            job("linux_64_", "linux-64", docker=image("x86_64")),
            job("linux_ppc64le_", "linux-ppc64le", docker=image("ppc64le")),
        ),
    ),
    "azure_only": (
        "azure_only.yml",
        "meta.yaml",
        (
            job("linux_64_", "linux-64", "azure", docker=image("x86_64")),
            job("linux_aarch64_", "linux-aarch64", "azure", docker=image("aarch64")),
            job("osx_64_", "osx-64", "azure"),
            job("win_64_", "win-64", "azure", upload=False),
        ),
    ),
    "self_hosted": (
        "self_hosted.yml",
        "meta.yaml",
        (
            job(
                "linux_64_cuda", "linux-64", labels=["self-hosted@gpu-box"], docker=image("x86_64")
            ),
            job("linux_aarch64_", "linux-aarch64", labels=["cirun-arm"], docker=image("aarch64")),
            job("osx_arm64_", "osx-arm64", labels=["namespace-profile-mac"]),
            job("win_64_", "win-64", labels=["windows-2025"]),
        ),
    ),
    "artifacts": (
        "artifacts.yml",
        "meta.yaml",
        (
            job("linux_64_", "linux-64", docker=image("x86_64")),
            job("osx_64_az", "osx-64", "azure"),
            job("osx_arm64_", "osx-arm64"),
            job("win_64_", "win-64"),
            job("win_arm64_", "win-arm64", upload=False),
            job("linux_64_az", "linux-64", "azure", docker=image("x86_64")),
            job("win_64_az", "win-64", "azure"),
        ),
    ),
    "rattler_pixi": (
        "rattler_pixi.yml",
        "recipe.yaml",
        (
            job("linux_64_", "linux-64", docker=image("x86_64")),
            job(
                "linux_ppc64le_", "linux-ppc64le", build_platform="linux-64", docker=image("x86_64")
            ),
            job("osx_arm64_", "osx-arm64", "azure"),
            job("win_64_", "win-64"),
        ),
    ),
}


@dataclass(frozen=True)
class Rendered:
    root: Path
    config: FeedstockConfig
    jobs: tuple[CiJob, ...]
    files: dict[str, PlannedFile]
    stale: tuple[str, ...]

    def yaml(self, path: str) -> Any:
        return YAML(typ="safe").load(self.files[path].content.decode())

    def text(self, path: str) -> str:
        return self.files[path].content.decode()


def render(name: str, root: Path) -> Rendered:
    config_file, recipe_file, jobs = SCENARIOS[name]
    config = parse_config((DATA / config_file).read_text(), display_path=config_file)
    assert all(issue.kind == "deprecated" for issue in config.issues)
    facts = FeedstockFacts("pkg", "1.0", ("pkg",), "pkg-feedstock", recipe_file)
    # A feedstock holding every CI file smithy or conda-smithy ever wrote, before the rerender.
    for path in (*known_ci_paths(), ".travis.yml"):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("old\n")
    files = provider_files(jobs, config, facts, root)
    for path, planned in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(planned.content)
        target.chmod(planned.mode)
    stale = paths_to_remove(
        root,
        planned=files,
        generated_before=None,
        skip_render=config.skip_render,
        providers={job.provider for job in jobs},
        ci_paths=known_ci_paths(),
    )
    return Rendered(root, config, jobs, files, stale)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    return {name: render(name, tmp_path_factory.mktemp(name)) for name in SCENARIOS}


def _all(rendered: dict[str, Rendered], suffix: str, prefix: str = "") -> list[str]:
    return sorted(
        str(r.root / path)
        for r in rendered.values()
        for path in r.files
        if path.endswith(suffix) and path.startswith(prefix)
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def test_workflows_pass_actionlint(rendered: dict[str, Rendered]) -> None:
    workflows = _all(rendered, ".yml", ".github/workflows/")
    assert len(workflows) == len(SCENARIOS)
    result = _run(str(BIN / "actionlint"), "-shellcheck", str(BIN / "shellcheck"), *workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_zizmor(rendered: dict[str, Rendered]) -> None:
    """zizmor's default audits find nothing (each remaining exception is justified inline)."""
    workflows = _all(rendered, ".yml", ".github/workflows/")
    result = _run(str(BIN / "zizmor"), "--offline", "--no-progress", *workflows)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr
    template = Path(__file__).parents[2] / "templates" / ".github" / "workflows"
    text = (template / "conda-build.yml.j2").read_text()
    assert "persist-credentials: false" in text and "\npermissions:\n  contents: read\n" in text


def test_workflows_match_the_github_schema(rendered: dict[str, Rendered]) -> None:
    workflows = _all(rendered, ".yml", ".github/workflows/")
    schema = ("--builtin-schema", "vendor.github-workflows")
    result = _run(str(BIN / "check-jsonschema"), *schema, *workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_azure_files_match_the_azure_schema(rendered: dict[str, Rendered]) -> None:
    files = _all(rendered, ".yml", ".azure-pipelines/") + _all(rendered, "azure-pipelines.yml")
    assert len(files) >= 12
    schema = ("--builtin-schema", "vendor.azure-pipelines")
    result = _run(str(BIN / "check-jsonschema"), *schema, *sorted(set(files)))
    assert result.returncode == 0, result.stdout + result.stderr


def test_shell_scripts_pass_shellcheck(rendered: dict[str, Rendered]) -> None:
    scripts = _all(rendered, ".sh")
    result = _run(str(BIN / "shellcheck"), "--external-sources", *scripts)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_github_matrix_is_the_job_list(rendered: dict[str, Rendered], name: str) -> None:
    r = rendered[name]
    jobs = [j for j in r.jobs if j.provider == "github_actions"]
    workflow = r.yaml(GHA)
    if not jobs:
        assert list(workflow["on"]) == ["workflow_dispatch"]
        assert workflow["jobs"]["build"]["steps"] == [{"run": "exit 0"}]
        return
    rows = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
    assert [row["CONFIG"] for row in rows] == [j.config_name for j in jobs]
    for row, j in zip(rows, jobs, strict=True):
        assert row["CONFIG_SHORT"] == j.config_name_short
        assert row["UPLOAD_PACKAGES"] == str(j.upload)
        assert row["build_platform"] == j.build_platform
        assert row.get("DOCKER_IMAGE") == j.docker_image
        oses = {"linux": "ubuntu", "osx": "macos", "win": "windows"}
        assert row["os"] == oses[j.build_platform.split("-")[0]]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_azure_matrix_is_the_job_list(rendered: dict[str, Rendered], name: str) -> None:
    r = rendered[name]
    jobs = [j for j in r.jobs if j.provider == "azure"]
    for os_name, path in (("linux", AZ_LINUX), ("osx", AZ_OSX), ("win", AZ_WIN)):
        own = [j for j in jobs if j.build_platform.startswith(os_name)]
        if not own:
            assert path not in r.files
            assert path in r.stale
            continue
        (azure_job,) = r.yaml(path)["jobs"]
        assert azure_job["job"] == os_name
        matrix = azure_job["strategy"]["matrix"]
        assert list(matrix) == [j.config_name for j in own]
        for j in own:
            assert matrix[j.config_name]["CONFIG"] == j.config_name
            assert matrix[j.config_name]["UPLOAD_PACKAGES"] == str(j.upload)
            assert matrix[j.config_name].get("DOCKER_IMAGE") == j.docker_image
    included = (
        [entry["template"] for entry in r.yaml("azure-pipelines.yml")["stages"][1]["jobs"]]
        if jobs
        else []
    )
    assert included == [f"./{p}" for p in (AZ_LINUX, AZ_OSX, AZ_WIN) if p in r.files]
    assert ("azure-pipelines.yml" in r.files) == bool(jobs)


def _runs_on(r: Rendered) -> dict[str, list[str]]:
    rows = r.yaml(GHA)["jobs"]["build"]["strategy"]["matrix"]["include"]
    return {row["CONFIG"]: row["runs_on"] for row in rows}


def test_hosted_runners_follow_the_build_platform(rendered: dict[str, Rendered]) -> None:
    assert _runs_on(rendered["three_os"]) == {
        "linux_64_": ["ubuntu-latest"],
        "win_64_": ["windows-2022"],
    }
    # A cross-compiled aarch64 job runs on the x86_64 machine that builds it.
    assert _runs_on(rendered["cross"])["linux_aarch64_"] == ["ubuntu-latest"]
    # Native aarch64 has its own hosted runner; ppc64le is emulated on x86_64.
    assert _runs_on(rendered["emulated"])["linux_ppc64le_"] == ["ubuntu-latest"]
    osx = rendered["three_os"].yaml(AZ_OSX)["jobs"][0]["strategy"]["matrix"]
    assert osx["osx_64_"]["VMIMAGE"] == "macOS-15"
    cross_osx = rendered["cross"].yaml(AZ_OSX)["jobs"][0]["strategy"]["matrix"]
    assert cross_osx["osx_arm64_"]["VMIMAGE"] == "macOS-15"  # built on osx-64
    assert (
        rendered["rattler_pixi"].yaml(AZ_OSX)["jobs"][0]["strategy"]["matrix"]["osx_arm64_"][
            "VMIMAGE"
        ]
        == "macOS-15-arm64"
    )


def test_self_hosted_and_labelled_runners(rendered: dict[str, Rendered]) -> None:
    r = rendered["self_hosted"]
    runs_on = _runs_on(r)
    assert runs_on["linux_64_cuda"] == ["gpu-box", "linux", "x64", "self-hosted"]
    assert runs_on["linux_aarch64_"] == ["cirun-arm--${{ github.run_id }}-linux_aarch64_"]
    assert runs_on["osx_arm64_"] == ["namespace-profile-mac"]
    assert runs_on["win_64_"] == ["windows-2025"]
    rows = {
        row["CONFIG"]: row for row in r.yaml(GHA)["jobs"]["build"]["strategy"]["matrix"]["include"]
    }
    assert rows["linux_64_cuda"]["docker_run_args"] == "--shm-size 2g --gpus all"
    assert rows["linux_aarch64_"]["docker_run_args"] == "--shm-size 2g"
    assert rows["win_64_"]["tools_install_dir"] == "D:\\Miniforge"  # a hosted image has D:
    assert list(r.yaml(GHA)["on"]) == ["push"]  # self-hosted: no pull_request builds


def test_emulation_is_registered_only_for_foreign_linux(rendered: dict[str, Rendered]) -> None:
    assert "qemu-user-static" in rendered["emulated"].text(GHA)
    assert "qemu-user-static" in rendered["cross"].text(GHA)
    assert "qemu-user-static" not in rendered["three_os"].text(GHA)
    assert "qemu-user-static" in rendered["azure_only"].text(AZ_LINUX)


def test_file_modes(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        for path, planned in r.files.items():
            wanted = EXECUTABLE if path.startswith(".scripts/") else REGULAR
            assert planned.mode == wanted, path


def test_stale_paths_and_support_scripts(rendered: dict[str, Rendered]) -> None:
    linux = rendered["linux_only"]
    assert {"azure-pipelines.yml", AZ_OSX, ".scripts/run_osx_build.sh", ".travis.yml"} <= set(
        linux.stale
    )
    assert set(linux.files) == {
        GHA,
        ".scripts/logging_utils.sh",
        ".scripts/run_docker_build.sh",
        ".scripts/build_steps.sh",
    }
    assert not set(linux.files) & set(linux.stale)
    art = rendered["artifacts"]
    for path in (
        ".scripts/create_conda_build_artifacts.sh",
        ".scripts/create_conda_build_artifacts.bat",
        ".scripts/create_pagefile.sh",
        ".scripts/create_pagefile.bat",
        ".scripts/SetPageFileSize.ps1",
        ".scripts/free_disk_space.sh",
    ):
        assert path in art.files
    # skip_render: neither written nor removed.
    pixi = rendered["rattler_pixi"]
    assert ".scripts/run_osx_build.sh" not in pixi.files
    assert ".scripts/run_osx_build.sh" not in pixi.stale


def test_azure_settings_are_applied(rendered: dict[str, Rendered]) -> None:
    r = rendered["azure_only"]
    linux = r.yaml(AZ_LINUX)["jobs"][0]
    assert linux["pool"] == {
        "name": "conda-forge-self-hosted",
        "demands": ["Agent.OS -equals Linux"],
    }
    assert linux["workspace"] == {"clean": "all"}
    assert linux["timeoutInMinutes"] == "90"
    # 4 jobs over a limit of 2: each OS gets its share, at least one.
    assert linux["strategy"]["maxParallel"] == "1"
    assert linux["steps"][0] == {"checkout": "self", "fetchDepth": "10"}
    build = next(step for step in linux["steps"] if step.get("displayName") == "Build in docker")
    assert build["env"]["UPLOAD_ON_BRANCH"] == "release"
    assert build["env"]["BINSTAR_TOKEN"] == "$(BINSTAR_TOKEN)"
    win = r.yaml(AZ_WIN)["jobs"][0]
    assert win["pool"] == {"vmImage": "windows-2022"}
    assert win["strategy"]["matrix"]["win_64_"]["UPLOAD_PACKAGES"] == "False"
    assert win["strategy"]["matrix"]["win_64_"]["tools_install_dir"] == "D:\\Miniforge"
    names = [step.get("displayName") for step in win["steps"]]
    assert "Install nsis with Chocolatey" in names
    assert "Install the ATL and MFC libraries of older MSVC toolsets" in names


def test_github_settings_are_applied(rendered: dict[str, Rendered]) -> None:
    r = rendered["artifacts"]
    workflow = r.yaml(GHA)
    build = workflow["jobs"]["build"]
    assert "concurrency" not in workflow
    assert build["timeout-minutes"] == 120
    assert build["strategy"]["max-parallel"] == 7
    steps = {step.get("id") or step["name"]: step for step in build["steps"]}
    assert {
        "artifacts-unix",
        "artifacts-win",
        "build-linux",
        "build-macos",
        "build-windows",
    } <= set(steps)
    upload = steps["Store the conda build folder"]
    assert upload["with"]["retention-days"] == 3
    assert "steps.artifacts-win.outputs.BLD_ARTIFACT_NAME" in upload["with"]["name"]
    env = steps["build-linux"]["env"]
    assert env["EXTRA_TOKEN"] == "${{ secrets.EXTRA_TOKEN }}"
    assert env["FEEDSTOCK_TOKEN"] == "${{ secrets.FEEDSTOCK_TOKEN }}"
    rows = {row["CONFIG"]: row for row in build["strategy"]["matrix"]["include"]}
    assert rows["linux_64_"]["pagefile_size"] == 8
    assert rows["linux_64_"]["free_disk_space"] == "max"
    assert rows["osx_arm64_"]["free_disk_space"] == "quick"  # the later, os entry wins
    assert rows["win_arm64_"]["tools_install_dir"] == "C:\\Miniforge"
    assert rows["win_arm64_"]["resize_partitions"] is True
    assert "Install 7zip with Chocolatey" in steps
    azure_osx = r.yaml(AZ_OSX)["jobs"][0]["strategy"]["matrix"]["osx_64_az"]
    assert azure_osx["free_disk_space"] == "quick"
    assert azure_osx["store_build_artifacts"] == "true"
    three = rendered["three_os"].yaml(GHA)
    assert three["concurrency"]["cancel-in-progress"] is True
    assert list(three["on"]) == ["push", "pull_request"]


def test_rendering_is_deterministic(tmp_path: Path, rendered: dict[str, Rendered]) -> None:
    again = render("artifacts", tmp_path)
    first = rendered["artifacts"]
    assert again.files == first.files
    assert again.stale == first.stale


def test_feedstock_templates_override_built_in_ones(tmp_path: Path) -> None:
    override = tmp_path / "templates" / "azure-pipelines.yml.j2"
    override.parent.mkdir(parents=True)
    override.write_text("# custom {{ azure.job_paths|length }}\n")
    r = render("three_os", tmp_path)
    assert r.text("azure-pipelines.yml") == "# custom 1\n"
