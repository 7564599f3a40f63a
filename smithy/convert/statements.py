"""Multi-line jinja statements of meta.yaml put on one line, as the line splitter reads them."""

from __future__ import annotations

import json
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


_INLINE_IF = re.compile(r"\{%\s*if\s+(?P<test>.+?)\s*%\}(?P<body>.*?)\{%\s*endif\s*%\}")
_BRANCH = re.compile(r"\{%\s*(elif\s+.+?|else)\s*%\}")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")


def inline_conditionals(text: str) -> str | None:
    """``a{% if c %}b{% else %}d{% endif %}`` as ``a{{ "b" if c else "d" }}``.

    None when the line holds another statement, nested ones or whitespace control (``{%-``),
    which only conda-build's text rendering can reproduce.
    """
    if "{%-" in text or "-%}" in text:
        return None
    rewritten = _INLINE_IF.sub(_conditional_expression, text)
    return None if "{%" in rewritten else rewritten


def _conditional_expression(found: re.Match[str]) -> str:
    parts = _BRANCH.split(found.group("body"))
    branches: list[tuple[str | None, str]] = [(found.group("test"), parts[0])]
    for index in range(1, len(parts) - 1, 2):
        keyword = parts[index]
        test = None if keyword == "else" else keyword.removeprefix("elif").strip()
        branches.append((test, parts[index + 1]))
    expression = '""'  # conda-build writes nothing when no branch holds
    for test, body in reversed(branches):
        term = _text_expression(body)
        expression = term if test is None else f"{term} if {test} else ({expression})"
    return "{{ " + expression + " }}"


def _text_expression(text: str) -> str:
    """Template text as one expression: literals quoted, ``{{ x }}`` as ``(x)``."""
    if text.strip().isdigit() and text == text.strip():
        return text  # a number stays a number (`number: {% if c %}1{% else %}0{% endif %}`)
    pieces = _EXPRESSION.split(text)
    terms = [
        f"({piece.strip()})" if index % 2 else json.dumps(piece)
        for index, piece in enumerate(pieces)
        if index % 2 or piece
    ]
    return " ~ ".join(terms) or '""'
