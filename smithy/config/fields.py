"""The key tree of conda-forge.yml: kind, allowed values and help text of every key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from smithy.config.bot_fields import BOT
from smithy.config.field import Field
from smithy.config.providers import (
    CONFIG_PLATFORMS,
    LINUX_OS_VERSIONS,
    LINUX_PLATFORMS,
    PROVIDER_KEYS,
)


def _block(doc: str, extra: bool = False, nullable: bool = False, **children: Field) -> Field:
    return Field("block", doc, children=children, extra=extra, nullable=nullable)


_STR = Field("str")
_PLATFORM = Field("enum", choices=CONFIG_PLATFORMS)
_FREE_DISK_SPACE_OLD = "use workflow_settings.free_disk_space (skip, quick or max)"
_FREE_DISK_SPACE_LEVELS = ("skip", "quick", "max")


def _runner_settings(os_name: str) -> Field:
    return _block(
        f"Azure job settings for {os_name} jobs; keys smithy does not know (workspace, strategy, "
        "...) are copied into the job as written.",
        extra=True,
        pool=Field("map", "The agent pool, e.g. vmImage or a self-hosted pool name and demands."),
        swapfile_size=Field(
            "str",
            "Swap file size such as 10GiB.",
            nullable=True,
            pattern=r"^\d+GiB$",
            deprecated="use workflow_settings.pagefile_size (a number of GiB)",
            migrated=True,
        ),
        timeoutInMinutes=Field(
            "int", "Job timeout in minutes.", nullable=True, attr="timeout_in_minutes"
        ),
        variables=Field("scalars", "Environment variables set for the job."),
        install_atl=Field("bool", "Install the MSVC ATL components (Windows only)."),
    )


AZURE = _block(
    "Azure Pipelines settings.",
    force=Field("bool", "Also build every 64-bit platform on Azure, without uploading."),
    free_disk_space=Field(
        "cleanup",
        "Clean up the agent before building: true, or a list of apt, cache, docker.",
        nullable=True,
        item=Field("enum", choices=("apt", "cache", "docker")),
        deprecated=_FREE_DISK_SPACE_OLD,
        migrated=True,
    ),
    max_parallel=Field("int", "Most jobs running at once, shared out between the OSes."),
    project_id=Field("str", "ID of the Azure DevOps project."),
    project_name=Field("str", "Name of the Azure DevOps project."),
    build_id=Field("int", "Build definition ID used for the README badge.", nullable=True),
    upload_packages=Field("bool", "Upload packages built on Azure."),
    settings_linux=_runner_settings("linux"),
    settings_osx=_runner_settings("macOS"),
    settings_win=_runner_settings("Windows"),
    user_or_org=Field("str", "Azure organization; github.user_or_org when unset.", nullable=True),
    store_build_artifacts=Field(
        "bool",
        "Publish the build folder as a pipeline artifact.",
        deprecated="use workflow_settings.store_build_artifacts",
        migrated=True,
    ),
    timeout_minutes=Field(
        "int", "Job timeout in minutes for every OS (overrides settings_*).", nullable=True
    ),
)

GITHUB_ACTIONS = _block(
    "GitHub Actions settings.",
    artifact_retention_days=Field("int", "Days to keep uploaded artifacts."),
    cancel_in_progress=Field("bool", "Cancel a running workflow when a newer one starts."),
    free_disk_space=AZURE.children["free_disk_space"],
    max_parallel=Field("int", "Most jobs running at once (null: no limit).", nullable=True),
    resize_win_partitions=Field(
        "bool",
        "Grow the Windows partitions to all free space.",
        deprecated="use workflow_settings.resize_partitions",
        migrated=True,
    ),
    self_hosted=Field(
        "bool",
        "Run on self-hosted runners; now only makes the default triggers push-only.",
        deprecated="choose runners with github_actions_labels in recipe/conda_build_config.yaml",
    ),
    store_build_artifacts=Field(
        "bool",
        "Upload the build folder as a workflow artifact.",
        deprecated="use workflow_settings.store_build_artifacts",
        migrated=True,
    ),
    timeout_minutes=Field("int", "Job timeout in minutes."),
    triggers=Field("list", "Workflow triggers; empty means push and pull_request."),
    upload_packages=Field("bool", "Upload packages built on GitHub Actions."),
)


def _conditional(item: Field, doc: str) -> Field:
    # An entry's `value: null` means "use the default" for the jobs it matches.
    return Field("workflow", doc, item=replace(item, nullable=True))


WORKFLOW_SETTINGS = _block(
    "CI settings given once or as a list of entries limited by os, platform and provider "
    "(each a name or a list); the last entry that matches a job wins.",
    store_build_artifacts=_conditional(Field("bool"), "Upload the build folder as a CI artifact."),
    tools_install_dir=_conditional(
        _STR, "Where the build tools are installed (MINIFORGE_HOME); default ~/miniforge3."
    ),
    build_workspace_dir=_conditional(_STR, "Where conda-build works (CONDA_BLD_PATH)."),
    pagefile_size=_conditional(
        Field("int"), "Swap or page file size in GiB; 0 keeps the system's."
    ),
    free_disk_space=_conditional(
        Field("enum", choices=_FREE_DISK_SPACE_LEVELS),
        "Clean the runner before building: skip (default), quick or max.",
    ),
    resize_partitions=_conditional(
        Field("bool"), "Grow Windows partitions to all free space (GitHub Actions)."
    ),
)

_OLD_VERSION = "no longer used by the build scripts; remove it"

TOP_LEVEL: Mapping[str, Field] = {
    "recipe_dir": Field(
        "str",
        "Folder of the recipe, relative to the feedstock root.",
        # Pasted into CI scripts and joined to the feedstock root: the loader refuses anything
        # but a plain relative path inside the feedstock.
        pattern=r"^(?!(.*/)?\.\.(/|$))[A-Za-z0-9_.+@-]+(/[A-Za-z0-9_.+@-]+)*/?$",
        must_be="a folder inside the feedstock such as 'recipe' (letters, digits, '_.+@-' and '/')",
    ),
    "conda_build_tool": Field(
        "enum",
        "The tool that builds the recipe; rattler-build reads recipe.yaml, the others meta.yaml.",
        choices=(
            "conda-build",
            "conda-build+classic",
            "conda-build+conda-libmamba-solver",
            "mambabuild",
            "rattler-build",
        ),
    ),
    "conda_install_tool": Field(
        "enum",
        "The tool that installs the build tools on CI.",
        choices=("conda", "mamba", "micromamba", "pixi"),
    ),
    "conda_solver": Field(
        "enum", "conda's solver on CI.", nullable=True, choices=("libmamba", "classic")
    ),
    "conda_forge_output_validation": Field(
        "bool", "Validate outputs against the feedstock token; required in conda-forge."
    ),
    "channel_priority": Field(
        "enum", "conda channel priority on CI.", choices=("strict", "flexible", "disabled")
    ),
    "conda_build": _block(
        "conda-build settings read on CI; other conda-build keys are allowed.",
        extra=True,
        pkg_format=Field(
            "enum",
            "Package format: 2 for .conda, 1 or tar for .tar.bz2.",
            choices=("tar", "1", "2"),
            numeric=True,
        ),
        zstd_compression_level=Field("int", "zstd level for .conda packages."),
        error_overlinking=Field("bool", "Fail on libraries linked without a dependency."),
    ),
    "build_platform": Field(
        "platforms",
        "Target platform -> platform that builds it; a different one means cross-compiling.",
        item=_PLATFORM,
        keys=CONFIG_PLATFORMS,
    ),
    "provider": Field(
        "platforms",
        "Build platform -> CI provider(s). linux/osx/win stand for the 64-bit platform; "
        "default/emulated/native pick a provider; null or false turn the platform off.",
        item=Field("provider", nullable=True),
        keys=PROVIDER_KEYS,
    ),
    "noarch_platforms": Field(
        "list", "Platforms that build noarch outputs.", item=_PLATFORM, single=True
    ),
    "os_version": Field(
        "platforms",
        "Linux image version per linux platform (DEFAULT_LINUX_VERSION for the pinning).",
        item=Field("enum", nullable=True, choices=LINUX_OS_VERSIONS),
        keys=LINUX_PLATFORMS,
    ),
    "test": Field(
        "enum",
        "Where tests run when cross-compiling; null means all.",
        nullable=True,
        choices=("all", "native", "native_and_emulated"),
    ),
    "test_on_native_only": Field(
        "bool",
        "Skip tests of cross-compiled builds.",
        deprecated="use test: native_and_emulated",
        migrated=True,
    ),
    "upload_on_branch": Field("str", "Upload only from this branch.", nullable=True),
    "private_upload": Field("bool", "Upload to a private (token-protected) channel."),
    "secrets": Field(
        "list",
        "Extra CI secrets passed to the build; BINSTAR_TOKEN always is.",
        # Each is pasted into .scripts/run_docker_build.sh (`-e NAME`) and the CI files, where
        # `$(id)` ran a command and a space split it into two arguments.
        item=Field(
            "str",
            pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
            must_be="an environment variable name (letters, digits and '_', not starting with "
            "a digit)",
        ),
    ),
    "clone_depth": Field("int", "Depth of the git checkout on CI.", nullable=True),
    "idle_timeout_minutes": Field(
        "int", "Idle timeout of Travis and CircleCI jobs.", nullable=True
    ),
    "choco": Field("list", "Chocolatey packages installed on Windows jobs."),
    "remote_ci_setup": Field(
        "list", "Packages installed on CI before building (conda-forge-ci-setup...).", single=True
    ),
    "shellcheck": _block(
        "shellcheck settings for the recipe's shell scripts.",
        nullable=True,
        enabled=Field("bool", "Check recipe shell scripts with shellcheck."),
    ),
    "skip_render": Field("list", "Paths the rerender neither writes nor deletes."),
    "templates": Field("scalars", "Reserved for template overrides; leave unset."),
    "linter": _block(
        "Linter settings.", skip=Field("list", "Names of lints and hints to switch off.")
    ),
    "bot": BOT,
    "github": _block(
        "Where the feedstock lives on GitHub.",
        user_or_org=Field("str", "GitHub user or organization."),
        repo_name=Field("str", "Repository name; the feedstock folder name when empty."),
        branch_name=Field("str", "The default branch."),
        tooling_branch_name=Field("str", "Branch of conda-forge tooling used by the CI scripts."),
    ),
    "docker": _block(
        "Settings of the linux build container.",
        executable=Field("str", "The container engine command."),
        fallback_image=Field("str", "Image used when the pinning names none."),
        command=Field("str", "Shell run inside the container."),
        run_args=Field("str", "Extra arguments for `docker run`."),
        interactive=Field(
            "bool",
            "Run the container interactively.",
            nullable=True,
            deprecated="no longer used; remove it",
        ),
    ),
    "workflow_settings": WORKFLOW_SETTINGS,
    "config_version": Field("str", "Version of the config layout; do not edit.", numeric=True),
    "compiler_stack": Field("str", "Old compiler stack name.", deprecated=_OLD_VERSION),
    "min_py_ver": Field("str", "Old lower Python bound.", deprecated=_OLD_VERSION, numeric=True),
    "max_py_ver": Field("str", "Old upper Python bound.", deprecated=_OLD_VERSION, numeric=True),
    "min_r_ver": Field("str", "Old lower R bound.", deprecated=_OLD_VERSION, numeric=True),
    "max_r_ver": Field("str", "Old upper R bound.", deprecated=_OLD_VERSION, numeric=True),
    "exclusive_config_file": Field(
        "str", "Pinning file used instead of conda-forge's (set by the tool).", nullable=True
    ),
    "package": Field("str", "Feedstock folder name (set by the tool).", nullable=True),
    "build_with_mambabuild": Field(
        "bool",
        "Build with boa's mambabuild.",
        nullable=True,
        deprecated="use conda_build_tool: mambabuild",
        migrated=True,
    ),
    "matrix": Field(
        "map",
        "smithy-2 build matrix.",
        deprecated="move the matrix to recipe/conda_build_config.yaml",
    ),
    "azure": AZURE,
    "github_actions": GITHUB_ACTIONS,
    "travis": Field("map", "Travis CI settings (deprecated provider)."),
    "circle": Field("map", "CircleCI settings (deprecated provider)."),
    "appveyor": Field("map", "AppVeyor settings (deprecated provider)."),
    "drone": Field("map", "Drone CI settings (deprecated provider)."),
    "woodpecker": Field("map", "Woodpecker CI settings (deprecated provider)."),
}
