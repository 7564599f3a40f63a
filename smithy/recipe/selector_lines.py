"""Where the ``# [selector]`` lines of a text are, and the text around them (no evaluation)."""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterator

from smithy.records import frozen_record

# conda-build's line selector: `[expr]` ending the line, or anywhere after a `#` when no
# parenthesis follows it (so a markdown link in a comment is not a selector).
SELECTOR_PATTERN: re.Pattern[str] = re.compile(r"(.+?)\s*(#.*)?\[([^\[\]]+)\](?(2)[^\(\)]*)$")
_BRACKETS = re.compile(r"\[[^\[\]]+\]")

# index, line without its selector, expression, 1-based column, whether no `#` precedes it
SelectedLine = tuple[int, str, str, int, bool]


@frozen_record
class Layout:
    """A text's selector lines, and the text around them, to select without splitting it.

    ``between[k]`` is the text before selector line ``k`` (after line ``k - 1``), line
    breaks included, and ``between[-1]`` the text after the last; ``kept[k]`` is what a true
    selector leaves of line ``k``, ``dropped[k]`` what a false one leaves (its carriage
    return, if any). Each distinct selector is decided once, at its first line.
    """

    selected: tuple[SelectedLine, ...]
    between: tuple[str, ...]
    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    expressions: tuple[str, ...]  # the distinct selectors, in the order of their first lines
    firsts: tuple[int, ...]  # the selector line where each is first met
    choice: tuple[int, ...]  # each selector line's number in ``expressions``


@functools.lru_cache(maxsize=64)
def layout(text: str) -> Layout:
    """The selector lines of ``text`` and the text around them (found without splitting it)."""
    selected: list[SelectedLine] = []
    between: list[str] = []
    dropped: list[str] = []
    done = 0
    for index, start, end in _lines_with_bracket(text):
        line = text[start:end]
        found = find_selector(line)
        if found is not None:
            eol = "\r" if line.endswith("\r") else ""
            bare = "#" not in line[: found[2]]
            selected.append((index, found[0] + eol, found[1], found[2], bare))
            between.append(text[done:start])
            dropped.append(eol)
            done = end
    between.append(text[done:])
    numbers: dict[str, int] = {}
    firsts: list[int] = []
    for line_number, (_, _, expression, _, _) in enumerate(selected):
        if expression not in numbers:
            numbers[expression] = len(firsts)
            firsts.append(line_number)
    return Layout(
        selected=tuple(selected),
        between=tuple(between),
        kept=tuple(line[1] for line in selected),
        dropped=tuple(dropped),
        expressions=tuple(numbers),
        firsts=tuple(firsts),
        choice=tuple(numbers[line[2]] for line in selected),
    )


def _lines_with_bracket(text: str) -> Iterator[tuple[int, int, int]]:
    """Each line holding a ``]`` (every selector line does): its index, start and end.

    Found with ``str.find``: most lines of a recipe have no selector, and looking at each
    of them in Python was most of the cost of selecting a rendered text.
    """
    index = counted = 0
    position = text.find("]")
    while position != -1:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        index += text.count("\n", counted, start)
        counted = start
        yield index, start, end
        position = text.find("]", end)


def find_selector(line: str) -> tuple[str, str, int] | None:
    """Return (kept text, stripped expression, 1-based column) as SELECTOR_PATTERN would.

    Linear-time equivalent of matching SELECTOR_PATTERN, whose backtracking is quadratic on
    long lines full of ``#`` and ``[``.
    """
    line = line.rstrip()
    if not line or line.lstrip().startswith("#") or "[" not in line or "]" not in line:
        return None
    if "\n" in line:  # `.` does not cross newlines; leave that corner to the regex itself
        match = SELECTOR_PATTERN.match(line)
        if match is None:
            return None
        start, end = match.start(3), match.end(3)
        cut = match.end(1)
    else:
        found = _bracket_after_prefix(line)
        if found is None:
            return None
        start, end, at = found
        cut = max(1, len(line[:at].rstrip()))
    quote = line[-1] if line[-1] in "'\"" else ""
    return (line[:cut] + quote).rstrip(), line[start:end].strip(), start + 1


def _bracket_after_prefix(line: str) -> tuple[int, int, int] | None:
    # Returns (expression start, expression end, where the selector part begins).
    last_paren = max(line.rfind("("), line.rfind(")"))
    pairs = [m for m in _BRACKETS.finditer(line) if m.start() >= 1]
    candidates: list[tuple[int, int, int]] = []
    if pairs and pairs[-1].end() == len(line):  # `[expr]` ends the line
        candidates.append((pairs[-1].start() + 1, pairs[-1].end() - 1, pairs[-1].start()))
    hash_at = line.find("#", 1)
    after_comment = [m for m in pairs if m.start() > hash_at and m.end() > last_paren]
    if hash_at != -1 and after_comment:  # `# ... [expr] ...`: the last such bracket
        candidates.append((after_comment[-1].start() + 1, after_comment[-1].end() - 1, hash_at))
    # The regex's lazy prefix prefers whichever form starts first.
    return min(candidates, key=operator.itemgetter(2)) if candidates else None
