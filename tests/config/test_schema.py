"""The config model's defaults and platform lookups, and the exported JSON Schema."""

from __future__ import annotations

import io
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from smithy.config.export import json_schema, to_plain
from smithy.config.field import Field
from smithy.config.fields import TOP_LEVEL
from smithy.config.load import default_config, parse_config
from smithy.config.schema import FeedstockConfig

# The 45 top-level keys of conda-smithy's conda-forge.yml schema.
CONDA_SMITHY_KEYS = {
    "appveyor", "azure", "bot", "build_platform", "build_with_mambabuild", "channel_priority",
    "choco", "circle", "clone_depth", "compiler_stack", "conda_build", "conda_build_tool",
    "conda_forge_output_validation", "conda_install_tool", "conda_solver", "config_version",
    "docker", "drone", "exclusive_config_file", "github", "github_actions",
    "idle_timeout_minutes", "linter", "matrix", "max_py_ver", "max_r_ver", "min_py_ver",
    "min_r_ver", "noarch_platforms", "os_version", "package", "private_upload", "provider",
    "recipe_dir", "remote_ci_setup", "secrets", "shellcheck", "skip_render", "templates", "test",
    "test_on_native_only", "travis", "upload_on_branch", "woodpecker", "workflow_settings",
}  # fmt: skip


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json_schema()


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def test_defaults_match_conda_smithy() -> None:
    config = default_config()
    assert config == FeedstockConfig()
    assert config.recipe_dir == "recipe"
    assert config.conda_build_tool == "conda-build"
    assert config.conda_install_tool == "micromamba"
    assert config.conda_solver == "libmamba"
    assert config.channel_priority == "strict"
    assert config.conda_forge_output_validation is False
    assert config.noarch_platforms == ("linux_64",)
    assert config.remote_ci_setup == ("conda-forge-ci-setup=4", "conda-build>=26.3")
    assert config.github.branch_name == "main"
    assert config.github.user_or_org == "conda-forge"
    assert config.github.repo_name == ""
    assert config.azure.max_parallel == 50
    assert config.azure.project_name == "feedstock-builds"
    assert config.azure.settings_linux.pool == {"vmImage": "ubuntu-latest"}
    assert config.azure.settings_linux.swapfile_size == "0GiB"
    assert config.azure.settings_osx.pool == {"vmImage": "$(VMIMAGE)"}
    assert config.azure.settings_win.variables == {"UPLOAD_TEMP": "D:\\\\tmp"}
    assert config.github_actions.timeout_minutes == 360
    assert config.github_actions.artifact_retention_days == 14
    assert config.github_actions.effective_triggers == ("push", "pull_request")
    assert config.docker.fallback_image == "quay.io/condaforge/linux-anvil-comp7"
    assert config.conda_build.zstd_compression_level == 16
    assert config.appveyor == {"image": "Visual Studio 2017"}
    assert config.config_version == "2"
    assert config.test is None and config.test_mode == "all"
    assert config.issues == () and config.source_path is None


def test_default_providers() -> None:
    config = default_config()
    assert config.provider_for("linux-64") == ("github_actions",)
    assert config.provider_for("osx-64") == ("azure",)
    assert config.provider_for("win-64") == ("github_actions",)
    for platform in ("linux-aarch64", "linux-ppc64le", "osx-arm64", "win-arm64", "linux-s390x"):
        assert config.provider_for(platform) == ()
    assert config.build_platform_for("osx-arm64") == "osx-arm64"
    assert config.os_version_for("linux-64") is None


def _providers(text: str) -> FeedstockConfig:
    config = parse_config(text)
    assert [issue.kind for issue in config.issues if issue.kind != "deprecated"] == []
    return config


@pytest.mark.parametrize(
    ("yaml_text", "platform", "expected"),
    [
        ("provider: {linux: azure}", "linux-64", ("azure",)),
        ("provider: {linux: azure}", "linux-aarch64", ()),
        ("provider: {win: azure, win_64: github_actions}", "win-64", ("azure",)),
        ("provider: {linux: null, linux_64: azure}", "linux-64", ("azure",)),
        ("provider: {linux: [], linux_64: azure}", "linux-64", ("azure",)),
        ("provider: {linux: false}", "linux-64", ()),
        ("provider: {osx: 'None'}", "osx-64", ()),
        ("provider: {linux_64: null}", "linux-64", ()),
        ("provider: {linux_64: false}", "linux-64", ()),
        ("provider: {linux_64: [azure, github_actions]}", "linux-64", ("azure", "github_actions")),
        ("provider: {linux_aarch64: default}", "linux-aarch64", ("github_actions",)),
        ("provider: {linux_aarch64: native}", "linux-aarch64", ("github_actions",)),
        ("provider: {linux_aarch64: emulated}", "linux-aarch64", ("github_actions",)),
        ("provider: {linux_ppc64le: native}", "linux-ppc64le", ("travis",)),
        ("provider: {linux_ppc64le: default}", "linux-ppc64le", ("github_actions",)),
        ("provider: {osx_arm64: default}", "osx-arm64", ("azure",)),
        ("provider: {win_arm64: default}", "win-arm64", ("github_actions",)),
        ("provider: {linux_armv7l: default}", "linux-armv7l", ("github_actions",)),
        ("provider: {linux_armv7l: native}", "linux-armv7l", ()),
        # conda-smithy resolves a keyword under the alias key, which has no default of its own.
        ("provider: {osx: default}", "osx-64", ("github_actions",)),
        ("provider: {linux: native}", "linux-64", ()),
        (
            "provider: {linux_aarch64: [default, azure]}",
            "linux-aarch64",
            ("github_actions", "azure"),
        ),
    ],
)
def test_provider_for(yaml_text: str, platform: str, expected: tuple[str, ...]) -> None:
    config = _providers(yaml_text)
    assert config.provider_for(platform) == expected
    assert config.provider_for(platform.replace("-", "_")) == expected


def test_provider_for_unknown_platform_is_empty() -> None:
    assert default_config().provider_for("noarch") == ()
    assert default_config().provider_for("plan9-64") == ()


def test_build_platform_cross_map() -> None:
    config = _providers("build_platform: {osx_arm64: osx_64, linux_aarch64: linux_64}")
    assert config.build_platform_for("osx-arm64") == "osx-64"
    assert config.build_platform_for("linux-aarch64") == "linux-64"
    assert config.build_platform_for("linux-64") == "linux-64"
    # The provider is looked up for the build platform: osx-64's azure builds osx-arm64.
    assert config.provider_for(config.build_platform_for("osx-arm64")) == ("azure",)


def test_os_version_for() -> None:
    config = _providers("os_version: {linux_64: cos7, linux_aarch64: alma9}")
    assert config.os_version_for("linux-64") == "cos7"
    assert config.os_version_for("linux-aarch64") == "alma9"
    assert config.os_version_for("linux-ppc64le") is None
    assert config.os_version_for("osx-64") is None


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_covers_every_conda_smithy_key(schema: dict[str, Any]) -> None:
    assert set(schema["properties"]) == CONDA_SMITHY_KEYS
    assert set(TOP_LEVEL) == CONDA_SMITHY_KEYS
    assert schema["additionalProperties"] is False


def _walk(node: object) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


def test_schema_has_no_remote_refs(schema: dict[str, Any]) -> None:
    refs = [node["$ref"] for node in _walk(schema) if isinstance(node.get("$ref"), str)]
    assert refs and all(ref.startswith("#/$defs/") for ref in refs)


def _described(fields: dict[str, Field] | Any, props: dict[str, Any], path: str) -> list[str]:
    missing = []
    for key, f in fields.items():
        prop = props[key]
        if not prop.get("description") or "default" not in prop:
            missing.append(f"{path}{key}")
        if bool(f.deprecated) != bool(prop.get("deprecated")):
            missing.append(f"{path}{key} (deprecated flag)")
        if f.kind == "block":
            missing += _described(f.children, prop["properties"], f"{path}{key}.")
    return missing


def test_every_key_has_description_default_and_deprecation(schema: dict[str, Any]) -> None:
    assert _described(TOP_LEVEL, schema["properties"], "") == []
    azure = schema["properties"]["azure"]["properties"]
    assert azure["store_build_artifacts"]["deprecated"] is True
    assert schema["properties"]["test_on_native_only"]["deprecated"] is True
    assert schema["properties"]["github_actions"]["properties"]["timeout_minutes"]["default"] == 360
    assert schema["properties"]["provider"]["properties"]["osx_64"]["default"] == "azure"


def test_default_config_validates(validator: Draft202012Validator) -> None:
    assert list(validator.iter_errors(to_plain(default_config()))) == []


@pytest.mark.parametrize(
    "document",
    [
        {"bot": {"automerge": True, "inspection": "hint-all", "version_updates": {"skip": True}}},
        {"conda_build": {"pkg_format": 2, "some_future_setting": [1, 2]}},
        {"azure": {"settings_linux": {"pool": {"name": "x", "demands": ["a"]}, "workspace": {}}}},
        {"provider": {"linux_aarch64": "default", "win": ["azure", "github_actions"], "osx": None}},
        {
            "workflow_settings": {
                "pagefile_size": [{"os": "win", "value": 8}],
                "free_disk_space": "max",
            }
        },
        {"noarch_platforms": "linux_64", "remote_ci_setup": "conda-forge-ci-setup=4"},
        {"min_py_ver": 27, "config_version": "2", "azure": None, "secrets": None},
    ],
)
def test_good_documents_pass(validator: Draft202012Validator, document: dict[str, Any]) -> None:
    assert list(validator.iter_errors(document)) == []


@pytest.mark.parametrize(
    "document",
    [
        {"recipe_dirs": "recipe"},
        {"github_actions": {"timout_minutes": 5}},
        {"github_actions": {"timeout_minutes": "6h"}},
        {"conda_build_tool": "conda_build"},
        {"provider": {"linux-64": "azure"}},
        {"provider": {"linux_64": "gha"}},
        {"docker": {"image": "quay.io/x"}},
        {"conda_build_tool_deps": "boa"},
        {"workflow_settings": {"pagefile_size": [{"os": "win"}]}},
        {"workflow_settings": {"free_disk_space": "some"}},
        {"os_version": {"osx_64": "alma9"}},
        {"noarch_platforms": ["linux-64"]},
    ],
)
def test_bad_documents_fail(validator: Draft202012Validator, document: dict[str, Any]) -> None:
    assert list(validator.iter_errors(document)) != []


def _without_deprecated(fields: dict[str, Field] | Any, plain: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in plain.items():
        f = fields.get(key)
        if f is not None and f.deprecated:
            continue
        out[key] = _without_deprecated(f.children, value) if f and f.kind == "block" else value
    return out


def test_exported_defaults_load_back_to_the_defaults() -> None:
    plain = _without_deprecated(TOP_LEVEL, to_plain(default_config()))
    buffer = io.StringIO()
    YAML(typ="safe", pure=True).dump(plain, buffer)
    loaded = parse_config(buffer.getvalue())
    assert loaded.issues == ()
    assert loaded == default_config()
