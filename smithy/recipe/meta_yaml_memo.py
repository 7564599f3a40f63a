"""Share the tree-to-outputs half of meta.yaml renders between variants with the same text.

After jinja, a render is fixed by its final text (which gives the tree), the recipe's name,
the rendered-to-source line map (spans) and the pin requests jinja recorded; the variant only
adds the versions ``pin_compatible`` takes from it for a host package written without one.
Big matrices render one final text for many variants (a CUDA x python recipe: 275 renders, 90
texts, each with three numpy versions), so the outputs are built once per text with a marker
in place of each such pin (``PinResolver(defer_variant=True)``), and each variant fills in
its own specs here: a string substitution instead of a build.
"""

from __future__ import annotations

import marshal
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import field, replace
from typing import Any

from smithy.recipe.jinja_memo import current_memo
from smithy.recipe.meta_yaml_output_memo import OutputMemo
from smithy.recipe.meta_yaml_outputs import kept_spec
from smithy.recipe.meta_yaml_pins import VARIANT_PIN, VARIANT_PIN_MARK, OutputIdentity
from smithy.recipe.model import Dependency, RenderedOutput, Requirements, Source
from smithy.records import record

MARKER = VARIANT_PIN_MARK
_CACHE_SIZE = 256  # final texts; a feedstock has at most a few hundred distinct ones

Fill = Callable[[str], str]


Path = tuple[str | int, ...]
Deferred = tuple[tuple[int, tuple[str, ...], int], ...]


@record
class Built:
    """What a render builds from its tree, with markers where the variant decides a pin.

    Attributes:
        name, version: the top-level package.
        outputs, sources: as rendered, markers in place of the deferred pins.
        marked: per output, whether markers are in it (outside tests) and in its tests.
        plain: (about, extra, data) as a marshal blob: each render loads a fresh copy.
        plain_marks: where markers are in that data (path, text with markers).
        identities: what ``pin_subpackage`` read of each output (to compute deferred pins).
        deferred: (request index, host specs, line) of each marker, in order.
        filled: outputs and sources with the markers filled, by the specs filled in (variants
            with equal pins, and later rerenders, share them).
    """

    name: str
    version: str
    outputs: tuple[RenderedOutput, ...]
    sources: tuple[Source, ...]
    marked: tuple[tuple[bool, bool], ...]
    plain: bytes
    plain_marks: tuple[tuple[Path, str], ...]
    identities: Mapping[str, OutputIdentity]
    deferred: Deferred
    filled: dict[tuple[str, ...], tuple[tuple[RenderedOutput, ...], tuple[Source, ...]]] = field(
        default_factory=dict, compare=False
    )


def marked_strings(value: Any, path: Path = ()) -> list[tuple[Path, str]]:
    """Where strings holding a marker are in plain data (``value`` lists and dicts)."""
    if isinstance(value, str):
        return [(path, value)] if MARKER in value else []
    if not isinstance(value, (dict, list, tuple)):
        return []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    return [found for key, item in items for found in marked_strings(item, (*path, key))]


def unpack_plain(built: Built, fill: Fill | None) -> Any:
    """Return fresh plain data, its markers filled in."""
    value = marshal.loads(built.plain)
    if fill is None:
        return value
    for path, text in built.plain_marks:
        container = value
        for key in path[:-1]:
            container = container[key]
        container[path[-1]] = fill(text)
    return value


def output_marks(output: RenderedOutput) -> tuple[bool, bool]:
    """Whether a deferred pin landed in ``output`` (outside its tests), and in its tests."""
    texts = [
        dep.spec for name in Requirements.SECTIONS for dep in output.requirements.section(name)
    ]
    for kinds in (output.run_exports, output.ignore_run_exports):
        texts.extend(spec for specs in kinds.values() for spec in specs)
    texts.append(output.script or "")
    return any(MARKER in text for text in texts), bool(marked_strings(output.tests))


def filler(specs: Sequence[str]) -> Fill:
    """Return a function putting ``specs`` in place of the markers of a text."""

    def fill(text: str) -> str:
        if MARKER not in text:
            return text
        return VARIANT_PIN.sub(lambda match: specs[int(match.group(1))], text)

    return fill


def _filled_specs(specs: tuple[str, ...], fill: Fill) -> tuple[str, ...]:
    """Requirement specs as ``dependencies`` leaves them: whitespace folded, empties dropped."""
    found = (kept_spec(fill(spec)) for spec in specs)
    return tuple(spec for spec in found if spec is not None)


def _filled_deps(deps: tuple[Dependency, ...], fill: Fill) -> tuple[Dependency, ...]:
    if not any(MARKER in dep.spec for dep in deps):
        return deps
    found = ((kept_spec(fill(dep.spec)), dep.span) for dep in deps)
    return tuple(Dependency(spec, span) for spec, span in found if spec is not None)


def _filled_plain(value: Any, fill: Fill) -> Any:
    if isinstance(value, str):
        return fill(value)
    if isinstance(value, list):
        return [_filled_plain(item, fill) for item in value]
    if isinstance(value, dict):
        return {key: _filled_plain(item, fill) for key, item in value.items()}
    return value


def filled_output(output: RenderedOutput, fill: Fill, tests: bool) -> RenderedOutput:
    """Return ``output`` with its markers filled in (``tests``: in its tests too)."""
    sections = {name: output.requirements.section(name) for name in Requirements.SECTIONS}
    ignored = {kind: _filled_specs(v, fill) for kind, v in output.ignore_run_exports.items()}
    return replace(
        output,
        requirements=Requirements(**{k: _filled_deps(v, fill) for k, v in sections.items()}),
        run_exports={kind: _filled_specs(v, fill) for kind, v in output.run_exports.items()},
        ignore_run_exports={kind: names for kind, names in ignored.items() if names},
        script=fill(output.script) if output.script is not None else None,
        tests=tuple(_filled_plain(test, fill) for test in output.tests) if tests else output.tests,
    )


def filled_source(source: Source, fill: Fill) -> Source:
    """Return ``source`` with its markers filled in."""

    def text(value: str | None) -> str | None:
        return fill(value) if value is not None else None

    return replace(
        source,
        url=tuple(fill(url) for url in source.url),
        git=text(source.git),
        path=text(source.path),
        sha256=text(source.sha256),
        md5=text(source.md5),
    )


class BuildMemo:
    """Builds by key: (final text, recipe path, line map, pin requests).

    The key holds the objects themselves (never ids), so an entry cannot answer for another
    text or line map (jinja's line maps compare by the marked lines they are read from).
    """

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._size = size
        self._entries: dict[Hashable, Built] = {}
        self._lock = threading.Lock()
        # Outputs and item data shared by builds of different texts (meta_yaml_output_memo).
        self.outputs = OutputMemo()

    def find(self, key: Hashable) -> Built | None:
        """Return the build stored under ``key``, if any."""
        return self._entries.get(key)

    def store(self, key: Hashable, built: Built) -> None:
        """Keep ``built`` under ``key`` (the oldest builds go when the memo is full)."""
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()
            self._entries[key] = built


# Builds are keyed by everything they depend on (the line map by its content), so a later
# rerender of the same recipe in this process (the fleet, a watch loop) finds them again.
_builds = BuildMemo()


def session_builds() -> BuildMemo | None:
    """The build memo, inside a ``render_session``; None outside one (nothing shared)."""
    return _builds if current_memo() is not None else None
