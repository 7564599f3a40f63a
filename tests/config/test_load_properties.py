"""Properties of the loader: only ConfigError escapes, and it agrees with the JSON Schema."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from smithy.config.export import json_schema, to_plain
from smithy.config.field import Field
from smithy.config.fields import TOP_LEVEL
from smithy.config.load import parse_config
from smithy.config.providers import (
    CI_SERVICES,
    CONFIG_PLATFORMS,
    DEPRECATED_CI_SERVICES,
    OS_ALIASES,
    PROVIDER_NAMES,
)
from smithy.config.schema import FeedstockConfig
from smithy.errors import ConfigError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
VALIDATOR = Draft202012Validator(json_schema())

TOKENS = st.sampled_from(
    [
        "provider", "linux_64", "azure", "settings_win", "variables", "workflow_settings",
        "free_disk_space", "value", "os", "platform", "docker", "image", "github_actions",
        "SET_PAGEFILE", "swapfile_size", "10GiB", "build_platform", "bot", "matrix",
        ": ", "- ", "\n", "  ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "? ", "|", ">",
        "!!binary ", "!tag ", "'", '"', "#", "true", "null", "yes", "010", "0x1f", "1e3", "\t",
        "%YAML 1.2\n---\n", "...\n", "---\n", "\ufeff", "\x00", "\u2028",
    ]
)  # fmt: skip
YAMLISH = st.lists(TOKENS, max_size=50).map("".join)


def _loads_or_config_error(text: str) -> FeedstockConfig | None:
    try:
        return parse_config(text)
    except ConfigError as exc:
        assert exc.span is not None and "\n" not in str(exc)
        return None


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_raises_only_config_error(text: str) -> None:
    _loads_or_config_error(text)


@SETTINGS
@given(YAMLISH)
def test_yamlish_text_raises_only_config_error(text: str) -> None:
    config = _loads_or_config_error(text)
    if config is not None:
        # YAML 1.1 (libyaml) also breaks lines at \r, NEL, LS and PS.
        lines = len(re.split("\r\n|[\n\r\x85\u2028\u2029]", text))
        for issue in config.issues:
            assert issue.key_path and issue.message[0].islower()
            assert 0 <= issue.span.line <= lines
        for platform in CONFIG_PLATFORMS:
            assert set(config.provider_for(platform)) <= set(CI_SERVICES + DEPRECATED_CI_SERVICES)


_JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 500)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(alphabet="abcxyz_-. ", max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text("abz_", max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
_NAME = st.text(alphabet="abcdefgh-_./", min_size=1, max_size=8)


def _one_or_list(names: tuple[str, ...]) -> st.SearchStrategy[Any]:
    choice = st.sampled_from(names)
    return st.none() | choice | st.lists(choice, max_size=3)


def _valid(f: Field) -> st.SearchStrategy[Any]:
    kind = f.kind
    if kind == "block":
        return _some_keys(f.children)
    if kind == "platforms":
        assert f.item is not None
        return _some_keys(dict.fromkeys(f.keys, f.item))
    simple: dict[str, st.SearchStrategy[Any]] = {
        "str": _NAME | (st.integers(20, 40) if f.numeric else _NAME),
        "int": st.integers(0, 1000),
        "bool": st.booleans(),
        "enum": st.sampled_from(f.choices or ("x",)),
        "map": st.dictionaries(_NAME, _JUNK, max_size=3),
        "scalars": st.dictionaries(_NAME, st.none() | st.booleans() | _NAME, max_size=3),
        "provider": st.none() | st.just(False) | _one_or_list(PROVIDER_NAMES),
    }
    if f.pattern:
        return st.integers(0, 64).map(lambda n: f"{n}GiB")
    if kind in simple:
        return simple[kind]
    item = _valid(f.item) if f.item is not None else _NAME
    if kind == "list":
        return st.lists(item, max_size=3)
    if kind == "cleanup":
        return st.booleans() | st.lists(item, max_size=3)
    entry = st.fixed_dictionaries(
        {"value": item},
        optional={
            "os": _one_or_list(OS_ALIASES),
            "platform": _one_or_list(CONFIG_PLATFORMS),
            "provider": _one_or_list(PROVIDER_NAMES),
        },
    )
    return item | st.lists(entry, max_size=3)


def _value(f: Field) -> st.SearchStrategy[Any]:
    valid = _valid(f)
    return st.one_of(valid, valid, st.none() if f.nullable else valid, _JUNK)


def _some_keys(fields: Mapping[str, Field], most: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings holding a few of ``fields`` (all of them make examples too big to be quick)."""
    chosen = st.lists(st.sampled_from(sorted(fields)), max_size=most, unique=True)
    return chosen.flatmap(lambda keys: st.fixed_dictionaries({k: _value(fields[k]) for k in keys}))


DOCUMENTS = _some_keys({**TOP_LEVEL, "unknown_key": Field("map")}, most=5)


def _problems(config: FeedstockConfig) -> list[str]:
    return [issue.message for issue in config.issues if issue.kind != "deprecated"]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCUMENTS)
def test_loader_and_schema_agree(document: dict[str, Any]) -> None:
    """A document loads without problems exactly when the exported JSON Schema accepts it."""
    schema_errors = list(VALIDATOR.iter_errors(document))
    try:
        config = parse_config(json.dumps(document, indent=1))
    except ConfigError:
        assert schema_errors
        return
    assert (_problems(config) == []) == (schema_errors == []), (_problems(config), schema_errors)
    plain = to_plain(config)
    if _problems(config):
        plain.pop("bot", None)  # kept as written for its reader (the bot, smithy bump)
    assert list(VALIDATOR.iter_errors(plain)) == []


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCUMENTS)
def test_loading_is_deterministic(document: dict[str, Any]) -> None:
    text = json.dumps(document, indent=1)
    try:
        first = parse_config(text)
    except ConfigError:
        return
    assert parse_config(text) == first


def test_bot_section_is_checked_but_kept_as_written() -> None:
    text = "bot:\n  automrge: true\n  version_updates:\n    sources: [pypi, pipy]\n"
    config = parse_config(text)
    messages = [issue.message for issue in config.issues]
    assert any("unknown key 'automrge' in bot (did you mean 'automerge'?)" in m for m in messages)
    assert any("bot.version_updates.sources[1] has invalid value 'pipy'" in m for m in messages)
    # the bot (and smithy bump, which refuses unknown sources itself) reads what was written
    assert config.bot["version_updates"]["sources"] == ("pypi", "pipy")
