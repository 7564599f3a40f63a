"""Check parsed conda-forge.yml data against the key tree: keep valid values, report the rest."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from smithy.config.checking import (
    MISSING,
    Checker,
    Missing,
    describe,
    join,
    plain,
    suggestion,
)
from smithy.config.field import Field
from smithy.config.providers import (
    DEPRECATED_CI_FILES,
    DEPRECATED_CI_SERVICES,
    PROVIDER_NAMES,
    ProviderValue,
)
from smithy.config.workflow_settings import check_workflow_setting
from smithy.errors import Span

_EXPECTED = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "list": "a list",
    "map": "a mapping",
    "scalars": "a mapping of names to strings, numbers or booleans",
    "block": "a mapping",
    "platforms": "a mapping keyed by platform",
    "provider": "a CI provider, a list of them, or false",
    "workflow": "a value or a list of entries",
    "cleanup": "true, false or a list of apt, cache, docker",
}


def _outcome(path: str) -> str:
    # A rejected list item (or workflow entry) is dropped; a rejected key keeps its default.
    return "it is ignored" if "[" in path else "the default is used"


def wrong_type(f: Field, value: object, path: str, span: Span, chk: Checker) -> Missing:
    """Report a value of the wrong type; the default is used instead."""
    expected = f"one of {', '.join(f.choices)}" if f.kind == "enum" else _EXPECTED[f.kind]
    message = f"{path} should be {expected}, not {describe(value)}; {_outcome(path)}"
    chk.report("wrong-type", path, message, span)
    return MISSING


def check_block(
    node: Mapping[Any, Any], fields: Mapping[str, Field], path: str, chk: Checker, *, extra: bool
) -> dict[str, object]:
    """Check the keys of one mapping; unknown keys are reported unless ``extra``."""
    out: dict[str, object] = {}
    fallback = Span(chk.display)
    for key, value in node.items():
        key_path = join(path, key)
        span = chk.span_of(node, key, fallback)
        f = fields.get(key) if isinstance(key, str) else None
        if f is None:
            if extra and isinstance(key, str):
                out[key] = plain(value)
                continue
            where = f" in {path}" if path else " at the top level"
            hint = suggestion(key, tuple(fields))
            chk.report("unknown-key", key_path, f"unknown key '{key}'{where}{hint}", span)
            continue
        chk.spans[key_path] = span
        if f.deprecated and not f.migrated:
            chk.report("deprecated", key_path, f"{key_path} is deprecated: {f.deprecated}", span)
        converted = convert(f, value, key_path, span, chk)
        if converted is not MISSING:
            out[key] = converted
    return out


def convert(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    """Check one value against its field; return it as plain data, or MISSING."""
    if value is None:
        if f.kind == "workflow":
            return []
        if f.kind in ("list", "map", "scalars", "block", "platforms"):
            return MISSING  # an empty key means "not set"
        return None if f.nullable else wrong_type(f, value, path, span, chk)
    return _HANDLERS[f.kind](f, value, path, span, chk)


def _str(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if isinstance(value, str):
        return value
    if f.numeric and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return wrong_type(f, value, path, span, chk)


def _integral(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # JSON Schema counts 8.0 as an integer; accept what the exported schema accepts.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _int(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    number = _integral(value)
    return wrong_type(f, value, path, span, chk) if number is None else number


def _bool(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    return value if isinstance(value, bool) else wrong_type(f, value, path, span, chk)


def _enum(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if f.boolean and isinstance(value, bool):
        return value
    if f.numeric and _integral(value) is not None:
        value = str(_integral(value))
    if not isinstance(value, str):
        return wrong_type(f, value, path, span, chk)
    if value in f.choices:
        return value
    hint = suggestion(value, f.choices) or f" (expected one of {', '.join(f.choices)})"
    message = f"{path} has invalid value '{value}'{hint}; {_outcome(path)}"
    chk.report("invalid-value", path, message, span)
    return MISSING


def _list(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if f.single and not isinstance(value, list | Mapping):
        value = [value]
    if not isinstance(value, list):
        return wrong_type(f, value, path, span, chk)
    item = f.item or Field("str")
    out: list[object] = []
    for index, entry in enumerate(value):
        entry_span = chk.span_of(value, index, span)
        converted = convert(item, entry, f"{path}[{index}]", entry_span, chk)
        if converted is not MISSING:
            out.append(converted)
    return out


def _cleanup(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return _list(f, value, path, span, chk)
    return wrong_type(f, value, path, span, chk)


def _map(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if not isinstance(value, Mapping):
        return wrong_type(f, value, path, span, chk)
    if f.children:  # a documented map (bot): checked for the user, kept as written for its
        check_block(value, f.children, path, chk, extra=f.extra)  # reader (bump is strict)
    return plain(value)


def _scalars(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if not isinstance(value, Mapping):
        return wrong_type(f, value, path, span, chk)
    out: dict[str, object] = {}
    for key, entry in value.items():
        name = str(key)
        key_path = join(path, name)
        key_span = chk.span_of(value, key, span)
        chk.spans[key_path] = key_span
        if entry is None or isinstance(entry, bool | int | float | str):
            out[name] = entry
        else:
            chk.report(
                "wrong-type",
                key_path,
                f"{key_path} should be a plain value, not {describe(entry)}; it is ignored",
                key_span,
            )
    return out


def _block(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if not isinstance(value, Mapping):
        return wrong_type(f, value, path, span, chk)
    return check_block(value, f.children, path, chk, extra=f.extra)


def _platforms(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if not isinstance(value, Mapping):
        return wrong_type(f, value, path, span, chk)
    assert f.item is not None  # every platforms field declares its item
    out: dict[str, object] = {}
    for key, entry in value.items():
        key_path = join(path, key)
        key_span = chk.span_of(value, key, span)
        if key not in f.keys:
            hint = suggestion(key, f.keys)
            chk.report(
                "unknown-key", key_path, f"unknown platform '{key}' in {path}{hint}", key_span
            )
            continue
        chk.spans[key_path] = key_span
        converted = convert(f.item, entry, key_path, key_span, chk)
        if converted is not MISSING:
            out[str(key)] = converted
    return out


def _provider_name(name: str, path: str, span: Span, chk: Checker) -> str | None:
    if name not in PROVIDER_NAMES:
        hint = suggestion(name, PROVIDER_NAMES)
        chk.report("invalid-value", path, f"unknown CI provider '{name}' in {path}{hint}", span)
        return None
    if name in DEPRECATED_CI_SERVICES:
        chk.report(
            "deprecated",
            path,
            f"CI provider '{name}' is deprecated and smithy does not write its "
            f"{DEPRECATED_CI_FILES[name]} (an existing one is kept unchanged, so its jobs "
            "do not follow the rerender): use github_actions or azure",
            span,
        )
    return None if name == "None" else name


def _provider(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    if isinstance(value, bool):
        if value:
            chk.report(
                "invalid-value",
                path,
                f"{path}: true names no CI provider; the "
                "platform is not built (write a provider name)",
                span,
            )
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return wrong_type(f, value, path, span, chk)
    if not value:
        return None
    names: list[str] = []
    for index, entry in enumerate(value):
        if entry is None or entry is False:
            continue
        entry_span = chk.span_of(value, index, span)
        if not isinstance(entry, str):
            wrong_type(f, entry, f"{path}[{index}]", entry_span, chk)
            continue
        name = _provider_name(entry, path, entry_span, chk)
        if name is not None:
            names.append(name)
    result: ProviderValue = tuple(names)
    return result


def _workflow(f: Field, value: object, path: str, span: Span, chk: Checker) -> object:
    item = f.item or Field("str", nullable=True)

    def check_value(entry: object, entry_path: str, entry_span: Span) -> object:
        return convert(item, entry, entry_path, entry_span, chk)

    return check_workflow_setting(value, path, span, chk, check_value)


_Handler = Callable[[Field, object, str, Span, Checker], object]
_HANDLERS: Mapping[str, _Handler] = {
    "str": _str,
    "int": _int,
    "bool": _bool,
    "enum": _enum,
    "list": _list,
    "cleanup": _cleanup,
    "map": _map,
    "scalars": _scalars,
    "block": _block,
    "platforms": _platforms,
    "provider": _provider,
    "workflow": _workflow,
}
