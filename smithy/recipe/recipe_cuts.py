"""conda-build's cuts of a meta.yaml text for the used-key scan.

The top level, the output blocks and their ``requirements:`` parts, cut exactly where
conda-build's patterns cut them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# conda-build cuts the text with lazy DOTALL patterns (kept in the tests as the reference):
#   outputs section  (^outputs:.*?)(?=^test:|^extra:|^about:|\Z)
#   output blocks    ^\ +-\ +(?:name|type):.+?(?=^\w|\Z|^\ +-\ +(?:name|type))
#   requirements     requirements:.+?(?=^\w|\Z|^\s+-\s(?=name|type))
# A lazy match tries its lookahead at every character; here each start is found, then the
# first line start where the lookahead holds (the same cut, without the per-character work).
# The outputs section starts and ends at a line opening with a fixed word: found with str.find.
_OUTPUTS_END = ("test:", "extra:", "about:")
_BLOCK_START = re.compile(r"^\ +-\ +(?:name|type):", re.MULTILINE)
_BLOCK_END = re.compile(r"^(?=\w|\ +-\ +(?:name|type))", re.MULTILINE)
_REQUIREMENTS_START = re.compile(r"requirements:")
_REQUIREMENTS_END = re.compile(r"^(?=\w|\s+-\s(?:name|type))", re.MULTILINE)


@dataclass(frozen=True, slots=True)
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
    at = 0
    while (start := _BLOCK_START.search(section, at)) is not None:
        body = start.end() + 1  # the lazy part takes one character at least
        if body > len(section):
            break
        end = _BLOCK_END.search(section, body)
        at = end.start() if end else len(section)
        yield section[start.start() : at]


@lru_cache(maxsize=1024)
def requirement_text(text: str) -> str:
    """The ``requirements:`` part of a block, as conda-build cuts it ('' when none)."""
    start = _REQUIREMENTS_START.search(text)
    if start is None or start.end() >= len(text):
        return ""
    end = _REQUIREMENTS_END.search(text, start.end() + 1)
    return text[start.start() : end.start() if end else len(text)]
