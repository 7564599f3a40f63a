"""conda-forge.yml edits a migration asks for (``conda_forge_yml_patches``), comments kept."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from smithy.errors import ConfigError, Span


def _scalar(text: Any) -> Any:
    """The migration file keeps scalars as source text; read them as YAML values."""
    if not isinstance(text, str):
        return text
    try:
        return YAML(typ="safe").load(text)
    except YAMLError:
        return text


def _load(text: str, path: str) -> CommentedMap:
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text) if text.strip() else CommentedMap()
    except YAMLError as exc:
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", Span(path)) from None
    if not isinstance(data, CommentedMap):
        raise ConfigError("conda-forge.yml must be a mapping", Span(path))
    return data


def _set(data: CommentedMap, dotted: str, value: Any, path: str) -> None:
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        if child is None:
            if value is None:
                return
            child = node[part] = CommentedMap()
        if not isinstance(child, CommentedMap):
            raise ConfigError(f"cannot patch '{dotted}': '{part}' is not a mapping", Span(path))
        node = child
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def patched_values(text: str, patches: Mapping[str, Any], path: str) -> dict[str, Any]:
    """Each patched key's current value in ``text`` (None when absent)."""
    data = _load(text, path)
    found: dict[str, Any] = {}
    for dotted in patches:
        node: Any = data
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        found[dotted] = node
    return found


def wanted_values(patches: Mapping[str, Any]) -> dict[str, Any]:
    """The values the patches set, as YAML values."""
    return {key: _scalar(value) for key, value in patches.items()}


def patch_conda_forge_yml(text: str, patches: Mapping[str, Any], path: str) -> str:
    """``text`` with every dotted key set (or removed for None); unchanged text if no patches.

    Raises:
        ConfigError: the file is not a YAML mapping, or a patch goes through a non-mapping.
    """
    if not patches:
        return text
    data = _load(text, path)
    for dotted, value in sorted(wanted_values(patches).items()):
        _set(data, dotted, value, path)
    stream = io.StringIO()
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.dump(data, stream)
    return stream.getvalue()
