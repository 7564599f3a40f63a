"""Resolving workflow_settings for one CI job: filters, last match wins, conda-smithy defaults."""

from __future__ import annotations

import textwrap

import pytest

from smithy.config.load import default_config, parse_config
from smithy.config.schema import FeedstockConfig
from smithy.config.workflow_settings import resolve_workflow_setting, resolve_workflow_settings


def load(text: str) -> FeedstockConfig:
    config = parse_config(textwrap.dedent(text))
    assert [i for i in config.issues if i.kind != "deprecated"] == []
    return config


def job(config: FeedstockConfig, key: str, platform: str, provider: str) -> object:
    os_name = platform.split("-")[0]
    return resolve_workflow_setting(config, key, os=os_name, platform=platform, provider=provider)


@pytest.mark.parametrize(
    ("platform", "provider", "expected"),
    [
        ("linux-64", "azure", {"tools_install_dir": "~/miniforge3",
                               "build_workspace_dir": "build_artifacts"}),
        ("osx-arm64", "azure", {"tools_install_dir": "~/miniforge3",
                                "build_workspace_dir": "~/miniforge3/conda-bld"}),
        ("win-64", "azure", {"tools_install_dir": "D:\\Miniforge",
                             "build_workspace_dir": "D:\\\\bld\\\\"}),
        ("win-arm64", "azure", {"tools_install_dir": "C:\\Miniforge",
                                "build_workspace_dir": "C:\\\\bld\\\\"}),
        ("win-64", "github_actions", {"tools_install_dir": "D:\\Miniforge"}),
        ("win-arm64", "github_actions", {"tools_install_dir": "C:\\Miniforge"}),
    ],
)  # fmt: skip
def test_defaults(platform: str, provider: str, expected: dict[str, str]) -> None:
    config = default_config()
    for key, value in expected.items():
        assert job(config, key, platform, provider) == value
    settings = resolve_workflow_settings(
        config, os=platform.split("-")[0], platform=platform, provider=provider
    )
    assert settings.pagefile_size == 0
    assert settings.free_disk_space == "skip"
    assert settings.store_build_artifacts is False
    assert settings.resize_partitions is False


def test_direct_value_applies_everywhere() -> None:
    config = load("workflow_settings:\n  free_disk_space: max\n")
    assert job(config, "free_disk_space", "linux-64", "github_actions") == "max"
    assert job(config, "free_disk_space", "win-64", "azure") == "max"


def test_last_matching_entry_wins() -> None:
    config = load(
        """\
        workflow_settings:
          pagefile_size:
            - value: 4
            - os: win
              value: 8
            - platform: win_64
              provider: azure
              value: 16
            - os: linux
              value: 2
        """
    )
    assert job(config, "pagefile_size", "win-64", "azure") == 16
    assert job(config, "pagefile_size", "win-64", "github_actions") == 8
    assert job(config, "pagefile_size", "win-arm64", "azure") == 8
    assert job(config, "pagefile_size", "linux-aarch64", "azure") == 2
    assert job(config, "pagefile_size", "osx-64", "azure") == 4


def test_filters_accept_lists_and_or_within_a_filter() -> None:
    config = load(
        """\
        workflow_settings:
          store_build_artifacts:
            - platform: [linux_64, win_64]
              provider: [github_actions]
              value: true
        """
    )
    assert job(config, "store_build_artifacts", "linux-64", "github_actions") is True
    assert job(config, "store_build_artifacts", "win-64", "github_actions") is True
    assert job(config, "store_build_artifacts", "win-64", "azure") is False
    assert job(config, "store_build_artifacts", "osx-64", "github_actions") is False


def test_build_workspace_follows_custom_tools_dir() -> None:
    config = load(
        """\
        workflow_settings:
          tools_install_dir:
            - os: win
              value: C:\\Miniforge
            - os: osx
              value: /opt/mf
        """
    )
    assert job(config, "build_workspace_dir", "win-64", "azure") == "C:\\\\bld\\\\"
    assert job(config, "build_workspace_dir", "osx-64", "azure") == "/opt/mf/conda-bld"
    explicit = load("workflow_settings:\n  build_workspace_dir: [{os: win, value: 'E:\\bld'}]\n")
    assert job(explicit, "build_workspace_dir", "win-64", "azure") == "E:\\bld"


def test_null_entry_value_falls_back_to_default() -> None:
    config = load(
        "workflow_settings:\n  free_disk_space:\n"
        "    - value: max\n    - os: linux\n      value: null\n"
    )
    assert job(config, "free_disk_space", "linux-64", "azure") == "skip"
    assert job(config, "free_disk_space", "osx-64", "azure") == "max"


def test_migrated_entries_resolve_per_provider() -> None:
    config = load(
        """\
        azure:
          store_build_artifacts: true
          settings_win:
            variables:
              CONDA_BLD_PATH: C:\\bld\\
        github_actions:
          free_disk_space: [apt, cache, docker]
        """
    )
    assert job(config, "store_build_artifacts", "linux-64", "azure") is True
    assert job(config, "store_build_artifacts", "linux-64", "github_actions") is False
    assert job(config, "free_disk_space", "linux-64", "github_actions") == "max"
    assert job(config, "free_disk_space", "linux-64", "azure") == "skip"
    assert job(config, "build_workspace_dir", "win-64", "azure") == "C:\\bld\\"
    assert job(config, "build_workspace_dir", "win-64", "github_actions") == "D:\\\\bld\\\\"


def test_explicit_win_drive() -> None:
    settings = resolve_workflow_settings(
        default_config(), os="win", platform="win-64", provider="github_actions", win_drive="C:"
    )
    assert settings.tools_install_dir == "C:\\Miniforge"
    assert settings.build_workspace_dir == "C:\\\\bld\\\\"


def test_invalid_filter_names_never_match() -> None:
    config = parse_config(
        "workflow_settings:\n  pagefile_size:\n    - os: [windows]\n      value: 8\n"
    )
    (issue,) = config.issues
    assert issue.kind == "invalid-value" and "did you mean 'win'?" in issue.message
    assert job(config, "pagefile_size", "win-64", "azure") == 0


def test_entry_without_value_is_reported_and_dropped() -> None:
    config = parse_config("workflow_settings:\n  pagefile_size:\n    - os: win\n")
    (issue,) = config.issues
    assert (issue.kind, issue.span.line) == ("invalid-value", 3)
    assert config.workflow_settings.pagefile_size == ()


def test_unknown_setting_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown workflow setting"):
        resolve_workflow_setting(
            default_config(), "pagefile", os="win", platform="win-64", provider="azure"
        )
