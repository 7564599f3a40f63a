"""workflow_settings: checking its conditional entries and resolving a setting for one CI job."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PureWindowsPath
from typing import Literal, get_args

from smithy.config.checking import MISSING, Checker, describe, join, suggestion
from smithy.config.providers import CONFIG_PLATFORMS, OS_ALIASES, PROVIDER_NAMES, platform_key
from smithy.config.schema import ConditionalValue, FeedstockConfig
from smithy.errors import Span
from smithy.records import frozen_record

WorkflowKey = Literal[
    "store_build_artifacts",
    "tools_install_dir",
    "build_workspace_dir",
    "pagefile_size",
    "free_disk_space",
    "resize_partitions",
]
WORKFLOW_KEYS: tuple[str, ...] = get_args(WorkflowKey)
_FILTERS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "os": ("OS", OS_ALIASES),
    "platform": ("platform", CONFIG_PLATFORMS),
    "provider": ("CI provider", PROVIDER_NAMES),
}
_ENTRY_KEYS = ("os", "platform", "provider", "value")
ValueCheck = Callable[[object, str, Span], object]


def check_workflow_setting(
    value: object, path: str, span: Span, chk: Checker, check_value: ValueCheck
) -> object:
    """Check one workflow_settings key: a direct value or a list of conditional entries.

    Returns:
        A list of ConditionalValue (a direct value becomes one unconditional entry), or
        MISSING when the value has the wrong shape.
    """
    if value is None:
        return []
    if isinstance(value, list):
        entries: list[ConditionalValue] = []
        for index, entry in enumerate(value):
            entry_path = f"{path}[{index}]"
            entry_span = chk.span_of(value, index, span)
            if not isinstance(entry, Mapping):
                message = (
                    f"{entry_path} should be a mapping with 'value' and optional os, platform, "
                    f"provider, not {describe(entry)}; it is ignored"
                )
                chk.report("wrong-type", entry_path, message, entry_span)
                continue
            checked = _check_entry(entry, entry_path, entry_span, chk, check_value)
            if checked is not None:
                entries.append(checked)
        return entries
    if isinstance(value, Mapping):
        message = (
            f"{path} should be a value or a list of entries, not a mapping; the default is used"
        )
        chk.report("wrong-type", path, message, span)
        return MISSING
    converted = check_value(value, path, span)
    return MISSING if converted is MISSING else [ConditionalValue(converted, span=span)]


def _check_entry(
    entry: Mapping[object, object], path: str, span: Span, chk: Checker, check_value: ValueCheck
) -> ConditionalValue | None:
    filters: dict[str, tuple[str, ...] | None] = {}
    value: object = MISSING
    for key, raw in entry.items():
        key_path = join(path, key)
        key_span = chk.span_of(entry, key, span)
        if key == "value":
            value = check_value(raw, key_path, key_span)
        elif isinstance(key, str) and key in _FILTERS:
            filters[key] = _check_filter(raw, key, key_path, key_span, chk)
        else:
            hint = suggestion(key, _ENTRY_KEYS)
            message = f"unknown key '{key}' in a workflow_settings entry{hint}"
            chk.report("unknown-key", key_path, message, key_span)
    if "value" not in entry:
        chk.report("invalid-value", path, f"{path} has no 'value'; the entry is ignored", span)
        return None
    if value is MISSING:
        return None
    return ConditionalValue(
        value,
        os=filters.get("os"),
        platform=filters.get("platform"),
        provider=filters.get("provider"),
        span=span,
    )


def _check_filter(
    raw: object, key: str, path: str, span: Span, chk: Checker
) -> tuple[str, ...] | None:
    if raw is None:
        return None
    what, choices = _FILTERS[key]
    items = raw if isinstance(raw, list) else [raw]
    names: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item in choices:
            names.append(item)
            continue
        item_span = chk.span_of(raw, index, span) if isinstance(raw, list) else span
        if isinstance(item, str):
            hint = suggestion(item, choices)
            message = f"unknown {what} '{item}' in {path}{hint}; it never matches"
            chk.report("invalid-value", path, message, item_span)
        else:
            message = f"{path} should name {what}s, not {describe(item)}"
            chk.report("wrong-type", path, message, item_span)
    return tuple(names)


@frozen_record
class JobWorkflowSettings:
    """The workflow settings of one CI job, defaults filled in as conda-smithy does."""

    store_build_artifacts: bool
    tools_install_dir: str
    build_workspace_dir: str
    pagefile_size: int
    free_disk_space: str
    resize_partitions: bool


def last_match(
    entries: tuple[ConditionalValue, ...], *, os: str, platform: str, provider: str
) -> object:
    """Return the value of the last entry matching the job, None when none matches."""
    for entry in reversed(entries):
        if entry.matches(os=os, platform=platform, provider=provider):
            return entry.value
    return None


def setting_entries(config: FeedstockConfig, key: str) -> tuple[ConditionalValue, ...]:
    """Return the entries of one workflow setting (``key`` in WORKFLOW_KEYS) in file order.

    Entries migrated from legacy keys come last and carry ``migrated_from``.

    Raises:
        ValueError: ``key`` is not a workflow setting (a programming error, not user input).
    """
    if key not in WORKFLOW_KEYS:
        raise ValueError(f"unknown workflow setting {key!r}; expected one of {WORKFLOW_KEYS}")
    entries: tuple[ConditionalValue, ...] = getattr(config.workflow_settings, key)
    return entries


def applicable_os(entry: ConditionalValue) -> frozenset[str]:
    """Return the operating systems an entry can apply to once ``os`` and ``platform`` agree.

    No ``os`` filter (or an empty one) stands for linux, osx and win; a ``platform`` filter
    keeps only the systems its platforms belong to (``linux_64`` -> ``linux``).
    """
    systems = frozenset(entry.os or OS_ALIASES)
    if entry.platform is not None:
        systems &= frozenset(p.split("_", 1)[0] for p in entry.platform)
    return systems


def default_win_drive(platform: str, provider: str) -> str:
    """Return the drive of the default Windows tool folder for a job.

    Azure's win-64 agents and GitHub's hosted win-64 runners (windows-2022) have a fast D:
    drive; everything else (win-arm64, self-hosted runners) uses C:. A GitHub Actions job whose
    labels pick another runner should pass ``win_drive`` explicitly.
    """
    hosted = provider in ("azure", "github_actions")
    return "D:" if hosted and platform_key(platform) == "win_64" else "C:"


def resolve_workflow_settings(
    config: FeedstockConfig, *, os: str, platform: str, provider: str, win_drive: str | None = None
) -> JobWorkflowSettings:
    """Resolve every workflow setting for one job (last matching entry, else the default).

    Args:
        config: the loaded config.
        os: ``linux``, ``osx`` or ``win``.
        platform: the job's target platform, subdir or key (``win-64``, ``win_64``).
        provider: the CI provider running the job.
        win_drive: drive of the default Windows folders; see ``default_win_drive``.
    """
    ws = config.workflow_settings

    def pick(entries: tuple[ConditionalValue, ...]) -> object:
        return last_match(entries, os=os, platform=platform, provider=provider)

    drive = win_drive or default_win_drive(platform, provider)
    tools = pick(ws.tools_install_dir)
    if tools is not None:
        tools_dir = str(tools)
    elif os == "win":
        tools_dir = drive + "\\Miniforge"
    else:
        tools_dir = "~/miniforge3"
    workspace = pick(ws.build_workspace_dir)
    if workspace is None:
        if os == "win":
            # Two backslashes on each side, as conda-forge-ci-setup's batch scripts expect.
            workspace = PureWindowsPath(tools_dir).drive + "\\\\bld\\\\"
        elif os == "osx":
            workspace = f"{tools_dir}/conda-bld"
        else:
            workspace = "build_artifacts"
    pagefile = pick(ws.pagefile_size)
    free_disk = pick(ws.free_disk_space)
    return JobWorkflowSettings(
        store_build_artifacts=bool(pick(ws.store_build_artifacts)),
        tools_install_dir=tools_dir,
        build_workspace_dir=str(workspace),
        pagefile_size=pagefile if isinstance(pagefile, int) else 0,
        free_disk_space=free_disk if isinstance(free_disk, str) else "skip",
        resize_partitions=bool(pick(ws.resize_partitions)),
    )


def resolve_workflow_setting(
    config: FeedstockConfig,
    key: str,
    *,
    os: str,
    platform: str,
    provider: str,
    win_drive: str | None = None,
) -> object:
    """Resolve one workflow setting (``key`` in WORKFLOW_KEYS) for one job.

    Raises:
        ValueError: ``key`` is not a workflow setting (a programming error, not user input).
    """
    if key not in WORKFLOW_KEYS:
        raise ValueError(f"unknown workflow setting {key!r}; expected one of {WORKFLOW_KEYS}")
    settings = resolve_workflow_settings(
        config, os=os, platform=platform, provider=provider, win_drive=win_drive
    )
    value: object = getattr(settings, key)
    return value
