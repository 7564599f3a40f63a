"""Load variant files (conda_build_config.yaml, variants.yaml) for one platform."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

from smithy.errors import PinningError, Span
from smithy.platforms import selector_namespace
from smithy.recipe.selectors import Selector, apply_line_selectors
from smithy.textfile import read_user_text
from smithy.variants.merge import merge_variant_configs
from smithy.variants.model import (
    EMPTY,
    LIST_SPECIAL_KEYS,
    PIN_RUN_AS_BUILD,
    SPECIAL_KEYS,
    ZIP_KEYS,
    UnquotedValue,
    VariantConfig,
    check_zip_keys,
)
from smithy.variants.yaml_tree import Map, Node, Scalar, Seq, parse_yaml

__all__ = [
    "EMPTY",
    "SPECIAL_KEYS",
    "VariantConfig",
    "all_keys",
    "check_zip_keys",
    "load_variant_file",
    "merge_variant_configs",
]

Style = Literal["auto", "cbc", "v1"]
# Decides an `if:` item of a v1 variants.yaml: (expression, where) -> keep `then`?
_Condition = Callable[[str, Span], bool]
_TOP_KEY = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.+/-]*)[ \t]*:(?=[ \t\r]|$)", re.MULTILINE)
_CONDITIONAL_KEYS = frozenset({"if", "then", "else"})
_KIND = {Map: "a mapping", Seq: "a list", Scalar: "a string"}
# Plain scalars a YAML 1.2 loader reads as an int or a bool (not as text).
_YAML12_TYPED = re.compile(r"[-+]?(?:0|[1-9][0-9]*)|true|True|TRUE|false|False|FALSE")


def _read(path: Path, shown: str) -> str:
    return read_user_text(path, shown, PinningError)


def _style_of(path: Path, style: Style) -> Literal["cbc", "v1"]:
    if style != "auto":
        return style
    # rattler-build reads `# [selector]` comments only in conda_build_config.yaml; other
    # variant files (variants.yaml) select with `if:`/`then:`/`else:` list items.
    return "v1" if path.name in ("variants.yaml", "variants.yml") else "cbc"


def _span(path: str, node: Node) -> Span:
    return Span(path, node.line, node.column)


def _branch_values(key: str, node: Map, path: str, condition: _Condition) -> list[Scalar]:
    """Evaluate one ``- if: ... then: ... else: ...`` item of a v1 variant list."""
    parts = {entry_key.value: value for entry_key, value in node.entries}
    expression = parts.get("if")
    if not isinstance(expression, Scalar) or not expression.value or "then" not in parts:
        raise PinningError(
            f"conditional item of '{key}' needs a string 'if:' and a 'then:'", _span(path, node)
        )
    chosen = parts["then"] if condition(expression.value, _span(path, expression)) else None
    if chosen is None:
        chosen = parts.get("else")
    return [] if chosen is None else _values(key, chosen, path, condition)


def _values(key: str, node: Node, path: str, condition: _Condition | None) -> list[Scalar]:
    """Return the value scalars of ``key``; "" alone (``key:``) means no values."""
    if isinstance(node, Scalar):
        return [node] if node.value else []
    if isinstance(node, Map):
        raise PinningError(
            f"'{key}' holds a mapping; variant values must be a list of strings",
            _span(path, node),
        )
    values: list[Scalar] = []
    for item in node.items:
        if isinstance(item, Scalar):
            values.append(item)
        elif (
            condition is not None
            and isinstance(item, Map)
            and {k.value for k, _ in item.entries} <= _CONDITIONAL_KEYS
        ):
            values.extend(_branch_values(key, item, path, condition))
        else:
            raise PinningError(
                f"values of '{key}' must be strings, not {_KIND[type(item)]}", _span(path, item)
            )
    return values


def _names(key: str, node: Node, path: str) -> list[str]:
    """A list of plain names (zip_keys groups, ignore_version, ...); empty items dropped."""
    names: list[str] = []
    for item in _values(key, node, path, None):
        if item.value and item.value not in names:
            names.append(item.value)
    return names


def _zip_groups(node: Node, path: str) -> tuple[list[tuple[str, ...]], list[Span]]:
    if isinstance(node, Scalar) and not node.value:
        return [], []
    if not isinstance(node, Seq):
        raise PinningError("zip_keys must be a list of lists of keys", _span(path, node))
    # conda-build drops empty entries (a group whose lines were all deselected).
    items = [
        item
        for item in node.items
        if not (isinstance(item, Scalar) and not item.value)
        and not (isinstance(item, Seq) and not item.items)
    ]
    if items and all(isinstance(item, Scalar) for item in items):
        return [tuple(_names(ZIP_KEYS, node, path))], [_span(path, node)]
    groups: list[tuple[str, ...]] = []
    spans: list[Span] = []
    for item in items:
        if not isinstance(item, Seq):
            raise PinningError(
                "zip_keys must be a list of lists of keys (or one list of keys)",
                _span(path, item),
            )
        group = tuple(_names(ZIP_KEYS, item, path))
        if group and group not in groups:
            groups.append(group)
            spans.append(_span(path, item))
    return groups, spans


def _pin_run_as_build(node: Node, path: str) -> dict[str, dict[str, str]]:
    if isinstance(node, Scalar) and not node.value:
        return {}
    if not isinstance(node, Map):
        raise PinningError(
            "pin_run_as_build must map package names to {min_pin: ..., max_pin: ...}",
            _span(path, node),
        )
    pins: dict[str, dict[str, str]] = {}
    for package, spec in node.entries:
        if isinstance(spec, Scalar) and not spec.value:
            continue
        if not isinstance(spec, Map) or not all(isinstance(v, Scalar) for _, v in spec.entries):
            raise PinningError(
                f"pin_run_as_build entry '{package.value}' must map pin names to strings",
                _span(path, spec),
            )
        entry = {k.value: v.value for k, v in spec.entries if isinstance(v, Scalar) and v.value}
        if entry:
            pins[package.value] = entry
    return pins


def _top_entries(root: Node, path: str, style: str) -> dict[str, tuple[Scalar, Node]]:
    if not isinstance(root, Map):
        raise PinningError(
            f"a variant file must be a mapping of keys to lists of values, not {_KIND[type(root)]}",
            _span(path, root),
        )
    entries: dict[str, tuple[Scalar, Node]] = {}
    for key, node in root.entries:
        if key.value in entries and style == "v1":
            raise PinningError(f"duplicate key '{key.value}'", _span(path, key))
        # conda-build's YAML loader keeps the later value (at the first key's position).
        entries[key.value] = (key, node)
    return entries


def _value(scalar: Scalar, lines: list[str] | None) -> str:
    """The scalar's text; marked :class:`UnquotedValue` when ``lines`` show a plain int/bool."""
    if lines is None or not _YAML12_TYPED.fullmatch(scalar.value):
        return scalar.value
    line = lines[scalar.line - 1] if 0 < scalar.line <= len(lines) else ""
    quoted = line[scalar.column - 1 : scalar.column] in ("'", '"')
    return scalar.value if quoted else UnquotedValue(scalar.value)


def _build(
    root: Node | None,
    path: str,
    style: str,
    condition: _Condition | None,
    lines: list[str] | None = None,
) -> VariantConfig:
    """The config of a parsed file; ``lines`` (v1 files only) let int/bool values stay typed."""
    if root is None:
        return EMPTY
    values: dict[str, tuple[str, ...]] = {}
    origins: dict[str, tuple[Span, ...]] = {}
    lists: dict[str, tuple[str, ...]] = {}
    zip_groups: list[tuple[str, ...]] = []
    zip_spans: list[Span] = []
    pins: dict[str, dict[str, str]] = {}
    for key, (_, node) in _top_entries(root, path, style).items():
        if key == ZIP_KEYS:
            zip_groups, zip_spans = _zip_groups(node, path)
        elif key == PIN_RUN_AS_BUILD:
            pins = _pin_run_as_build(node, path)
        elif key in LIST_SPECIAL_KEYS:
            lists[key] = tuple(_names(key, node, path))
        else:
            scalars = _values(key, node, path, condition)
            if scalars:
                values[key] = tuple(_value(scalar, lines) for scalar in scalars)
                origins[key] = tuple(_span(path, scalar) for scalar in scalars)
    return VariantConfig(
        values=values,
        zip_keys=tuple(zip_groups),
        pin_run_as_build=pins,
        origins=origins,
        extend_keys=frozenset(lists.get("extend_keys", ())),
        ignore_version=lists.get("ignore_version", ()),
        ignore_build_only_deps=lists.get("ignore_build_only_deps", ()),
        zip_origins=tuple(zip_spans),
    )


def _lenient_condition(namespace: Mapping[str, object], env: Mapping[str, str]) -> _Condition:
    def decide(expression: str, span: Span) -> bool:
        selector = Selector.parse(expression, span)
        # conda-smithy evaluates variants.yaml conditions with missing names as False.
        value = selector.evaluate(namespace, env=env, span=span)
        return bool(value)

    return decide


_CacheKey = tuple[str, str, str, str, str, tuple[tuple[str, str], ...]]
_LOADED: dict[_CacheKey, VariantConfig] = {}
_MAX_CACHED = 256


def load_variant_file(
    path: Path,
    *,
    platform: str,
    build_platform: str | None = None,
    env: Mapping[str, str],
    display_path: str | None = None,
    style: Style = "auto",
) -> VariantConfig:
    """Read one variant file for ``platform``.

    ``conda_build_config.yaml`` files (and migration files) are read like conda-build: line
    selectors ``# [expr]`` are applied first, seeing the platform's names and ``env`` but no
    variant values. ``variants.yaml`` files are read like conda-smithy reads them for v1
    recipes: ``- if: expr`` / ``then:`` / ``else:`` list items, names missing from the
    platform namespace count as false. Jinja (``${{ }}``) in values is kept as text.

    Args:
        path: the file to read.
        platform: target platform (subdir) the selectors see.
        build_platform: the platform the build runs on; defaults to ``platform``.
        env: what ``os.environ.get(...)`` returns in selectors (never the real environment).
        display_path: the path to show in errors and ``origins``; ``str(path)`` by default.
        style: ``"cbc"`` or ``"v1"`` to force a syntax; ``"auto"`` decides by file name.

    Raises:
        PinningError: the file cannot be read, is not YAML, or has a value of the wrong shape.
        SelectorError: a selector is malformed or uses an unknown name.
    """
    shown = display_path or str(path)
    text = _read(path, shown)
    chosen = _style_of(path, style)
    build = build_platform or platform
    cache_key = (text, shown, chosen, platform, build, tuple(sorted(env.items())))
    cached = _LOADED.get(cache_key)
    if cached is not None:
        return cached
    namespace = selector_namespace(platform, {}, build)
    config = read_variant_text(text, shown, namespace, env=env, style=chosen)
    if len(_LOADED) >= _MAX_CACHED:
        _LOADED.clear()
    _LOADED[cache_key] = config
    return config


def read_variant_text(
    text: str,
    shown: str,
    namespace: Mapping[str, object],
    *,
    env: Mapping[str, str],
    style: Literal["cbc", "v1"],
) -> VariantConfig:
    """The config of variant file ``text`` whose selectors and ``if:`` items see ``namespace``.

    :func:`load_variant_file` reads a file for one platform through here; lint reads one for
    "macOS, any architecture" (a namespace no single platform gives).

    Raises:
        PinningError: the text is not YAML or has a value of the wrong shape.
        SelectorError: a selector is malformed.
    """
    if style == "cbc":
        selected = apply_line_selectors(text, namespace, env=env, path=shown)
        return _build(parse_yaml(selected, shown), shown, style, None)
    condition = _lenient_condition(namespace, env)
    return _build(parse_yaml(text, shown), shown, style, condition, text.split("\n"))


def variant_file_style(path: Path) -> Literal["cbc", "v1"]:
    """``v1`` (``if:`` items) for variants.yaml, ``cbc`` (``# [selector]`` lines) for the rest."""
    return _style_of(path, "auto")


@lru_cache(maxsize=64)
def _keys_in_text(text: str) -> frozenset[str]:
    return frozenset(_TOP_KEY.findall(text)) - SPECIAL_KEYS


def all_keys(path: Path, *, display_path: str | None = None) -> frozenset[str]:
    """Return every top-level variant key ``path`` defines on any platform.

    A cheap scan of unindented ``key:`` lines that ignores selectors, so keys defined only
    for other platforms are included; special keys (``zip_keys``, ...) are not.

    Raises:
        PinningError: the file cannot be read.
    """
    return _keys_in_text(_read(path, display_path or str(path)))
