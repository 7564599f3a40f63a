"""Which template line each rendered meta.yaml line came from, read off the sandbox's marks."""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Sequence
from typing import overload

from smithy.recipe.jinja_sandbox import LINE_MARK, LINE_MARK_DIGITS, LINE_MARK_END

_MARK_AT_START = re.compile(f"{LINE_MARK}({LINE_MARK_DIGITS}){LINE_MARK_END}")
# A mark at a line start, found through its newline: a literal start lets the regex engine
# skip ahead with a fast search (``^`` in MULTILINE mode is tried at every character). The
# text's very first line is checked on its own.
_MARK_AFTER_NEWLINE = re.compile(f"\n{LINE_MARK}({LINE_MARK_DIGITS}){LINE_MARK_END}")


class SourceLines(Sequence[int]):
    """The template line of each rendered line, read off the line marks the sandbox left.

    A line opening with a mark comes from that template line; others count on from the
    nearest marked line above. The marks come listed from the split that strips them
    (:func:`strip_marks`), or are listed on the first question; each answer is a binary
    search.
    """

    __slots__ = ("_length", "_lines", "_marks", "_text")

    def __init__(self, marked_text: str, marks: tuple[list[int], list[int]] | None = None) -> None:
        # The rendered text with its marks: what equality compares, and where marks are read.
        self._text = marked_text
        self._length = marked_text.count("\n") + 1
        # (rendered lines opening with a mark, their template lines): given by strip_marks.
        self._marks = marks
        self._lines: list[str] | None = None  # split only for marked()

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
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        starts, numbers = self._marks or self._list_marks()
        nearest = bisect.bisect_right(starts, index) - 1
        if nearest < 0:
            return index + 1
        return numbers[nearest] + index - starts[nearest]

    def marked(self, start: int, stop: int) -> list[str]:
        """The marked lines ``start:stop`` (0-based).

        When ``start`` is ``mark_above`` of a line, the source lines of the lines from there
        to ``stop`` are read from these alone: equal slices of two maps give equal numbers.
        """
        if self._lines is None:
            self._lines = self._text.split("\n")
        return self._lines[start:stop]

    def mark_above(self, index: int) -> int:
        """The nearest line at or above ``index`` (0-based) opening with a mark; 0 if none."""
        starts, _ = self._marks or self._list_marks()
        nearest = bisect.bisect_right(starts, index) - 1
        return starts[nearest] if nearest >= 0 else 0

    def _list_marks(self) -> tuple[list[int], list[int]]:
        """The 0-based rendered lines that open with a mark, and each mark's template line."""
        _, self._marks = _split_marks(self._text)
        return self._marks


def strip_marks(marked_text: str) -> tuple[str, SourceLines]:
    """``marked_text`` without its line marks, and the map its marks give."""
    stripped, marks = _split_marks(marked_text)
    return stripped, SourceLines(marked_text, marks)


def _split_marks(text: str) -> tuple[str, tuple[list[int], list[int]]]:
    """The text without marks, the 0-based lines opening with one, and each mark's number.

    One split finds every mark after a line break: a loop in Python per mark (a compiler
    recipe's render has hundreds) cost several times the split. Mark ``k`` stands on the
    line after every line break of the pieces before it and of the ``k + 1`` marks (each
    opens with one): counted and summed by C loops over the pieces.
    """
    parts = _MARK_AFTER_NEWLINE.split(text)
    pieces = parts[0::2]
    numbers = list(map(int, parts[1::2]))
    breaks = map(operator.add, map(str.count, pieces, itertools.repeat("\n")), itertools.repeat(1))
    starts = list(itertools.accumulate(breaks))
    starts.pop()  # the sum after the last piece: no mark follows it
    if first := _MARK_AT_START.match(pieces[0]):
        pieces[0] = pieces[0][first.end() :]
        starts.insert(0, 0)
        numbers.insert(0, int(first.group(1)))
    return "\n".join(pieces), (starts, numbers)
