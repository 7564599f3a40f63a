"""Share built outputs and plain data between meta.yaml builds of different final texts.

Real multi-output recipes render a distinct final text per variant (a compiler feedstock: 264
renders, 227 texts, 19 outputs each), yet 80% of the outputs they build equal one built
before: each variant changes a few outputs. ``yaml_chunks`` hands an output item unchanged in
text and place out as the same parsed node, so an output is kept under the nodes it is made
of and reused by a later build that has the same nodes and in which everything else it read
is equal. What ``make_output`` reads, and how a reuse checks it:

- its Parts: a function of the nodes and values ``_output_parts`` read (``Parts.nodes``,
  ``Parts.values``: the output item, and the document's package, build, requirements and
  test for an output named like the package; else the package's name, the inherited build
  number's value, the top-level build for an output without one). The key holds the nodes'
  ids and the entry the nodes themselves, so an id cannot stand for another node while the
  entry lives. The version (the package's, when the output has none) and the top-level
  ``build.skip`` reach only the output's ``version`` and ``skip``: set on each reuse;
- the recipe path (spans, errors) and whether the render made any pin call (without one,
  placeholders stay as written): in the key;
- the pins its texts hold: for each placeholder number met while building it, the request
  of that number (or none: past the last request the text stays as written), with what the
  pin reads of another output (its version; its build number and string for an exact pin) or
  the variant values a ``pin_compatible`` could read. Recorded when built, compared on
  reuse. An output holding a marker of a deferred pin is never kept (a marker's number
  belongs to its build);
- its spans: the source line of every rendered line it made a span for. Recorded when built;
  on reuse, the marked lines (jinja's line map) from the nearest line mark above the first of
  them to the last must be equal (they are all those numbers are read from), or, for a map
  of another kind, the numbers themselves.

Errors are never kept: an entry exists only for a build that succeeded, and equal inputs
succeed again. The plain data of the document's sections and output items (``_data`` in
``meta_yaml_build``) is kept the same way under (node, host specs), checked by its pins (plain
data has no spans); it is only ever serialised, never changed, so it is shared as is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import field, replace
from typing import Any, TypeVar

from smithy.errors import Span
from smithy.recipe.jinja_lines import SourceLines
from smithy.recipe.meta_yaml_outputs import Parts, Section, make_output
from smithy.recipe.meta_yaml_pins import PinResolver
from smithy.recipe.model import RenderedOutput
from smithy.recipe.yaml_plain import plain_resolved
from smithy.recipe.yaml_tree import YNode
from smithy.records import record

_CACHE_SIZE = 4096  # keys of outputs (and of plain data); a feedstock has a few thousand
_PER_KEY = 4

T = TypeVar("T")


@record
class _Recording(Section):
    """A Section that notes each rendered line it makes a span for."""

    asked: list[int] = field(default_factory=list)

    def span(self, line: int) -> Span:
        """Return the meta.yaml span of rendered ``line``, noting the line."""
        self.asked.append(line)
        return Section.span(self, line)


@record
class _Entry:
    """One kept result and what it read beyond its key (the key's ids: ``nodes``)."""

    nodes: tuple[object, ...]  # held, so no other node can have their ids while it lives
    numbers: tuple[int, ...]  # the placeholder numbers met while making it
    pins: tuple[object, ...]  # what resolving each read (``_Build.pins``)
    lines: tuple[int, ...]  # rendered lines it made spans for
    mapped: tuple[int, ...]  # their source lines, when ``block`` is None
    # (start, stop, marked lines): equal marked lines give equal source lines (SourceLines)
    block: tuple[int, int, list[str]] | None
    value: Any


class OutputMemo:
    """Outputs and item plain data kept across builds (bounded: cleared when full)."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self.size = size
        # A few entries per key: the same nodes often meet two or three sets of pins.
        self.outputs: dict[Hashable, list[_Entry]] = {}
        self.plains: dict[Hashable, list[_Entry]] = {}
        self.lock = threading.Lock()

    def for_build(self, reader: Section, resolver: PinResolver) -> SharedBuild:
        """The memo as seen by one build (its line map and pins)."""
        return SharedBuild(self, reader, resolver)


class SharedBuild:
    """One build's access to an OutputMemo."""

    def __init__(self, memo: OutputMemo, reader: Section, resolver: PinResolver) -> None:
        self._memo = memo
        self._reader = reader
        self._resolver = resolver
        self._lines = reader.source_lines if isinstance(reader.source_lines, SourceLines) else None
        # What each request's placeholder reads (see _read), listed on the first question: a
        # build asks about nearly all of them, and a C map then reads any set of numbers.
        self._pins: dict[int, object] | None = None

    def output(self, part: Parts, skip_all: bool) -> RenderedOutput:
        """``make_output(part, ...)``, shared with builds whose Parts are made of the same."""
        resolver, nodes = self._resolver, part.nodes
        key = (*map(id, nodes), part.values, self._reader.path, bool(resolver.requests))
        output = self._kept(
            self._memo.outputs,
            key,
            nodes,
            lambda recording: make_output(part, recording, resolver, False),
        )
        # The version and the top-level skip reach only these two fields (make_output).
        if output.version != part.version or (skip_all and not output.skip):
            return replace(output, version=part.version, skip=True if skip_all else output.skip)
        return output

    def plain(self, node: YNode, host: tuple[str, ...]) -> Any:
        """``node``'s plain data, pins resolved against ``host``; shared: never change it."""
        resolver = self._resolver
        key = (id(node), host, bool(resolver.requests))
        return self._kept(
            self._memo.plains,
            key,
            (node,),
            lambda _: plain_resolved(node, resolver.for_host(host)),
        )

    def _kept(
        self,
        store: dict[Hashable, list[_Entry]],
        key: Hashable,
        nodes: tuple[object, ...],
        make: Callable[[Section], T],
    ) -> T:
        """``make(reader)``, or the value kept for an equal make under ``key``."""
        for entry in store.get(key, ()):
            if self._holds(entry):
                value: T = entry.value
                return value
        reader, resolver = self._reader, self._resolver
        recording = _Recording(reader.path, reader.source_lines)
        used, marked = resolver.track()
        try:
            value = make(recording)
        finally:
            resolver.untrack()
        if marked[0]:  # a deferred pin's marker: its number belongs to this build
            return value
        numbers = tuple(sorted(used))
        lines = tuple(sorted(set(recording.asked)))
        pins, block = self._reads(numbers), self._block(lines)
        # The source lines themselves only when no marked lines stand for them (see _holds).
        mapped = tuple(map(reader.source_line, lines)) if block is None else ()
        entry = _Entry(nodes, numbers, pins, lines, mapped, block, value)
        memo = self._memo
        with memo.lock:
            if len(store) >= memo.size:
                store.clear()
            kept = store.setdefault(key, [])
            if len(kept) >= _PER_KEY:
                del kept[0]
            kept.append(entry)
        return value

    def _holds(self, entry: _Entry) -> bool:
        """Whether everything ``entry`` read beyond its key is equal in this build."""
        if entry.numbers and self._reads(entry.numbers) != entry.pins:
            return False
        if not entry.lines:
            return True
        block, lines = entry.block, self._lines
        if block is not None:  # kept only from a SourceLines map: another kind is a miss
            return lines is not None and lines.marked(block[0], block[1]) == block[2]
        return tuple(map(self._reader.source_line, entry.lines)) == entry.mapped

    def _block(self, lines: tuple[int, ...]) -> tuple[int, int, list[str]] | None:
        """The marked lines the source lines of rendered ``lines`` are read from, if any."""
        source = self._lines
        if source is None or not lines or lines[0] < 1 or lines[-1] > len(source):
            return None
        start = source.mark_above(lines[0] - 1)
        return (start, lines[-1], source.marked(start, lines[-1]))

    def _reads(self, numbers: tuple[int, ...]) -> tuple[object, ...]:
        pins = self._pins
        if pins is None:
            requests = self._resolver.requests
            pins = self._pins = {number: self._read(number) for number in range(len(requests))}
        # None past the last request: the text stays as written.
        return tuple(map(pins.get, numbers))

    def _read(self, number: int) -> object:
        """What resolving request ``number``'s placeholder reads, as plain values."""
        resolver = self._resolver
        request = resolver.requests[number]
        fields = (
            request.function,
            request.name,
            request.min_pin,
            request.max_pin,
            request.exact,
            request.lower_bound,
            request.upper_bound,
        )
        if request.function != "pin_subpackage":
            variant, name = resolver.variant, request.name
            return (*fields, variant.get(name), variant.get(name.replace("-", "_")))
        identity = resolver.outputs.get(request.name)
        if identity is None:
            return fields
        if request.exact and not (request.lower_bound or request.upper_bound):
            return (*fields, identity.version, identity.build_number, identity.build_string)
        return (*fields, identity.version)
