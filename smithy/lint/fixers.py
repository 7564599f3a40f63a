"""Text rewrites behind ``--fix``: each keeps comments, selectors and jinja byte for byte."""

from __future__ import annotations

import re

from smithy.recipe.model import RecipeFormat

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_COMMENT = re.compile(r"^\s*#")


def _blocks(lines: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    """Split into a preamble and top-level key blocks; None when that is not safe."""
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    if not starts:
        return None
    if any(line.startswith("{%") for line in lines[starts[0] :]):
        return None  # a jinja block around sections would break if sections moved
    # Comment lines right above a key travel with it.
    heads = []
    for start in starts:
        head = start
        while head > 0 and _COMMENT.match(lines[head - 1]) and (head - 1) not in starts:
            head -= 1
        heads.append(head)
    preamble = lines[: heads[0]]
    blocks = []
    for index, head in enumerate(heads):
        end = heads[index + 1] if index + 1 < len(heads) else len(lines)
        key_match = _TOP_KEY.match(lines[starts[index]])
        assert key_match is not None
        blocks.append((key_match.group(1), lines[head:end]))
    return preamble, blocks


def reorder_sections(text: str, order: tuple[str, ...]) -> str:
    """Move top-level sections into ``order``; unchanged when any key is unknown."""
    trailing = text.endswith("\n")
    lines = text.rstrip("\n").split("\n")
    split = _blocks(lines)
    if split is None:
        return text
    preamble, blocks = split
    if any(key not in order for key, _ in blocks):
        return text
    ranked = sorted(blocks, key=lambda block: order.index(block[0]))
    if ranked == blocks:
        return text
    out = list(preamble)
    for _, block in ranked:
        body = list(block)
        while body and not body[-1].strip():
            body.pop()
        out.extend([*body, ""])
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + ("\n" if trailing else "")


def fix_trailing_newlines(text: str, fmt: RecipeFormat) -> str:
    """End the file with exactly one line break."""
    stripped = text.rstrip("\n")
    return stripped + "\n" if stripped else text


def sub_lines(
    text: str, pattern: re.Pattern[str], repl: str, only: frozenset[int] | None = None
) -> str:
    """Apply ``pattern.sub`` to each line (1-based numbers in ``only``, if given).

    Whole-line comments are left alone.
    """
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _COMMENT.match(line) or (only is not None and number not in only):
            out.append(line)
        else:
            out.append(pattern.sub(repl, line))
    return "\n".join(out)
