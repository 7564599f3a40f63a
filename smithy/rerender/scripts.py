"""The ``.scripts/*`` files CI jobs run: build drivers per OS and the optional support scripts."""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.errors import ConfigError, Span
from smithy.records import record
from smithy.rerender.ci_views import GENERATED_NOTICE, SupportNeeds, render_file
from smithy.rerender.model import EXECUTABLE, FeedstockFacts, PlannedFile
from smithy.textfile import read_user_text

LOGGING_UTILS = ".scripts/logging_utils.sh"
# Build drivers per build OS.
OS_SCRIPTS: dict[str, tuple[str, ...]] = {
    "linux": (".scripts/run_docker_build.sh", ".scripts/build_steps.sh"),
    "osx": (".scripts/run_osx_build.sh",),
    "win": (".scripts/run_win_build.bat",),
}
ARTIFACTS_UNIX = ".scripts/create_conda_build_artifacts.sh"
ARTIFACTS_WIN = ".scripts/create_conda_build_artifacts.bat"
PAGEFILE_LINUX = ".scripts/create_pagefile.sh"
PAGEFILE_WIN = (".scripts/create_pagefile.bat", ".scripts/SetPageFileSize.ps1")
FREE_DISK_SPACE = ".scripts/free_disk_space.sh"
SCRIPT_PATHS: tuple[str, ...] = (
    LOGGING_UTILS,
    *(path for paths in OS_SCRIPTS.values() for path in paths),
    ARTIFACTS_UNIX,
    ARTIFACTS_WIN,
    PAGEFILE_LINUX,
    *PAGEFILE_WIN,
    FREE_DISK_SPACE,
)
# micromamba release used to provision macOS and Windows runners.
MICROMAMBA_VERSION = "1.5.10-0"
# conda-smithy pins the tooling environment's python to the newest Miniforge's.
TOOLING_PYTHON = "python=3.12"

_BUILD_COMMANDS = {
    "conda-build": "conda-build",
    "conda-build+classic": "CONDA_SOLVER=classic conda-build",
    "conda-build+conda-libmamba-solver": "CONDA_SOLVER=libmamba conda-build",
    "mambabuild": "conda-mambabuild",
    "rattler-build": "rattler-build build",
}
_BUILD_TOOL_DEPS = {
    "conda-build": f"{TOOLING_PYTHON} conda-build",
    "conda-build+classic": f"{TOOLING_PYTHON} conda-build",
    "conda-build+conda-libmamba-solver": f"{TOOLING_PYTHON} conda-build conda-libmamba-solver",
    "mambabuild": f"{TOOLING_PYTHON} conda-build boa",
    "rattler-build": "rattler-build",
}
_SPEC_NAME = re.compile(r"^[\"']?([A-Za-z0-9_.-]+)")


@record
class ScriptsView:
    """What the script templates print; every value is ready to paste into a script.

    Attributes:
        build_tool: ``conda_build_tool`` (``rattler-build`` whenever the recipe is recipe.yaml).
        build_command: the command that builds (``conda-build``, ``rattler-build build``...).
        no_test_flag: the build option that skips tests (``--no-test`` / ``--test skip``).
        tool_specs: packages of the tooling environment, shell-quoted where needed.
        ci_setup_names: names of the ``remote_ci_setup`` packages (to uninstall them).
        build_setup: recipe-local ``run_conda_forge_build_setup_<os>`` override per OS, "" if none.
        yum_packages: shell-quoted packages from ``recipe/yum_requirements.txt``.
        test_mode: ``all``, ``native`` or ``native_and_emulated``.
    """

    notice: str
    recipe_dir: str
    build_tool: str
    build_command: str
    no_test_flag: str
    install_tool: str
    tool_specs: str
    ci_setup_names: str
    solver: str
    local_ci_setup: bool
    build_setup: dict[str, str]
    yum_packages: str
    test_mode: str
    output_validation: bool
    private_upload: bool
    upload_on_branch: str
    docker_executable: str
    docker_fallback_image: str
    docker_command: str
    secrets: tuple[str, ...]
    micromamba_version: str = MICROMAMBA_VERSION

    @property
    def rattler(self) -> bool:
        """Whether the build tool is rattler-build."""
        return self.build_tool == "rattler-build"


def sanitize_ci_setup(specs: Collection[str]) -> tuple[str, ...]:
    """Quote the ``remote_ci_setup`` specs the shell would misread (``<``, ``>``, ``|``)."""
    quoted = []
    for spec in specs:
        if not spec.startswith(("'", '"')) and any(char in spec for char in "<>|"):
            spec = f'"{spec}"'
        quoted.append(spec)
    return tuple(quoted)


def _tool_specs(config: FeedstockConfig, build_tool: str) -> str:
    install = {"mamba": "mamba", "conda": "conda"}.get(config.conda_install_tool, "")
    if config.conda_install_tool == "conda" and config.conda_solver == "libmamba":
        install += " conda-libmamba-solver"
    parts = [
        "pip",
        install,
        _BUILD_TOOL_DEPS[build_tool],
        *sanitize_ci_setup(config.remote_ci_setup),
    ]
    return " ".join(part for part in parts if part)


def _yum_packages(feedstock_dir: Path, recipe_dir: str) -> str:
    path = feedstock_dir / recipe_dir / "yum_requirements.txt"
    if not path.is_file():
        return ""
    shown = f"{recipe_dir}/yum_requirements.txt"
    lines = read_user_text(path, shown, ConfigError).splitlines()
    packages = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not packages:
        raise ConfigError(
            "yum_requirements.txt lists no package; add some or remove the file", Span(shown, 1)
        )
    return " ".join(shlex.quote(package) for package in packages)


def _build_setup(feedstock_dir: Path, recipe_dir: str) -> dict[str, str]:
    names = {
        "linux": "run_conda_forge_build_setup_linux",
        "osx": "run_conda_forge_build_setup_osx",
        "win": "run_conda_forge_build_setup_win.bat",
    }
    return {
        os_name: name if (feedstock_dir / recipe_dir / name).is_file() else ""
        for os_name, name in names.items()
    }


def _has_local_ci_setup(feedstock_dir: Path, recipe_dir: str) -> bool:
    recipe = feedstock_dir / recipe_dir
    package = recipe / "conda_forge_ci_setup" / "__init__.py"
    return package.is_file() and (recipe / "setup.py").is_file()


def scripts_view(
    config: FeedstockConfig, facts: FeedstockFacts, feedstock_dir: Path, secrets: tuple[str, ...]
) -> ScriptsView:
    """Build the scripts' view from the config and the files in the recipe folder.

    Raises:
        ConfigError: ``yum_requirements.txt`` is unreadable or lists no package.
    """
    recipe_dir = config.recipe_dir or facts.recipe_dir
    build_tool = "rattler-build" if facts.recipe_file == "recipe.yaml" else config.conda_build_tool
    names = (_SPEC_NAME.match(spec) for spec in config.remote_ci_setup)
    return ScriptsView(
        notice=GENERATED_NOTICE,
        recipe_dir=recipe_dir,
        build_tool=build_tool,
        build_command=_BUILD_COMMANDS[build_tool],
        no_test_flag="--test skip" if build_tool == "rattler-build" else "--no-test",
        install_tool=config.conda_install_tool,
        tool_specs=_tool_specs(config, build_tool),
        ci_setup_names=" ".join(match.group(1) for match in names if match),
        solver=config.conda_solver or "",
        local_ci_setup=_has_local_ci_setup(feedstock_dir, recipe_dir),
        build_setup=_build_setup(feedstock_dir, recipe_dir),
        yum_packages=_yum_packages(feedstock_dir, recipe_dir),
        test_mode=config.test_mode,
        output_validation=config.conda_forge_output_validation,
        private_upload=config.private_upload,
        upload_on_branch=config.upload_on_branch or "",
        docker_executable=config.docker.executable,
        docker_fallback_image=config.docker.fallback_image,
        docker_command=config.docker.command,
        secrets=secrets,
    )


def wanted_scripts(oses: Collection[str], needs: SupportNeeds) -> tuple[str, ...]:
    """Return the script paths the enabled jobs run, in ``SCRIPT_PATHS`` order."""
    wanted = {LOGGING_UTILS}
    for os_name in oses:
        wanted.update(OS_SCRIPTS.get(os_name, ()))
    if needs.artifacts_unix:
        wanted.add(ARTIFACTS_UNIX)
    if needs.artifacts_win:
        wanted.add(ARTIFACTS_WIN)
    if needs.pagefile_linux:
        wanted.add(PAGEFILE_LINUX)
    if needs.pagefile_win:
        wanted.update(PAGEFILE_WIN)
    if needs.free_disk_space:
        wanted.add(FREE_DISK_SPACE)
    return tuple(path for path in SCRIPT_PATHS if path in wanted)


def script_files(
    paths: Collection[str], view: ScriptsView, feedstock_dir: Path
) -> dict[str, PlannedFile]:
    """Render the scripts at ``paths``; every one is executable, as conda-smithy makes them."""
    return {
        path: render_file(path, {"s": view}, feedstock_dir, EXECUTABLE)
        for path in SCRIPT_PATHS
        if path in paths
    }
