"""Multi-line jinja statements of meta.yaml put on one line, as the line splitter reads them."""

from __future__ import annotations

import re

from smithy.recipe.selectors import SELECTOR_PATTERN

_TRAILING_COMMENT = re.compile(r"\s+#[^'\"]*$")


def open_quote(text: str, quote: str) -> str:
    """The quote still open at the end of ``text`` (``quote`` being open at its start)."""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif quote and char == "\\":
            escaped = True
        elif quote and char == quote:
            quote = ""
        elif not quote and char in "'\"":
            quote = char
    return quote


def _join_statement(parts: list[str]) -> str:
    r"""The lines of one statement on one line.

    A line break inside a string literal stays part of the string (written ``\\n``, the
    indentation after it kept); elsewhere it becomes a space and a trailing comment is dropped.
    """
    text, quote = "", ""
    for index, part in enumerate(parts):
        if index:
            text += "\\n" if quote else " "
        piece = part if quote else part.lstrip()
        quote = open_quote(piece, quote)
        if not quote and index < len(parts) - 1:
            piece = _TRAILING_COMMENT.sub("", piece).rstrip()
        text += piece
    return text


def join_statements(lines: list[str]) -> list[str]:
    """Join a ``{% ... %}`` spread over lines onto its first line (the rest left blank).

    A statement whose lines carry selectors stays as it is (and is reported).
    """
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        end = index
        if "{%" in line and "%}" not in line.split("{%", 1)[1]:
            while end + 1 < len(lines) and "%}" not in lines[end]:
                end += 1
        part = lines[index : end + 1]
        if end == index or any(SELECTOR_PATTERN.match(p) for p in part[:-1]):
            joined.append(line)
            index += 1
            continue
        joined.append(_join_statement(part))
        joined.extend("" for _ in part[1:])
        index = end + 1
    return joined
