"""Reuse jinja output across the variants of one matrix that read the same values.

A big matrix renders one recipe for hundreds of variants, and most of them differ only in keys
the template never reads (``numpy`` reaches the recipe through ``pin_compatible``, resolved after
jinja). The rendered text is a function of the selected text, the platform and the values the
template reads, so each distinct choice of those is rendered once per rerender:

- names the template reads by name: every identifier of the template's jinja tags (lexed from
  the raw recipe, string literals left out), a superset of what any selection can read;
- variant keys the jinja functions look up (``compiler('c')`` reads ``c_compiler`` and
  ``c_compiler_version``) and ``environ``/``os.getenv`` keys: recorded while rendering through
  :class:`RecordingMapping`, so an entry is reused only when the new render's variant and
  environment give every recorded key the same value.

recipe.yaml ``${{ }}`` texts are shared the same way (``v1_expressions.render_template``): an
expression-only template reads exactly the names jinja's analysis lists, and the functions it may
call there depend on nothing else but the pins of the recipe's outputs (in the key).

The memo lives for one :func:`render_session` (a rerender, a lint of one feedstock): files the
``load_file_*`` functions read cannot change under it, and nothing outlives the run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2 import TemplateSyntaxError

from smithy.recipe.jinja import ENVIRONMENT, LenientUndefined, RenderedText
from smithy.recipe.jinja_pins import PinRequest
from smithy.recipe.v1_memo import OutputMemo
from smithy.records import record

_MISSING = ("missing",)
# Entries per recipe text and selection; a guard against pathological matrices, not a target.
_MAX_ENTRIES = 4096


class Reads:
    """The lookups of one render: ``(source, key) -> value`` and whether a source was iterated."""

    __slots__ = ("iterated", "values")

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], object] = {}
        self.iterated = False


class RecordingMapping(Mapping[str, Any]):
    """A mapping (the variant, ``environ``) that notes every key looked up in it."""

    __slots__ = ("_label", "_reads", "_values")

    def __init__(self, values: Mapping[str, Any], label: str, reads: Reads) -> None:
        self._values, self._label, self._reads = values, label, reads

    def __getitem__(self, key: str) -> Any:
        try:
            value = self._values[key]
        except KeyError:
            self._reads.values[(self._label, key)] = _MISSING
            raise
        self._reads.values[(self._label, key)] = value
        return value

    def __iter__(self) -> Iterator[str]:
        self._reads.iterated = True
        return iter(self._values)

    def __len__(self) -> int:
        self._reads.iterated = True
        return len(self._values)


@functools.lru_cache(maxsize=64)
def template_identifiers(raw_text: str) -> tuple[str, ...] | None:
    """Every name inside the jinja tags of ``raw_text``, sorted; None when it does not lex."""
    try:
        names = {value for _, kind, value in ENVIRONMENT.lex(raw_text) if kind == "name"}
    except TemplateSyntaxError:
        return None
    return tuple(sorted(names))


def _fingerprint(value: object) -> object:
    """A hashable stand-in equal for values that render alike; None when there is none."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return (type(value).__name__, value)
    if isinstance(value, LenientUndefined):
        return ("lenient", value._undefined_name)
    if isinstance(value, RecordingMapping):
        return ("recorded",)  # compared by the keys looked up, after rendering
    if isinstance(value, Mapping):
        return _mapping_fingerprint(value)
    return _object_fingerprint(value)


def _mapping_fingerprint(value: Mapping[Any, Any]) -> object:
    items = []
    for key, item in value.items():
        found = _fingerprint(item)
        if found is None or not isinstance(key, str):
            return None
        items.append((key, found))
    return ("mapping", tuple(sorted(items)))


def _object_fingerprint(value: object) -> object:
    environ = getattr(value, "environ", None)
    if isinstance(environ, RecordingMapping) and hasattr(value, "getenv"):  # ``os``
        return ("os", getattr(value, "sep", ""), getattr(value, "pathsep", ""))
    if callable(value):
        # Context functions behave by the platform (in the key) and the variant keys they
        # read (recorded); file functions by files that cannot change during the session.
        return ("function", getattr(value, "__name__", ""))
    return None


_Lookups = tuple[tuple[tuple[str, str], object], ...]


@record
class JinjaResult:
    """What one jinja render of a meta.yaml produced."""

    rendered: RenderedText
    requests: tuple[PinRequest, ...]


@dataclass(slots=True)
class JinjaMemo:
    """Jinja results by (recipe, selection, platform, values read) for one session."""

    entries: dict[tuple[object, ...], list[tuple[_Lookups, JinjaResult]]] = field(
        default_factory=dict
    )
    size: int = 0
    # recipe.yaml: each ``${{ }}`` text by the values it reads (see v1_expressions).
    templates: dict[tuple[object, ...], str] = field(default_factory=dict)
    # recipe.yaml: each output's render by the values it reads (see v1_memo).
    v1_outputs: OutputMemo = field(default_factory=OutputMemo)

    def key(
        self, raw_text: str, selected: str, platform: tuple[str, str], variables: Mapping[str, Any]
    ) -> tuple[object, ...] | None:
        """The lookup key of a render, None when a value read cannot be compared."""
        names = template_identifiers(raw_text)
        if names is None:
            return None
        values = []
        for name in names:
            found = _fingerprint(variables[name]) if name in variables else _MISSING
            if found is None:
                return None
            values.append(found)
        return (raw_text, selected, platform, tuple(values))

    def find(
        self, key: tuple[object, ...], sources: Mapping[str, Mapping[str, Any]]
    ) -> JinjaResult | None:
        """The result stored under ``key`` whose recorded lookups ``sources`` all agree with."""
        for reads, result in self.entries.get(key, ()):
            if all(sources[label].get(name, _MISSING) == value for (label, name), value in reads):
                return result
        return None

    def store(self, key: tuple[object, ...], reads: Reads, result: JinjaResult) -> None:
        """Remember ``result``; a render that iterated a recorded mapping is not reused."""
        if reads.iterated or self.size >= _MAX_ENTRIES:
            return
        self.entries.setdefault(key, []).append((tuple(sorted(reads.values.items())), result))
        self.size += 1


_SESSION: ContextVar[JinjaMemo | None] = ContextVar("smithy_jinja_memo", default=None)


@contextlib.contextmanager
def render_session() -> Iterator[None]:
    """Share jinja results between the renders inside the block (one run's matrix)."""
    token = _SESSION.set(JinjaMemo())
    try:
        yield
    finally:
        _SESSION.reset(token)


def current_memo() -> JinjaMemo | None:
    """The memo of the enclosing :func:`render_session`, None outside one."""
    return _SESSION.get()


def recording_environ(variables: Mapping[str, Any], reads: Reads) -> dict[str, Any]:
    """``environ`` and ``os`` of a render's names, noting the environment keys they read."""
    replaced: dict[str, Any] = {"environ": RecordingMapping(variables["environ"], "environ", reads)}
    os_subset = variables.get("os")
    os_environ = getattr(os_subset, "environ", None)
    if os_subset is not None and isinstance(os_environ, Mapping):
        # ``os.environ`` lacks the variant entries ``environ`` has: recorded on its own.
        recording = RecordingMapping(os_environ, "os.environ", reads)
        replaced["os"] = dataclasses.replace(os_subset, environ=recording)
    return replaced
