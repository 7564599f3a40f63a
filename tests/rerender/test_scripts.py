"""The .scripts/* build drivers: build and install tools, test switch, uploads, validity."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from smithy.config.schema import DockerConfig, FeedstockConfig
from smithy.errors import ConfigError
from smithy.rerender.ci_views import SupportNeeds
from smithy.rerender.model import EXECUTABLE, FeedstockFacts, PlannedFile
from smithy.rerender.scripts import (
    SCRIPT_PATHS,
    script_files,
    scripts_view,
    wanted_scripts,
)

BIN = Path(sys.executable).parent
META = FeedstockFacts("pkg", "1.0", ("pkg",), "pkg-feedstock", "meta.yaml")
V1 = replace(META, recipe_file="recipe.yaml")
SECRETS = ("BINSTAR_TOKEN", "OTHER_TOKEN")

VARIANTS: dict[str, tuple[FeedstockConfig, FeedstockFacts]] = {
    "defaults": (FeedstockConfig(), META),
    "classic_conda": (
        FeedstockConfig(conda_build_tool="conda-build+classic", conda_install_tool="conda"),
        META,
    ),
    "mambabuild_mamba_native": (
        FeedstockConfig(conda_build_tool="mambabuild", conda_install_tool="mamba", test="native"),
        META,
    ),
    "rattler_pixi_emulated": (
        FeedstockConfig(
            conda_build_tool="rattler-build",
            conda_install_tool="pixi",
            test="native_and_emulated",
            conda_forge_output_validation=True,
            private_upload=True,
            upload_on_branch="main",
        ),
        V1,
    ),
    "recipe_yaml_picks_rattler": (FeedstockConfig(conda_solver=None), V1),
}


def render(config: FeedstockConfig, facts: FeedstockFacts, root: Path) -> dict[str, PlannedFile]:
    view = scripts_view(config, facts, root, SECRETS)
    return script_files(SCRIPT_PATHS, view, root)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, (config, facts) in VARIANTS.items():
        root = tmp_path_factory.mktemp(name)
        files = render(config, facts, root)
        for path, planned in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(planned.content)
        out[name] = {path: f.content.decode() for path, f in files.items()}
        out[name]["<root>"] = str(root)
    return out


def test_every_variant_passes_shellcheck(rendered: dict[str, dict[str, str]]) -> None:
    scripts = [
        str(Path(files["<root>"]) / path)
        for files in rendered.values()
        for path in files
        if path.endswith(".sh")
    ]
    assert len(scripts) == len(VARIANTS) * 7
    result = subprocess.run(
        [str(BIN / "shellcheck"), "--external-sources", *scripts],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_scripts_are_executable(tmp_path: Path) -> None:
    files = render(FeedstockConfig(), META, tmp_path)
    assert set(files) == set(SCRIPT_PATHS)
    assert {f.mode for f in files.values()} == {EXECUTABLE}


def test_conda_build_command(rendered: dict[str, dict[str, str]]) -> None:
    steps = rendered["defaults"][".scripts/build_steps.sh"]
    assert 'CONDA_SUBDIR="${BUILD_PLATFORM}" conda-build "${RECIPE_ROOT}"' in steps
    assert '--clobber-file "${CI_SUPPORT}/clobber_${CONFIG}.yaml"' in steps
    assert "rattler-build" not in steps
    assert "EXTRA_OPTIONS+=(" not in steps  # test: all
    assert "micromamba install --root-prefix ~/.conda --prefix /opt/conda" in steps
    assert 'pip python=3.12 conda-build conda-forge-ci-setup=4 "conda-build>=26.3"' in steps
    assert "solver: libmamba" in steps
    classic = rendered["classic_conda"]
    assert "CONDA_SOLVER=classic conda-build" in classic[".scripts/build_steps.sh"]
    assert "conda install --update-specs" in classic[".scripts/build_steps.sh"]
    assert "pip conda conda-libmamba-solver python=3.12" in classic[".scripts/run_osx_build.sh"]
    assert 'set "CONDA_SOLVER=classic"' in classic[".scripts/run_win_build.bat"]
    mamba = rendered["mambabuild_mamba_native"]
    assert "conda-mambabuild" in mamba[".scripts/build_steps.sh"]
    assert "python=3.12 conda-build boa" in mamba[".scripts/build_steps.sh"]
    assert "conda-mambabuild.exe" in mamba[".scripts/run_win_build.bat"]


def test_rattler_build_gets_both_platforms(rendered: dict[str, dict[str, str]]) -> None:
    for name in ("rattler_pixi_emulated", "recipe_yaml_picks_rattler"):
        files = rendered[name]
        for path in (".scripts/build_steps.sh", ".scripts/run_osx_build.sh"):
            assert "rattler-build build" in files[path]
            assert '--build-platform "${BUILD_PLATFORM}"' in files[path]
            assert '--target-platform "${HOST_PLATFORM}"' in files[path]
            assert "--suppress-variables" not in files[path]
        win = files[".scripts/run_win_build.bat"]
        assert "--build-platform %BUILD_PLATFORM% --target-platform %HOST_PLATFORM%" in win
        assert "make_build_number" not in files[".scripts/run_osx_build.sh"]
    assert "solver:" not in rendered["recipe_yaml_picks_rattler"][".scripts/build_steps.sh"]


def test_test_switch_for_cross_and_emulated_builds(rendered: dict[str, dict[str, str]]) -> None:
    native = rendered["mambabuild_mamba_native"][".scripts/build_steps.sh"]
    assert "EXTRA_OPTIONS+=(--no-test)" in native
    assert "linux-*" not in native
    emulated = rendered["rattler_pixi_emulated"]
    assert '"${HOST_PLATFORM}" != linux-*' in emulated[".scripts/build_steps.sh"]
    assert "EXTRA_OPTIONS+=(--test skip)" in emulated[".scripts/build_steps.sh"]
    assert "EXTRA_OPTIONS+=(--test skip)" in emulated[".scripts/run_osx_build.sh"]
    assert "CROSSCOMPILING_EMULATOR" in emulated[".scripts/run_win_build.bat"]
    assert "CROSSCOMPILING_EMULATOR" not in rendered["defaults"][".scripts/run_win_build.bat"]


def test_pixi_and_upload_options(rendered: dict[str, dict[str, str]]) -> None:
    files = rendered["rattler_pixi_emulated"]
    steps = files[".scripts/build_steps.sh"]
    assert "pixi install --manifest-path" in steps
    assert "--environment build" in files[".scripts/run_osx_build.sh"]
    assert "pixi shell-hook --manifest-path" in files[".scripts/run_win_build.bat"]
    assert "micromamba" not in steps
    assert 'validate_recipe_outputs "${FEEDSTOCK_NAME}"' in steps
    assert '--validate --feedstock-name="${FEEDSTOCK_NAME}" --private' in steps
    assert 'set "UPLOAD_ON_BRANCH=main"' in files[".scripts/run_win_build.bat"]
    assert "validate_recipe_outputs" not in rendered["defaults"][".scripts/build_steps.sh"]


def test_recipe_folder_overrides(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe"
    (recipe / "conda_forge_ci_setup").mkdir(parents=True)
    (recipe / "conda_forge_ci_setup" / "__init__.py").write_text("")
    (recipe / "setup.py").write_text("")
    (recipe / "yum_requirements.txt").write_text("# x11\nmesa-libGL\n\nxorg-x11-server-Xvfb\n")
    (recipe / "run_conda_forge_build_setup_linux").write_text("")
    files = render(FeedstockConfig(), META, tmp_path)
    steps = files[".scripts/build_steps.sh"].content.decode()
    assert "yum install -y mesa-libGL xorg-x11-server-Xvfb" in steps
    assert 'source "${RECIPE_ROOT}/run_conda_forge_build_setup_linux"' in steps
    assert "conda uninstall --quiet --yes --force conda-forge-ci-setup conda-build" in steps
    assert 'pip install --no-deps "${RECIPE_ROOT}/."' in steps
    osx = files[".scripts/run_osx_build.sh"].content.decode()
    assert "source run_conda_forge_build_setup" in osx


def test_empty_yum_requirements_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "recipe").mkdir()
    (tmp_path / "recipe" / "yum_requirements.txt").write_text("# nothing\n")
    with pytest.raises(ConfigError, match="lists no package") as info:
        render(FeedstockConfig(), META, tmp_path)
    assert info.value.span is not None
    assert info.value.span.path == "recipe/yum_requirements.txt"


def test_wanted_scripts_follow_the_jobs() -> None:
    base = (".scripts/logging_utils.sh",)
    assert wanted_scripts((), SupportNeeds()) == base
    assert wanted_scripts(("osx",), SupportNeeds(free_disk_space=True)) == (
        *base,
        ".scripts/run_osx_build.sh",
        ".scripts/free_disk_space.sh",
    )
    assert ".scripts/SetPageFileSize.ps1" in wanted_scripts(
        ("win",), SupportNeeds(pagefile_win=True)
    )
    assert ".scripts/create_pagefile.sh" not in wanted_scripts(
        ("win",), SupportNeeds(pagefile_win=True)
    )


def test_logging_groups_per_ci_service(rendered: dict[str, dict[str, str]]) -> None:
    utils = Path(rendered["defaults"]["<root>"]) / ".scripts/logging_utils.sh"
    script = f'source "{utils}"; startgroup "Build it"; endgroup "Build it"'
    outputs = {
        ci: subprocess.run(
            ["bash", "-c", script], env={"CI": ci}, capture_output=True, text=True, check=True
        ).stdout
        for ci in ("github_actions", "azure", "")
    }
    assert outputs["github_actions"] == "::group::Build it\n::endgroup::\n"
    assert outputs["azure"] == "##[group]Build it\n##[endgroup]\n"
    assert outputs[""] == "Build it\n"


def _docker_feedstock(tmp_path: Path, config: FeedstockConfig) -> Path:
    for path, planned in render(config, META, tmp_path).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(planned.content)
        (tmp_path / path).chmod(planned.mode)
    (tmp_path / "recipe").mkdir(exist_ok=True)
    (tmp_path / ".ci_support").mkdir()
    (tmp_path / ".ci_support" / "linux_64_a.yaml").write_text(
        "c_compiler:\n- gcc\ndocker_image:\n- quay.io/condaforge/linux-anvil-x86_64:alma9\n"
    )
    # A stand-in docker: records its arguments and, like build_steps.sh, touches the canary.
    fake = tmp_path / "fake-docker"
    fake.write_text(
        '#!/usr/bin/env bash\necho "$*" >> "${FAKE_LOG}"\n'
        'if [[ "$1" == run ]]; then touch "${FAKE_CANARY}"; fi\n'
    )
    fake.chmod(0o755)
    return fake


def _run_docker_build(root: Path, fake: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(root),
        "DOCKER_EXECUTABLE": str(fake),
        "FAKE_LOG": str(root / "docker.log"),
        "FAKE_CANARY": str(root / "build_artifacts/conda-forge-build-done-linux_64_a"),
        "CI": "github_actions",
        "sha": "abc",
        **env,
    }
    return subprocess.run(
        [str(root / ".scripts/run_docker_build.sh")],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_docker_build_runs_the_configs_image(tmp_path: Path) -> None:
    config = FeedstockConfig(docker=DockerConfig(command="bash -l"))
    fake = _docker_feedstock(tmp_path, config)
    result = _run_docker_build(tmp_path, fake, CONFIG="linux_64_a")
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "docker.log").read_text().splitlines()
    assert calls[0] == "info"
    assert calls[1] == "pull quay.io/condaforge/linux-anvil-x86_64:alma9"
    run = calls[2]
    assert run.startswith("run -v ")
    assert f"{tmp_path}/recipe:/home/conda/recipe_root:rw,z,delegated" in run
    assert "-e CONFIG" in run and "-e BINSTAR_TOKEN -e OTHER_TOKEN" in run
    assert run.endswith(
        "quay.io/condaforge/linux-anvil-x86_64:alma9 bash -l "
        "/home/conda/feedstock_root/.scripts/build_steps.sh"
    )


def test_docker_build_needs_a_config(tmp_path: Path) -> None:
    fake = _docker_feedstock(tmp_path, FeedstockConfig())
    result = _run_docker_build(tmp_path, fake)
    assert result.returncode == 1
    assert "linux_64_a" in result.stdout
    assert not (tmp_path / "docker.log").exists()
