"""Which template line each rendered meta.yaml line came from, read off the sandbox's marks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import overload

from smithy.recipe.jinja_sandbox import LINE_MARK, LINE_MARK_END

_LINE_MARK_AT_START = re.compile(f"{LINE_MARK}(\\d+){LINE_MARK_END}")


class SourceLines(Sequence[int]):
    """The template line of each rendered line, read off the line marks the sandbox left.

    A line opening with a mark comes from that template line; others count on from the
    nearest marked line above. Looked up on demand (spans only), so rendering never walks
    every line in Python.
    """

    __slots__ = ("_found", "_length", "_lines", "_text")

    def __init__(self, marked_text: str) -> None:
        # Kept whole and split on the first question: a render whose spans nobody asks for
        # (its build is shared) never splits, and the text is the key equality compares.
        self._text = marked_text
        self._length = marked_text.count("\n") + 1
        self._lines: list[str] | None = None
        # Every requirement's span asks, and variants sharing a jinja render share this object.
        self._found: dict[int, int] = {}

    # Equal marked lines give the same map: builds keyed by a map are found again by a later
    # rerender of the same text (meta_yaml_memo).
    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, SourceLines):
            return NotImplemented
        # One string: hashed once (str caches it) and compared at C speed.
        return self._text == other._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        known = self._found.get(index)
        if known is not None:
            return known
        if not 0 <= index < len(self):
            raise IndexError(index)
        self._found[index] = number = self._source_line(index)
        return number

    def marked(self, start: int, stop: int) -> list[str]:
        """The marked lines ``start:stop`` (0-based).

        When ``start`` is ``mark_above`` of a line, the source lines of the lines from there
        to ``stop`` are read from these alone: equal slices of two maps give equal numbers.
        """
        return self._split()[start:stop]

    def mark_above(self, index: int) -> int:
        """The nearest line at or above ``index`` (0-based) opening with a mark; 0 if none."""
        marked = self._split()
        while index > 0 and not _LINE_MARK_AT_START.match(marked[index]):
            index -= 1
        return index

    def _split(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text.split("\n")
        return self._lines

    def _source_line(self, index: int) -> int:
        # Walk up to the nearest mark, or to a line already answered: no mark lies between
        # that line and ``index`` either way, so ``index`` counts on from it. Requirements are
        # asked for in order, so each answer usually stops one line up.
        marked = self._split()
        for at in range(index, -1, -1):
            line = marked[at]
            found = _LINE_MARK_AT_START.match(line) if line.startswith(LINE_MARK) else None
            if found is not None:
                return int(found.group(1)) + index - at
            if at != index and (known := self._found.get(at)) is not None:
                return known + index - at
        return index + 1
