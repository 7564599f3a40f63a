"""The typed conda-forge.yml: frozen dataclasses (`frozen_record`) holding each key and default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any, Literal

from smithy.config.providers import (
    CONFIG_PLATFORMS,
    INITIAL_PROVIDERS,
    LINUX_PLATFORMS,
    PROVIDER_KEYS,
    ProviderValue,
    platform_key,
    platform_subdir,
    resolve_providers,
)
from smithy.errors import Span
from smithy.records import frozen_record

IssueKind = Literal["unknown-key", "wrong-type", "deprecated", "invalid-value"]
CondaBuildTool = Literal[
    "conda-build",
    "conda-build+classic",
    "conda-build+conda-libmamba-solver",
    "mambabuild",
    "rattler-build",
]
CondaInstallTool = Literal["conda", "mamba", "micromamba", "pixi"]
TestMode = Literal["all", "native", "native_and_emulated"]
Scalar = str | int | float | bool | None


def frozen_map(values: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """Return a read-only view of a fresh copy of ``values``."""
    return MappingProxyType(dict(values or {}))


@frozen_record
class ConfigIssue:
    """A non-fatal problem found while loading; lint turns these into findings."""

    message: str
    key_path: str
    span: Span
    kind: IssueKind


@frozen_record
class ConditionalValue:
    """One ``workflow_settings`` entry: a value and the os/platform/provider it applies to.

    ``None`` for a filter means "any". ``migrated_from`` names the legacy key the entry was
    derived from, empty for entries written by the user.
    """

    value: object
    os: tuple[str, ...] | None = None
    platform: tuple[str, ...] | None = None
    provider: tuple[str, ...] | None = None
    span: Span | None = None
    migrated_from: str = ""

    def matches(self, *, os: str, platform: str, provider: str) -> bool:
        """Return whether the entry applies to a job (``platform`` as key or subdir)."""
        if self.os is not None and os not in self.os:
            return False
        if self.platform is not None and platform_key(platform) not in self.platform:
            return False
        return self.provider is None or provider in self.provider


@frozen_record
class WorkflowSettings:
    """Per os/platform/provider CI settings; each key holds its entries, last match wins."""

    store_build_artifacts: tuple[ConditionalValue, ...] = ()
    tools_install_dir: tuple[ConditionalValue, ...] = ()
    build_workspace_dir: tuple[ConditionalValue, ...] = ()
    pagefile_size: tuple[ConditionalValue, ...] = ()
    free_disk_space: tuple[ConditionalValue, ...] = ()
    resize_partitions: tuple[ConditionalValue, ...] = ()


@frozen_record
class GithubConfig:
    """The ``github`` block: where the feedstock lives."""

    user_or_org: str = "conda-forge"
    repo_name: str = ""
    branch_name: str = "main"
    tooling_branch_name: str = "main"


@frozen_record
class GithubActionsConfig:
    """The ``github_actions`` block."""

    artifact_retention_days: int = 14
    cancel_in_progress: bool = True
    free_disk_space: bool | tuple[str, ...] | None = False
    max_parallel: int | None = 50
    resize_win_partitions: bool = False
    self_hosted: bool = False
    store_build_artifacts: bool = False
    timeout_minutes: int = 360
    triggers: tuple[str, ...] = ()
    upload_packages: bool = True

    @property
    def effective_triggers(self) -> tuple[str, ...]:
        """The workflow triggers: as written, else push (+ pull_request unless self-hosted)."""
        if self.triggers:
            return self.triggers
        return ("push",) if self.self_hosted else ("push", "pull_request")


@frozen_record
class AzureRunnerSettings:
    """One ``azure.settings_<os>`` block; ``extra`` keeps other keys, dumped verbatim."""

    pool: Mapping[str, Any] = field(
        default_factory=lambda: frozen_map({"vmImage": "ubuntu-latest"})
    )
    swapfile_size: str | None = None
    timeout_in_minutes: int | None = 360
    variables: Mapping[str, Scalar] = field(default_factory=frozen_map)
    install_atl: bool = False
    extra: Mapping[str, Any] = field(default_factory=frozen_map)


@frozen_record
class AzureConfig:
    """The ``azure`` block."""

    force: bool = False
    free_disk_space: bool | tuple[str, ...] | None = False
    max_parallel: int = 50
    project_id: str = "84710dde-1620-425b-80d0-4cf5baca359d"
    project_name: str = "feedstock-builds"
    build_id: int | None = None
    upload_packages: bool = True
    settings_linux: AzureRunnerSettings = field(
        default_factory=lambda: AzureRunnerSettings(swapfile_size="0GiB")
    )
    settings_osx: AzureRunnerSettings = field(
        default_factory=lambda: AzureRunnerSettings(pool=frozen_map({"vmImage": "$(VMIMAGE)"}))
    )
    settings_win: AzureRunnerSettings = field(
        default_factory=lambda: AzureRunnerSettings(
            pool=frozen_map({"vmImage": "windows-2022"}),
            variables=frozen_map({"UPLOAD_TEMP": "D:\\\\tmp"}),
        )
    )
    user_or_org: str | None = None
    store_build_artifacts: bool = False
    timeout_minutes: int | None = None


@frozen_record
class DockerConfig:
    """The ``docker`` block used by the linux build script."""

    executable: str = "docker"
    fallback_image: str = "quay.io/condaforge/linux-anvil-comp7"
    command: str = "bash"
    run_args: str = ""
    interactive: bool | None = None


@frozen_record
class CondaBuildConfig:
    """The ``conda_build`` block; ``extra`` keeps the other conda-build settings."""

    pkg_format: str = "2"
    zstd_compression_level: int = 16
    error_overlinking: bool = False
    extra: Mapping[str, Any] = field(default_factory=frozen_map)


@frozen_record
class LinterConfig:
    """The ``linter`` block."""

    skip: tuple[str, ...] = ()


@frozen_record
class ShellcheckConfig:
    """The ``shellcheck`` block."""

    enabled: bool = False


def _identity_build_platforms() -> Mapping[str, str]:
    return frozen_map({key: key for key in CONFIG_PLATFORMS})


def _initial_providers() -> Mapping[str, ProviderValue]:
    return frozen_map(
        {
            key: (INITIAL_PROVIDERS[key],) if key in INITIAL_PROVIDERS else None
            for key in PROVIDER_KEYS
        }
    )


def _no_os_versions() -> Mapping[str, str | None]:
    return frozen_map(dict.fromkeys(LINUX_PLATFORMS))


@frozen_record
class FeedstockConfig:
    """Every conda-forge.yml key as a typed attribute with conda-smithy's default.

    Per-platform maps are keyed by conda-forge.yml's names (``linux_64``, ``osx_arm64``).
    ``issues`` lists what the loader found wrong but could work around.
    """

    recipe_dir: str = "recipe"
    conda_build_tool: CondaBuildTool = "conda-build"
    conda_install_tool: CondaInstallTool = "micromamba"
    conda_solver: Literal["libmamba", "classic"] | None = "libmamba"
    conda_forge_output_validation: bool = False
    channel_priority: Literal["strict", "flexible", "disabled"] = "strict"
    conda_build: CondaBuildConfig = field(default_factory=CondaBuildConfig)
    build_platform: Mapping[str, str] = field(default_factory=_identity_build_platforms)
    provider: Mapping[str, ProviderValue] = field(default_factory=_initial_providers)
    noarch_platforms: tuple[str, ...] = ("linux_64",)
    os_version: Mapping[str, str | None] = field(default_factory=_no_os_versions)
    test: TestMode | None = None
    test_on_native_only: bool = False
    upload_on_branch: str | None = None
    private_upload: bool = False
    secrets: tuple[str, ...] = ()
    clone_depth: int | None = None
    idle_timeout_minutes: int | None = None
    choco: tuple[str, ...] = ()
    remote_ci_setup: tuple[str, ...] = ("conda-forge-ci-setup=4", "conda-build>=26.3")
    shellcheck: ShellcheckConfig = field(default_factory=ShellcheckConfig)
    skip_render: tuple[str, ...] = ()
    templates: Mapping[str, Scalar] = field(default_factory=frozen_map)
    linter: LinterConfig = field(default_factory=LinterConfig)
    bot: Mapping[str, Any] = field(default_factory=frozen_map)
    github: GithubConfig = field(default_factory=GithubConfig)
    docker: DockerConfig = field(default_factory=DockerConfig)
    workflow_settings: WorkflowSettings = field(default_factory=WorkflowSettings)
    config_version: str = "2"
    compiler_stack: str = "comp7"
    min_py_ver: str = "27"
    max_py_ver: str = "37"
    min_r_ver: str = "34"
    max_r_ver: str = "34"
    exclusive_config_file: str | None = None
    package: str | None = None
    build_with_mambabuild: bool | None = None
    matrix: Mapping[str, Any] = field(default_factory=frozen_map)
    azure: AzureConfig = field(default_factory=AzureConfig)
    github_actions: GithubActionsConfig = field(default_factory=GithubActionsConfig)
    travis: Mapping[str, Any] = field(default_factory=frozen_map)
    circle: Mapping[str, Any] = field(default_factory=frozen_map)
    appveyor: Mapping[str, Any] = field(
        default_factory=lambda: frozen_map({"image": "Visual Studio 2017"})
    )
    drone: Mapping[str, Any] = field(default_factory=frozen_map)
    woodpecker: Mapping[str, Any] = field(default_factory=frozen_map)
    issues: tuple[ConfigIssue, ...] = ()
    source_path: str | None = None

    def provider_for(self, build_platform: str) -> tuple[str, ...]:
        """Return the CI providers building on ``build_platform`` (a subdir such as ``linux-64``).

        Follows conda-smithy: ``linux``/``osx``/``win`` stand for the 64-bit platform of that OS
        and win over it unless null; ``default``/``emulated`` become the platform's default
        provider (github_actions for linux and win, azure for osx; an OS alias always falls
        back to github_actions); ``native`` becomes the platform's native provider (travis for
        ppc64le and s390x); null, ``false``, ``"None"`` or an unknown platform give ``()``.
        Only linux_64, osx_64 and win_64 are built by default; every other platform is off
        until given a provider (``linux_aarch64: default`` -> github_actions, ``osx_arm64:
        default`` -> azure) or cross-compiled through ``build_platform``.
        """
        return resolve_providers(self.provider, build_platform)

    def build_platform_for(self, target_platform: str) -> str:
        """Return the subdir that builds ``target_platform`` (cross-compiling when different)."""
        key = platform_key(target_platform)
        return platform_subdir(self.build_platform.get(key, key))

    def os_version_for(self, platform: str) -> str | None:
        """Return the linux image version chosen for ``platform`` (a subdir), None if unset."""
        return self.os_version.get(platform_key(platform))

    @property
    def has_legacy_matrix(self) -> bool:
        """Whether a smithy-2 ``matrix:`` is set (an error when the recipe has no cbc file)."""
        return bool(self.matrix)

    @property
    def test_mode(self) -> TestMode:
        """The ``test`` setting with its default (``all``) filled in."""
        return self.test or "all"

    @property
    def azure_user_or_org(self) -> str:
        """The Azure organization: ``azure.user_or_org``, else ``github.user_or_org``."""
        return self.azure.user_or_org or self.github.user_or_org
