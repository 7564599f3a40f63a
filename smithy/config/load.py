"""Read conda-forge.yml: parse it with line numbers, check every key, migrate legacy keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from smithy.config.checking import Checker
from smithy.config.field import Field
from smithy.config.fields import TOP_LEVEL
from smithy.config.legacy import check_removed_keys, migrate
from smithy.config.schema import ConfigIssue, FeedstockConfig
from smithy.config.validate import check_block
from smithy.config.workflow_settings import resolve_workflow_setting
from smithy.config.yaml_source import parse_yaml
from smithy.errors import ConfigError, Span
from smithy.textfile import present, read_user_text

__all__ = [
    "config_warnings",
    "default_config",
    "load_config",
    "parse_config",
    "refuse_invalid",
    "resolve_workflow_setting",
]

_DEFAULT = FeedstockConfig()
_DEFAULT_DISPLAY = "conda-forge.yml"


def default_config() -> FeedstockConfig:
    """Return the configuration of a feedstock whose conda-forge.yml is empty or missing."""
    return _DEFAULT


def load_config(path: Path | None, *, display_path: str | None = None) -> FeedstockConfig:
    """Load a feedstock's conda-forge.yml.

    Args:
        path: the file; None or a missing file gives the defaults.
        display_path: how to name the file in spans (default: ``path`` as given).

    Returns:
        The config; problems it could work around are listed in ``issues``.

    Raises:
        ConfigError: unreadable file, malformed YAML, a top level that is not a mapping, or
            a key conda-smithy refuses (``docker.image``, ``conda_build_tool_deps``).
    """
    if path is None or not present(path):
        return _DEFAULT
    display = display_path or str(path)
    text = read_user_text(path, display, ConfigError)
    return parse_config(text, display_path=display, source_path=str(path))


def parse_config(
    text: str, *, display_path: str = _DEFAULT_DISPLAY, source_path: str | None = None
) -> FeedstockConfig:
    """Parse conda-forge.yml ``text``; see ``load_config`` for the rules."""
    chk = Checker(display_path)
    doc, line = parse_yaml(text, chk)
    if doc is None:
        return replace(_DEFAULT, issues=tuple(chk.issues), source_path=source_path)
    if not isinstance(doc, Mapping):
        span = Span(display_path, line)
        raise ConfigError(
            f"conda-forge.yml must be a mapping of keys to values, not a {_kind(doc)}", span
        )
    check_removed_keys(doc, chk)
    values = check_block(doc, TOP_LEVEL, "", chk, extra=False)
    _refuse_pasted(doc, chk)
    migrate(values, chk)
    config: FeedstockConfig = _build(_DEFAULT, TOP_LEVEL, values)
    issues = sorted(chk.issues, key=lambda issue: (issue.span.line, issue.span.column))
    return replace(config, issues=tuple(issues), source_path=source_path)


def _refuse_pasted(doc: Mapping[Any, Any], chk: Checker) -> None:
    """Refuse a value pasted into CI scripts (a field with ``must_be``) that its pattern refuses.

    Values of the wrong type were reported (and dropped) by the check before.

    Raises:
        ConfigError: the first such value, at its line.
    """
    for key, f in TOP_LEVEL.items():
        written = doc.get(key)
        where = chk.span_of(doc, key, Span(chk.display))
        if f.must_be and isinstance(written, str):
            _refuse_unmatched(f, written, key, where)
        elif f.item is not None and f.item.must_be and isinstance(written, list):
            for index, entry in enumerate(written):
                if isinstance(entry, str):
                    span = chk.span_of(written, index, where)
                    _refuse_unmatched(f.item, entry, f"{key}[{index}]", span)


def _refuse_unmatched(f: Field, value: str, path: str, span: Span) -> None:
    if re.fullmatch(f.pattern, value):
        return
    shown = value if len(value) <= 60 else value[:57] + "..."
    raise ConfigError(f"{path} must be {f.must_be}, not {shown!r}", span, key_path=path)


def _kind(value: object) -> str:
    return "list" if isinstance(value, list) else "single value"


def _freeze(value: object) -> object:
    if isinstance(value, Mapping):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    return value


def _deep_merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        current = merged.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[key] = _deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def _finish(f: Field, current: Any, value: Any) -> Any:
    if f.kind == "block":
        return _build(current, f.children, value)
    if f.kind in ("map", "scalars", "platforms"):
        # conda-smithy merges the file over its defaults key by key, nested mappings too.
        return _freeze(_deep_merge(current, value))
    if f.kind in ("list", "workflow") or isinstance(value, list):
        return tuple(value)
    return value


def _build(default: Any, fields: Mapping[str, Field], values: Mapping[str, Any]) -> Any:
    changes: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in values.items():
        f = fields.get(key)
        if f is None:
            extra[key] = value
            continue
        attr = f.attr or key
        changes[attr] = _finish(f, getattr(default, attr), value)
    if extra:
        changes["extra"] = _freeze(_deep_merge(default.extra, extra))
    return replace(default, **changes)


# conda-smithy's schema refuses these; the bot section is the bot's own (conda-smithy accepts any
# mapping there), so its problems stay warnings.
_REFUSED_KINDS = frozenset({"invalid-value", "wrong-type"})
_DEFAULT_NOTE = re.compile(r"; (the default is used|it is ignored)$")


def _refused(issue: ConfigIssue) -> bool:
    return issue.kind in _REFUSED_KINDS and not issue.key_path.startswith("bot")


def refuse_invalid(config: FeedstockConfig) -> FeedstockConfig:
    """Return ``config`` unless it holds a value conda-smithy's schema rejects.

    Rerendering never replaces a value the user wrote by a default: a wrong type or an
    invalid value stops it. Unknown keys and deprecated values stay (see ``config_warnings``).

    Raises:
        ConfigError: the first refused value, with its file, line and key path.
    """
    for issue in config.issues:
        if _refused(issue):
            raise ConfigError(_DEFAULT_NOTE.sub("", issue.message), issue.span, issue.key_path)
    return config


def config_warnings(config: FeedstockConfig) -> tuple[ConfigIssue, ...]:
    """The problems of ``config`` that rerendering reports but goes on with.

    Bot-section values are kept as written (the bot reads them), so their messages do not
    claim a default is used.
    """
    return tuple(
        replace(issue, message=_DEFAULT_NOTE.sub("", issue.message))
        for issue in config.issues
        if not _refused(issue)
    )
