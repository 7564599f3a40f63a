"""Export the config model: as plain YAML-shaped data, and as a JSON Schema for editors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smithy.config.field import Field
from smithy.config.fields import TOP_LEVEL
from smithy.config.load import default_config
from smithy.config.providers import CONFIG_PLATFORMS, OS_ALIASES, PROVIDER_NAMES
from smithy.config.schema import ConditionalValue, FeedstockConfig

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _thaw(value: object) -> Any:
    if isinstance(value, Mapping):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value


def _plain_provider(value: object) -> Any:
    if value is None:
        return None
    assert isinstance(value, tuple)
    if not value:
        return False
    return value[0] if len(value) == 1 else list(value)


def _plain_entry(entry: ConditionalValue) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("os", "platform", "provider"):
        chosen = getattr(entry, name)
        if chosen is not None:
            out[name] = list(chosen)
    out["value"] = entry.value
    return out


def _plain_value(f: Field, value: object) -> Any:
    if f.kind == "block":
        return _plain_block(value, f.children)
    if f.kind == "workflow":
        assert isinstance(value, tuple)
        return [_plain_entry(entry) for entry in value]
    if f.kind == "platforms" and f.item is not None and f.item.kind == "provider":
        assert isinstance(value, Mapping)
        return {key: _plain_provider(item) for key, item in value.items()}
    return _thaw(value)


def _plain_block(obj: object, fields: Mapping[str, Field]) -> dict[str, Any]:
    out = {key: _plain_value(f, getattr(obj, f.attr or key)) for key, f in fields.items()}
    extra = getattr(obj, "extra", None)
    if isinstance(extra, Mapping):
        out.update(_thaw(extra))
    return out


def to_plain(config: FeedstockConfig) -> dict[str, Any]:
    """Return ``config`` as conda-forge.yml-shaped data (YAML keys, lists, dicts, scalars)."""
    return _plain_block(config, TOP_LEVEL)


def _nullable(schema: dict[str, Any], nullable: bool) -> dict[str, Any]:
    if not nullable:
        return schema
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(f: Field) -> dict[str, Any]:
    choices: list[Any] = list(f.choices)
    if f.numeric:
        choices += [int(choice) for choice in f.choices if choice.isdigit()]
    if f.boolean:
        choices += [True, False]
    return {"enum": choices}


def _list_schema(f: Field) -> dict[str, Any]:
    item = _value_schema(f.item) if f.item is not None else {"type": "string"}
    array = {"type": "array", "items": item}
    if f.single:
        return {"anyOf": [item, array]}
    return array


def _filter(ref: str) -> dict[str, Any]:
    named = {"$ref": f"#/$defs/{ref}"}
    return {"anyOf": [{"type": "null"}, named, {"type": "array", "items": named}]}


def _workflow_schema(f: Field) -> dict[str, Any]:
    value = _value_schema(f.item) if f.item is not None else {}
    entry = {
        "type": "object",
        "properties": {
            "os": {**_filter("os"), "description": "OSes the entry applies to (any if unset)."},
            "platform": {**_filter("platform"), "description": "Target platforms (any if unset)."},
            "provider": {**_filter("ciProvider"), "description": "CI providers (any if unset)."},
            "value": {**value, "description": "The setting for matching jobs."},
        },
        "required": ["value"],
        "additionalProperties": False,
    }
    return {"anyOf": [value, {"type": "array", "items": entry}]}


def _value_schema(f: Field) -> dict[str, Any]:
    """The schema of a value of ``f`` without description or default."""
    simple = {"str": "string", "int": "integer", "bool": "boolean"}
    schema: dict[str, Any]
    if f.kind in simple:
        schema = {"type": simple[f.kind]}
        if f.numeric:
            schema = {"type": ["string", "number"]}
        if f.pattern:
            schema["pattern"] = f.pattern
    elif f.kind == "enum":
        schema = _enum(f)
    elif f.kind == "list":
        schema = _list_schema(f)
    elif f.kind == "cleanup":
        schema = {"anyOf": [{"type": "boolean"}, _list_schema(f)]}
    elif f.kind == "map" and f.children:
        children = {key: _property(child, None) for key, child in f.children.items()}
        schema = {"type": "object", "properties": children, "additionalProperties": f.extra}
    elif f.kind == "map":
        schema = {"type": "object", "additionalProperties": True}
    elif f.kind == "scalars":
        plain = {"type": ["string", "number", "boolean", "null"]}
        schema = {"type": "object", "additionalProperties": plain}
    elif f.kind == "provider":
        schema = {"$ref": "#/$defs/provider"}
    elif f.kind == "workflow":
        schema = _workflow_schema(f)
    else:
        raise AssertionError(f"no schema for kind {f.kind}")  # block/platforms use _property
    # null means "not set" for collections, so editors must accept it there too.
    collection = f.kind in ("list", "map", "scalars")
    return _nullable(schema, f.nullable or collection)


def _property(f: Field, default: Any) -> dict[str, Any]:
    if f.kind == "block":
        children = {key: _property(child, default.get(key)) for key, child in f.children.items()}
        schema: dict[str, Any] = {
            "type": ["object", "null"],
            "properties": children,
            "additionalProperties": f.extra,
        }
    elif f.kind == "platforms":
        assert f.item is not None
        item = f.item
        entries = {key: {**_value_schema(item), "default": default.get(key)} for key in f.keys}
        schema = {"type": ["object", "null"], "properties": entries, "additionalProperties": False}
    else:
        schema = _value_schema(f)
    doc = f.doc
    if f.deprecated:
        doc = f"{doc} Deprecated: {f.deprecated}."
        schema["deprecated"] = True
    return {"description": doc, **schema, "default": default}


def _defs() -> dict[str, Any]:
    provider_name = {"$ref": "#/$defs/ciProvider"}
    off = {"enum": [None, False]}
    return {
        "os": {"enum": list(OS_ALIASES)},
        "platform": {"enum": list(CONFIG_PLATFORMS)},
        "ciProvider": {
            "description": "A CI provider or keyword; circle, travis, appveyor, drone and "
            "woodpecker are deprecated.",
            "enum": list(PROVIDER_NAMES),
        },
        "provider": {
            "description": "A provider, a list of them, or null/false for none.",
            "anyOf": [
                off,
                provider_name,
                {"type": "array", "items": {"anyOf": [provider_name, off]}},
            ],
        },
    }


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of conda-forge.yml, defaults included."""
    defaults = to_plain(default_config())
    properties = {key: _property(f, defaults[key]) for key, f in TOP_LEVEL.items()}
    return {
        "$schema": _DRAFT,
        "title": "conda-forge.yml",
        "description": "Feedstock settings read by smithy (and conda-smithy) when linting "
        "and rerendering a conda-forge feedstock.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": _defs(),
    }
