"""Legacy conda-forge.yml keys: hard errors for removed ones, migration of replaced ones.

Migrations follow conda-smithy's ``_read_forge_config``: an old key becomes a
``workflow_settings`` entry limited to the provider (and OS) it was written for, unless the
user already sets the new key, in which case the old one is ignored. Each use is reported
as a ``deprecated`` issue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from smithy.config.checking import Checker
from smithy.config.schema import ConditionalValue
from smithy.errors import ConfigError, Span

_SWAPFILE = re.compile(r"(\d+)GiB")
_FALSE_WORDS = ("", "0", "false", "no", "off")


def check_removed_keys(doc: Mapping[Any, Any], chk: Checker) -> None:
    """Raise ConfigError for keys conda-smithy refuses outright."""
    fallback = Span(chk.display)
    docker = doc.get("docker")
    if isinstance(docker, Mapping) and docker.get("image"):
        raise ConfigError(
            "docker.image is no longer supported; set docker_image in "
            "recipe/conda_build_config.yaml instead",
            chk.span_of(docker, "image", fallback),
            key_path="docker.image",
        )
    if doc.get("conda_build_tool_deps"):
        raise ConfigError(
            "conda_build_tool_deps cannot be set; it follows from conda_build_tool",
            chk.span_of(doc, "conda_build_tool_deps", fallback),
            key_path="conda_build_tool_deps",
        )


class _Migration:
    """The values being migrated, with the keys the user set under ``workflow_settings``."""

    __slots__ = ("chk", "explicit", "values")

    def __init__(self, values: dict[str, Any], chk: Checker) -> None:
        self.values = values
        self.chk = chk
        self.explicit = frozenset(values.get("workflow_settings", {}))

    def span(self, path: str) -> Span:
        return self.chk.spans.get(path, Span(self.chk.display))

    def block(self, *keys: str) -> dict[str, Any]:
        node: Any = self.values
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else {}

    def move(self, old: str, new: str, entry: ConditionalValue | None) -> bool:
        """Report ``old``; add ``entry`` under ``new`` unless the user set ``new``.

        Returns whether the old key was migrated (False: it is ignored).
        """
        setting = new.removeprefix("workflow_settings.")
        if setting in self.explicit and new.startswith("workflow_settings."):
            message = f"{old} is deprecated and ignored because {new} is set; remove it"
            self.chk.report("deprecated", old, message, self.span(old))
            return False
        self.chk.report(
            "deprecated", old, f"{old} is deprecated: use {new} instead", self.span(old)
        )
        if entry is not None:
            settings = self.values.setdefault("workflow_settings", {})
            settings.setdefault(setting, []).append(entry)
        return True


def _cleanup_level(value: object) -> str:
    # conda-smithy's mapping: the full list (with docker) is max, anything else truthy quick.
    if isinstance(value, list) and "docker" in value:
        return "max"
    return "quick" if value else "skip"


def _provider_settings(m: _Migration) -> None:
    for setting in ("store_build_artifacts", "free_disk_space"):
        for provider in ("azure", "github_actions"):
            block = m.block(provider)
            if setting not in block:
                continue
            old = f"{provider}.{setting}"
            value = block[setting]
            if setting == "free_disk_space":
                value = _cleanup_level(value)
            entry = ConditionalValue(
                value, provider=(provider,), span=m.span(old), migrated_from=old
            )
            m.move(old, f"workflow_settings.{setting}", entry)


def _azure_variables(m: _Migration) -> None:
    win_vars = m.block("azure", "settings_win", "variables")
    for name, setting in (
        ("MINIFORGE_HOME", "tools_install_dir"),
        ("CONDA_BLD_PATH", "build_workspace_dir"),
    ):
        if name not in win_vars:
            continue
        old = f"azure.settings_win.variables.{name}"
        value = win_vars.pop(name)
        entry = ConditionalValue(
            None if value is None else str(value),
            os=("win",),
            provider=("azure",),
            span=m.span(old),
            migrated_from=old,
        )
        m.move(old, f"workflow_settings.{setting}", entry)
    linux_vars = m.block("azure", "settings_linux", "variables")
    if "CONDA_FORGE_DOCKER_RUN_ARGS" in linux_vars:
        old = "azure.settings_linux.variables.CONDA_FORGE_DOCKER_RUN_ARGS"
        value = linux_vars.pop("CONDA_FORGE_DOCKER_RUN_ARGS")
        if "run_args" in m.block("docker"):
            message = f"{old} is deprecated and ignored because docker.run_args is set; remove it"
            m.chk.report("deprecated", old, message, m.span(old))
        else:
            m.move(old, "docker.run_args", None)
            m.values.setdefault("docker", {})["run_args"] = "" if value is None else str(value)


# conda-smithy's CF-007: Azure variables that conda-forge.yml settings replaced, on any OS.
_REPLACED_VARIABLES = {
    "CONDA_BLD_PATH": "workflow_settings.build_workspace_dir",
    "CONDA_FORGE_DOCKER_RUN_ARGS": "docker.run_args",
    "MINIFORGE_HOME": "workflow_settings.tools_install_dir",
    "SET_PAGEFILE": "workflow_settings.pagefile_size",
}


def _unmigrated_azure_variables(m: _Migration) -> None:
    """Report the replaced Azure variables the steps before did not migrate (other OSes)."""
    reported = {issue.key_path for issue in m.chk.issues}
    for os_name in ("linux", "osx", "win"):
        for name in m.block("azure", f"settings_{os_name}", "variables"):
            old = f"azure.settings_{os_name}.variables.{name}"
            if name in _REPLACED_VARIABLES and old not in reported:
                message = f"{old} is deprecated: use {_REPLACED_VARIABLES[name]} instead"
                m.chk.report("deprecated", old, message, m.span(old))


def _pagefile(m: _Migration) -> None:
    linux = m.block("azure", "settings_linux")
    if "swapfile_size" in linux:
        old = "azure.settings_linux.swapfile_size"
        size = linux["swapfile_size"]
        match = _SWAPFILE.fullmatch(size) if isinstance(size, str) else None
        entry = None
        if match is not None:
            entry = ConditionalValue(
                int(match.group(1)),
                os=("linux",),
                provider=("azure",),
                span=m.span(old),
                migrated_from=old,
            )
        if not m.move(old, "workflow_settings.pagefile_size", entry):
            del linux["swapfile_size"]
        elif match is None and size is not None:
            message = f"{old} has invalid value '{size}'; expected a size such as 8GiB"
            m.chk.report("invalid-value", old, message, m.span(old))
    for os_name in ("osx", "win"):
        if "swapfile_size" in m.block("azure", f"settings_{os_name}"):
            old = f"azure.settings_{os_name}.swapfile_size"
            message = f"{old} is deprecated and has no effect; remove it"
            m.chk.report("deprecated", old, message, m.span(old))
    win_vars = m.block("azure", "settings_win", "variables")
    if "SET_PAGEFILE" in win_vars:
        old = "azure.settings_win.variables.SET_PAGEFILE"
        flag = win_vars["SET_PAGEFILE"]
        # conda-smithy takes any truthy value as on; smithy also reads the words false/no/0 as off.
        on = bool(flag) and str(flag).strip().lower() not in _FALSE_WORDS
        entry = ConditionalValue(
            16 if on else 0, os=("win",), provider=("azure",), span=m.span(old), migrated_from=old
        )
        if not m.move(old, "workflow_settings.pagefile_size", entry):
            del win_vars["SET_PAGEFILE"]


def _resize_partitions(m: _Migration) -> None:
    block = m.block("github_actions")
    if "resize_win_partitions" in block:
        old = "github_actions.resize_win_partitions"
        entry = ConditionalValue(
            block["resize_win_partitions"],
            os=("win",),
            provider=("github_actions",),
            span=m.span(old),
            migrated_from=old,
        )
        m.move(old, "workflow_settings.resize_partitions", entry)


def _top_level(m: _Migration) -> None:
    values = m.values
    if "build_with_mambabuild" in values:
        old = "build_with_mambabuild"
        if "conda_build_tool" in values:
            message = f"{old} is deprecated and ignored because conda_build_tool is set; remove it"
            m.chk.report("deprecated", old, message, m.span(old))
        else:
            m.chk.report(
                "deprecated", old, f"{old} is deprecated: use conda_build_tool instead", m.span(old)
            )
            values["conda_build_tool"] = (
                "mambabuild" if values["build_with_mambabuild"] else "conda-build"
            )
    if "test_on_native_only" in values:
        old = "test_on_native_only"
        message = f"{old} is deprecated: use test: native_and_emulated instead"
        m.chk.report("deprecated", old, message, m.span(old))
        if values["test_on_native_only"]:
            values["test"] = "native_and_emulated"


def migrate(values: dict[str, Any], chk: Checker) -> None:
    """Rewrite legacy keys of checked ``values`` in place, reporting each one found."""
    m = _Migration(values, chk)
    _provider_settings(m)
    _azure_variables(m)
    _pagefile(m)
    _resize_partitions(m)
    _top_level(m)
    _unmigrated_azure_variables(m)
