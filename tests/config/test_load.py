"""Loading conda-forge.yml: defaults, reported issues, legacy migrations and hard errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smithy.config.load import default_config, load_config, parse_config
from smithy.config.schema import ConditionalValue, ConfigIssue, FeedstockConfig
from smithy.errors import ConfigError, Span


def load(text: str) -> FeedstockConfig:
    return parse_config(textwrap.dedent(text), display_path="conda-forge.yml")


def only(config: FeedstockConfig, kind: str | None = None) -> ConfigIssue:
    issues = [i for i in config.issues if kind is None or i.kind == kind]
    assert len(issues) == 1, config.issues
    return issues[0]


def test_missing_file_and_none_give_defaults(tmp_path: Path) -> None:
    assert load_config(None) == default_config()
    assert load_config(tmp_path / "conda-forge.yml") == default_config()


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n", "null\n"])
def test_empty_documents_give_defaults(text: str) -> None:
    assert parse_config(text) == default_config()


def test_file_is_read_with_display_path(tmp_path: Path) -> None:
    path = tmp_path / "conda-forge.yml"
    path.write_text("github:\n  branch_name: trunk\n  tooling_branch_name: main\n")
    config = load_config(path, display_path="feedstock/conda-forge.yml")
    assert config.github.branch_name == "trunk"
    assert config.source_path == str(path)
    assert config.issues == ()
    path.write_text("github:\n  brnch: x\n")
    assert load_config(path, display_path="f.yml").issues[0].span == Span("f.yml", 2, 3)


def test_typical_file() -> None:
    config = load(
        """\
        bot:
          automerge: true
        build_platform:
          osx_arm64: osx_64
        conda_build:
          pkg_format: '2'
        conda_forge_output_validation: true
        github:
          branch_name: main
          tooling_branch_name: main
        provider:
          linux_aarch64: default
          linux_ppc64le: default
        test: native_and_emulated
        """
    )
    assert config.issues == ()
    assert config.bot == {"automerge": True}
    assert config.conda_forge_output_validation is True
    assert config.provider_for("linux-aarch64") == ("github_actions",)
    assert config.build_platform_for("osx-arm64") == "osx-64"
    assert config.build_platform["linux_64"] == "linux_64"
    assert config.test_mode == "native_and_emulated"


def test_unknown_top_level_key() -> None:
    issue = only(load("recipe_dirs: recipe\n"))
    assert issue.kind == "unknown-key"
    assert issue.key_path == "recipe_dirs"
    assert issue.span == Span("conda-forge.yml", 1, 1)
    assert "did you mean 'recipe_dir'?" in issue.message


def test_unknown_nested_key_keeps_the_rest() -> None:
    config = load(
        """\
        github_actions:
          cancel_in_progress: false
          timout_minutes: 120
        """
    )
    issue = only(config)
    assert (issue.kind, issue.key_path) == ("unknown-key", "github_actions.timout_minutes")
    assert issue.span == Span("conda-forge.yml", 3, 3)
    assert "did you mean 'timeout_minutes'?" in issue.message
    assert config.github_actions.cancel_in_progress is False
    assert config.github_actions.timeout_minutes == 360


def test_unknown_platform_suggests_underscore() -> None:
    config = load("provider:\n  linux-aarch64: default\n")
    issue = only(config)
    assert issue.key_path == "provider.linux-aarch64"
    assert "did you mean 'linux_aarch64'?" in issue.message
    assert config.provider_for("linux-aarch64") == ()


def test_unknown_key_in_workflow_entry() -> None:
    config = load("workflow_settings:\n  pagefile_size:\n    - oss: win\n      value: 8\n")
    issue = only(config)
    assert issue.key_path == "workflow_settings.pagefile_size[0].oss"
    assert issue.span.line == 3
    assert "did you mean 'os'?" in issue.message


@pytest.mark.parametrize(
    ("text", "key_path", "attribute", "default"),
    [
        ("github_actions:\n  timeout_minutes: six hours\n", "github_actions.timeout_minutes",
         lambda c: c.github_actions.timeout_minutes, 360),
        ("recipe_dir: [a, b]\n", "recipe_dir", lambda c: c.recipe_dir, "recipe"),
        ("recipe_dir:\n", "recipe_dir", lambda c: c.recipe_dir, "recipe"),
        ("private_upload: 'maybe'\n", "private_upload", lambda c: c.private_upload, False),
        ("azure:\n  max_parallel: true\n", "azure.max_parallel",
         lambda c: c.azure.max_parallel, 50),
        ("github: main\n", "github", lambda c: c.github.branch_name, "main"),
        ("secrets: {a: b}\n", "secrets", lambda c: c.secrets, ()),
        ("provider:\n  linux_64: {a: b}\n", "provider.linux_64",
         lambda c: c.provider_for("linux-64"), ("github_actions",)),
    ],
)  # fmt: skip
def test_wrong_type_uses_default(
    text: str, key_path: str, attribute: object, default: object
) -> None:
    config = load(text)
    issue = only(config)
    assert (issue.kind, issue.key_path) == ("wrong-type", key_path)
    assert issue.span.line == text.count("\n", 0, text.index(key_path.split(".")[-1])) + 1
    assert attribute(config) == default  # type: ignore[operator]


def test_invalid_enum_value_suggests() -> None:
    config = load("conda_build_tool: rattler_build\n")
    issue = only(config)
    assert issue.kind == "invalid-value"
    assert "did you mean 'rattler-build'?" in issue.message
    assert config.conda_build_tool == "conda-build"


def test_unknown_provider_name() -> None:
    config = load("provider:\n  linux_aarch64: [github_action]\n")
    issue = only(config)
    assert issue.kind == "invalid-value"
    assert "did you mean 'github_actions'?" in issue.message
    assert config.provider_for("linux-aarch64") == ()


def test_deprecated_provider_is_kept_and_reported() -> None:
    config = load("provider:\n  linux_ppc64le: travis\n")
    assert only(config).kind == "deprecated"
    assert config.provider_for("linux-ppc64le") == ("travis",)
    # smithy writes no .travis.yml: the warning must say so, not leave the old file silently
    assert "does not write its .travis.yml" in only(config).message


def test_yaml_11_booleans_and_numbers() -> None:
    config = load("conda_forge_output_validation: yes\nmin_py_ver: 27\nclone_depth: 0\n")
    assert config.conda_forge_output_validation is True
    assert config.min_py_ver == "27"
    assert config.clone_depth == 0


def test_single_values_become_lists() -> None:
    config = load("noarch_platforms: win_64\nremote_ci_setup: conda-forge-ci-setup=3\n")
    assert config.issues == ()
    assert config.noarch_platforms == ("win_64",)
    assert config.remote_ci_setup == ("conda-forge-ci-setup=3",)


def test_nested_mappings_merge_over_defaults() -> None:
    config = load(
        """\
        azure:
          settings_linux:
            pool:
              name: self-hosted
            workspace:
              clean: all
          settings_win:
            variables:
              EXTRA: '1'
        appveyor:
          secure:
            BINSTAR_TOKEN: xyz
        conda_build:
          error_overlinking: true
          merge_build_host: true
        """
    )
    assert config.issues == ()
    linux = config.azure.settings_linux
    assert linux.pool == {"vmImage": "ubuntu-latest", "name": "self-hosted"}
    assert linux.extra == {"workspace": {"clean": "all"}}
    assert config.azure.settings_win.variables == {"UPLOAD_TEMP": "D:\\\\tmp", "EXTRA": "1"}
    assert config.appveyor == {"image": "Visual Studio 2017", "secure": {"BINSTAR_TOKEN": "xyz"}}
    assert config.conda_build.error_overlinking is True
    assert config.conda_build.extra == {"merge_build_host": True}


def test_duplicate_key_last_wins() -> None:
    config = load("recipe_dir: a\nrecipe_dir: b\n")
    assert config.recipe_dir == "b"
    issue = only(config)
    assert issue.kind == "invalid-value" and issue.span.line == 2


def test_config_is_frozen() -> None:
    config = load("secrets: [A]\nbot: {automerge: true}\n")
    with pytest.raises(AttributeError):
        config.recipe_dir = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.bot["automerge"] = False  # type: ignore[index]
    assert config.secrets == ("A",)


def test_matrix_is_exposed_not_fatal() -> None:
    config = load("matrix:\n  python: ['3.6']\n")
    assert config.has_legacy_matrix is True
    assert only(config).kind == "deprecated"
    assert default_config().has_legacy_matrix is False


def _entries(config: FeedstockConfig, key: str) -> tuple[ConditionalValue, ...]:
    entries: tuple[ConditionalValue, ...] = getattr(config.workflow_settings, key)
    return entries


@pytest.mark.parametrize("provider", ["azure", "github_actions"])
def test_store_build_artifacts_migrates(provider: str) -> None:
    config = load(f"{provider}:\n  store_build_artifacts: true\n")
    issue = only(config)
    assert (issue.kind, issue.key_path) == ("deprecated", f"{provider}.store_build_artifacts")
    assert "workflow_settings.store_build_artifacts" in issue.message
    (entry,) = _entries(config, "store_build_artifacts")
    assert (entry.value, entry.provider, entry.os) == (True, (provider,), None)
    assert entry.migrated_from == f"{provider}.store_build_artifacts"


@pytest.mark.parametrize(
    ("value", "level"),
    [("true", "quick"), ("false", "skip"), ("[apt, cache]", "quick"),
     ("[apt, cache, docker]", "max"), ("null", "skip")],
)  # fmt: skip
def test_free_disk_space_migrates(value: str, level: str) -> None:
    config = load(f"github_actions:\n  free_disk_space: {value}\n")
    assert only(config).kind == "deprecated"
    (entry,) = _entries(config, "free_disk_space")
    assert (entry.value, entry.provider) == (level, ("github_actions",))


def test_old_key_ignored_when_new_key_is_set() -> None:
    config = load(
        """\
        azure:
          store_build_artifacts: true
        workflow_settings:
          store_build_artifacts: false
        """
    )
    issue = only(config)
    assert "ignored" in issue.message and issue.span.line == 2
    (entry,) = _entries(config, "store_build_artifacts")
    assert (entry.value, entry.provider, entry.migrated_from) == (False, None, "")


@pytest.mark.parametrize(
    ("variable", "setting"),
    [("MINIFORGE_HOME", "tools_install_dir"), ("CONDA_BLD_PATH", "build_workspace_dir")],
)
def test_azure_windows_paths_migrate(variable: str, setting: str) -> None:
    config = load(f"azure:\n  settings_win:\n    variables:\n      {variable}: C:\\\\x\n")
    issue = only(config)
    assert issue.key_path == f"azure.settings_win.variables.{variable}"
    assert issue.span == Span("conda-forge.yml", 4, 7)
    (entry,) = _entries(config, setting)
    assert (entry.value, entry.os, entry.provider) == ("C:\\\\x", ("win",), ("azure",))
    assert variable not in config.azure.settings_win.variables


@pytest.mark.parametrize(
    ("os_name", "variable", "replacement"),
    [
        ("linux", "CONDA_BLD_PATH", "workflow_settings.build_workspace_dir"),
        ("osx", "MINIFORGE_HOME", "workflow_settings.tools_install_dir"),
        ("win", "CONDA_FORGE_DOCKER_RUN_ARGS", "docker.run_args"),
        ("osx", "SET_PAGEFILE", "workflow_settings.pagefile_size"),
    ],
)
def test_replaced_azure_variables_on_other_oses_are_reported_in_place(
    os_name: str, variable: str, replacement: str
) -> None:
    # conda-smithy's CF-007 names them on any OS; only some OSes have a migration.
    config = load(f"azure:\n  settings_{os_name}:\n    variables:\n      {variable}: x\n")
    issue = only(config)
    assert (issue.kind, issue.key_path) == (
        "deprecated",
        f"azure.settings_{os_name}.variables.{variable}",
    )
    assert issue.message.endswith(f"is deprecated: use {replacement} instead")
    assert issue.span == Span("conda-forge.yml", 4, 7)
    block = getattr(config.azure, f"settings_{os_name}")
    assert block.variables[variable] == "x"  # reported, not migrated: the value still reaches CI


def test_docker_run_args_migrate() -> None:
    text = (
        "azure:\n  settings_linux:\n    variables:\n      CONDA_FORGE_DOCKER_RUN_ARGS: --gpus all\n"
    )
    config = load(text)
    assert only(config).kind == "deprecated"
    assert config.docker.run_args == "--gpus all"
    assert "CONDA_FORGE_DOCKER_RUN_ARGS" not in config.azure.settings_linux.variables
    kept = load(text + "docker:\n  run_args: --rm\n")
    assert kept.docker.run_args == "--rm"
    assert "ignored" in only(kept).message


def test_swapfile_size_migrates() -> None:
    config = load("azure:\n  settings_linux:\n    swapfile_size: 10GiB\n")
    assert only(config).kind == "deprecated"
    (entry,) = _entries(config, "pagefile_size")
    assert (entry.value, entry.os, entry.provider) == (10, ("linux",), ("azure",))
    bad = load("azure:\n  settings_linux:\n    swapfile_size: 10GB\n")
    assert [i.kind for i in bad.issues] == ["deprecated", "invalid-value"]
    assert _entries(bad, "pagefile_size") == ()


@pytest.mark.parametrize(("flag", "size"), [("'True'", 16), ("true", 16), ("'False'", 0)])
def test_set_pagefile_migrates(flag: str, size: int) -> None:
    config = load(f"azure:\n  settings_win:\n    variables:\n      SET_PAGEFILE: {flag}\n")
    assert only(config).kind == "deprecated"
    (entry,) = _entries(config, "pagefile_size")
    assert (entry.value, entry.os, entry.provider) == (size, ("win",), ("azure",))


def test_swapfile_and_pagefile_both_migrate_in_order() -> None:
    config = load(
        """\
        azure:
          settings_linux: {swapfile_size: 4GiB}
          settings_win: {variables: {SET_PAGEFILE: 'True'}}
        """
    )
    values = [(e.value, e.os) for e in _entries(config, "pagefile_size")]
    assert values == [(4, ("linux",)), (16, ("win",))]


def test_resize_win_partitions_migrates() -> None:
    config = load("github_actions:\n  resize_win_partitions: true\n")
    assert only(config).kind == "deprecated"
    (entry,) = _entries(config, "resize_partitions")
    assert (entry.value, entry.os, entry.provider) == (True, ("win",), ("github_actions",))


@pytest.mark.parametrize(("flag", "test"), [("true", "native_and_emulated"), ("false", None)])
def test_test_on_native_only_migrates(flag: str, test: str | None) -> None:
    config = load(f"test_on_native_only: {flag}\n")
    assert only(config).kind == "deprecated"
    assert config.test == test


def test_test_on_native_only_overrides_test() -> None:
    assert load("test: all\ntest_on_native_only: true\n").test == "native_and_emulated"


@pytest.mark.parametrize(
    ("text", "tool"),
    [("build_with_mambabuild: true\n", "mambabuild"),
     ("build_with_mambabuild: false\n", "conda-build"),
     ("build_with_mambabuild: true\nconda_build_tool: rattler-build\n", "rattler-build")],
)  # fmt: skip
def test_build_with_mambabuild_migrates(text: str, tool: str) -> None:
    config = load(text)
    assert only(config).kind == "deprecated"
    assert config.conda_build_tool == tool


@pytest.mark.parametrize(
    "key",
    [
        "compiler_stack",
        "min_py_ver",
        "max_r_ver",
        "docker.interactive",
        "github_actions.self_hosted",
    ],
)
def test_plain_deprecated_keys(key: str) -> None:
    parent, _, name = key.rpartition(".")
    text = f"{parent}:\n  {name}: true\n" if parent else f"{name}: comp7\n"
    issue = only(load(text), "deprecated")
    assert issue.key_path == key


def test_docker_image_is_a_hard_error() -> None:
    with pytest.raises(ConfigError) as info:
        load("docker:\n  executable: podman\n  image: quay.io/condaforge/x\n")
    assert info.value.key_path == "docker.image"
    assert info.value.span == Span("conda-forge.yml", 3, 3)
    assert "conda_build_config.yaml" in info.value.message


def test_conda_build_tool_deps_is_a_hard_error() -> None:
    with pytest.raises(ConfigError) as info:
        load("recipe_dir: recipe\nconda_build_tool_deps: boa\n")
    assert info.value.key_path == "conda_build_tool_deps"
    assert info.value.span == Span("conda-forge.yml", 2, 1)


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: [1, 2\n", 1), ("github:\n  branch_name: main\n bad\n", 3), ("a: b: c\n", 1),
     ("a: !!binary aGk=\n", 1), ("- just\n- a list\n", 1), ("just a string\n", 1)],
)  # fmt: skip
def test_malformed_documents_raise_with_line(text: str, line: int) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, display_path="cf.yml")
    assert info.value.span is not None
    assert (info.value.span.path, info.value.span.line) == ("cf.yml", line)
    assert "\n" not in str(info.value)


def test_unreadable_files_raise(tmp_path: Path) -> None:
    bad = tmp_path / "conda-forge.yml"
    bad.write_bytes(b"recipe_dir: \xff\n")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    with pytest.raises(ConfigError, match="expands to more than"):
        parse_config("bot:\n" + "\n".join("  " + line for line in lines) + "\n")
