"""conda-build's cuts of a meta.yaml text for the used-key scan.

The top level, the output blocks and their ``requirements:`` parts, cut exactly where
conda-build's patterns cut them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from smithy.records import frozen_record

# conda-build cuts the text with lazy DOTALL patterns (kept in the tests as the reference):
#   outputs section  (^outputs:.*?)(?=^test:|^extra:|^about:|\Z)
#   output blocks    ^\ +-\ +(?:name|type):.+?(?=^\w|\Z|^\ +-\ +(?:name|type))
#   requirements     requirements:.+?(?=^\w|\Z|^\s+-\s(?=name|type))
# A lazy match tries its lookahead at every character; here each start is found, then the
# first line start where the lookahead holds (the same cut, without the per-character work).
# The outputs section starts and ends at a line opening with a fixed word: found with str.find.
# A line start after the text's first character is the end of a newline: the patterns below
# match that newline (a literal the regex engine finds fast, unlike a MULTILINE ``^`` tried at
# every character) and the line start is one past it (see ``_line_start_after``).
_OUTPUTS_END = ("test:", "extra:", "about:")
_BLOCK_START = re.compile(r"\ +-\ +(?:name|type):")
_NEWLINE_BLOCK_START = re.compile(r"\n\ +-\ +(?:name|type):")
_NEWLINE_BLOCK_END = re.compile(r"\n(?=\w|\ +-\ +(?:name|type))")
_REQUIREMENTS_START = re.compile(r"requirements:")
_NEWLINE_REQUIREMENTS_END = re.compile(r"\n(?=\w|\s+-\s(?:name|type))")


@frozen_record
class RecipeText:
    """A recipe text cut the way conda-build cuts it for the used-variable scan.

    Attributes:
        top: the text without its ``outputs:`` section.
        outputs: one text block per ``- name:`` (or ``- type:``) item of ``outputs:``.
    """

    top: str
    outputs: tuple[str, ...]

    @classmethod
    def split(cls, text: str) -> RecipeText:
        """Cut ``text`` into its top level and output blocks."""
        start = _line_starting(text, "outputs:", 0)
        section = ""
        if start >= 0:
            ends = [_line_starting(text, word, start + len("outputs:")) for word in _OUTPUTS_END]
            end = min((at for at in ends if at >= 0), default=len(text))
            section = text[start:end]
        blocks = tuple(output_blocks(section)) if section else ()
        top = text.replace(section.strip(), "") if section.strip() else text
        return cls(top=top, outputs=blocks)

    def output(self, index: int) -> str:
        """The block of output ``index``, empty when there is no such block."""
        return self.outputs[index] if 0 <= index < len(self.outputs) else ""


def _line_starting(text: str, word: str, at: int) -> int:
    """The first line start at or after ``at`` where ``word`` follows (``^word``); -1 if none."""
    if at == 0 and text.startswith(word):
        return 0
    found = text.find("\n" + word, max(at - 1, 0))
    return found + 1 if found >= 0 else -1


@lru_cache(maxsize=256)
def split_recipe_text(text: str) -> RecipeText:
    """:meth:`RecipeText.split`, remembered: every variant of a recipe shares a few texts."""
    return RecipeText.split(text)


def output_blocks(section: str) -> Iterator[str]:
    """Each ``- name:`` (or ``- type:``) item of an ``outputs:`` section, as conda-build cuts it."""
    first = _BLOCK_START.match(section)
    start = (0, first.end()) if first else _line_start_after(section, 0, _NEWLINE_BLOCK_START)
    while start is not None:
        body = start[1] + 1  # the lazy part takes one character at least
        if body > len(section):
            break
        end = _line_start_after(section, body, _NEWLINE_BLOCK_END)
        at = end[0] if end else len(section)
        yield section[start[0] : at]
        start = _line_start_after(section, at, _NEWLINE_BLOCK_START)


def _line_start_after(text: str, at: int, pattern: re.Pattern[str]) -> tuple[int, int] | None:
    """Where ``pattern`` (a newline, then what opens the line) first holds at a line start.

    Returns (the line start, the end of the match) for the first line start at or after
    ``at`` but the text's own start (``at`` > 0, or the first line tried already); None if none.
    """
    found = pattern.search(text, max(at - 1, 0))
    return (found.start() + 1, found.end()) if found is not None else None


@lru_cache(maxsize=1024)
def requirement_text(text: str) -> str:
    """The ``requirements:`` part of a block, as conda-build cuts it ('' when none)."""
    start = _REQUIREMENTS_START.search(text)
    if start is None or start.end() >= len(text):
        return ""
    end = _line_start_after(text, start.end() + 1, _NEWLINE_REQUIREMENTS_END)
    return text[start.start() : end[0] if end else len(text)]
