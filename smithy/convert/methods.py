"""Python string methods in jinja text that python cannot parse (it holds ``~`` or ``|``).

conda-build's jinja calls python's str methods (``version.split(".")[0]``); minijinja has
filters and tests instead. A method call ends a postfix chain (names, attributes, calls,
subscripts, a string literal), which binds tighter than every jinja operator, so
``CHAIN.method(ARGS)`` can be replaced by ``(CHAIN | filter(ARGS))`` by text, whatever
surrounds it, without changing how the expression groups.
"""

from __future__ import annotations

import re

from smithy.convert.statements import open_quote

# method -> (kind, minijinja name): a filter on the receiver, a test, or join's swapped filter
_METHODS = {
    "split": ("filter", "split"),
    "lower": ("filter", "lower"),
    "upper": ("filter", "upper"),
    "strip": ("filter", "trim"),
    "replace": ("filter", "replace"),
    "join": ("join", "join"),
    "startswith": ("test", "startingwith"),
    "endswith": ("test", "endingwith"),
}
_CALL = re.compile(r"\.(?P<method>" + "|".join(_METHODS) + r")\(")
_CLOSING = {")": "(", "]": "["}
_NOT_RECEIVERS = ("env", "os", "environ", "os.environ")
_MAX_REWRITES = 64


def rewrite_methods(text: str) -> str:
    """Every known str method call in ``text`` as its minijinja filter or test."""
    for _ in range(_MAX_REWRITES):
        rewritten = _rewrite_first(text)
        if rewritten is None:
            return text
        text = rewritten
    return text


def _rewrite_first(text: str) -> str | None:
    for found in _CALL.finditer(text):
        if open_quote(text[: found.start()], ""):
            continue
        start = _receiver_start(text, found.start())
        end = _closing(text, found.end() - 1)
        if start is None or end is None:
            continue
        receiver = text[start : found.start()]
        if receiver in _NOT_RECEIVERS:
            continue
        args = text[found.end() : end].strip()
        kind, name = _METHODS[found.group("method")]
        if kind == "join":
            replacement = f"({args} | join({receiver}))"
        elif kind == "test":
            replacement = f"({receiver} is {name}({args}))"
        else:
            replacement = f"({receiver} | {name}" + (f"({args}))" if args else ")")
        return text[:start] + replacement + text[end + 1 :]
    return None


def _receiver_start(text: str, dot: int) -> int | None:
    """Where the postfix chain ending just before ``text[dot]`` starts (None: no receiver)."""
    position = dot
    while position > 0:
        char = text[position - 1]
        if char in _CLOSING:
            opening = _opening(text, position - 1)
            if opening is None:
                return None
            position = opening
            if not _name_before(text, position):
                return position  # a parenthesised group or a list literal starts the chain
        elif char in "'\"":
            opening = text.rfind(char, 0, position - 1)
            return None if opening < 0 else opening
        elif char.isalnum() or char == "_":
            while position > 0 and (text[position - 1].isalnum() or text[position - 1] == "_"):
                position -= 1
            if position > 0 and text[position - 1] == ".":
                position -= 1
                continue
            return position
        else:
            return None
    return position if position < dot else None


def _name_before(text: str, position: int) -> bool:
    return position > 0 and (text[position - 1].isalnum() or text[position - 1] in "_)]")


def _opening(text: str, closing: int) -> int | None:
    """The bracket matching ``text[closing]`` (scanning left, skipping string literals)."""
    depth = 0
    position = closing
    while position >= 0:
        char = text[position]
        if char in "'\"":
            position = text.rfind(char, 0, position)
            if position < 0:
                return None
        elif char in _CLOSING:
            depth += 1
        elif char in "([":
            depth -= 1
            if depth == 0:
                return position
        position -= 1
    return None


def _closing(text: str, opening: int) -> int | None:
    """The ``)`` matching the ``(`` at ``opening`` (skipping string literals)."""
    depth = 0
    quote = ""
    position = opening
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return None
