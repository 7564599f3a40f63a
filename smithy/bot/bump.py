"""Raise a recipe's build number in place: only the digits change, every other byte stays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from smithy.errors import RecipeParseError, Span

# meta.yaml: `{% set build_number = 3 %}` (and the bot's other spellings), or `number: 3`.
_SET_BUILD = re.compile(
    r"""(\{%-?\s*set\s+(?:build_number|build_num|buildnumber|build)\s*=\s*["']?)(\d+)(["']?\s*-?%\})"""
)
_NUMBER_LINE = re.compile(
    r"""^([ \t]*number:[ \t]*["']?)(\d+)(["']?[ \t]*(?:#.*)?)$""", re.MULTILINE
)
# recipe.yaml context variables that hold the build number.
_CONTEXT_KEYS = ("build_number", "build_num", "build")


@dataclass(frozen=True, slots=True)
class Bumped:
    """A recipe text with its build number raised.

    Attributes:
        text: the new text.
        old: the build number before (the first one changed).
        new: the build number after.
        lines: 1-based lines that changed.
    """

    text: str
    old: int
    new: int
    lines: tuple[int, ...]


def _replace_at(text: str, matches: list[re.Match[str]], by: int) -> Bumped:
    pieces: list[str] = []
    last = 0
    lines: list[int] = []
    for match in matches:
        pieces += [text[last : match.start(2)], str(int(match.group(2)) + by)]
        last = match.end(2)
        lines.append(text.count("\n", 0, match.start(2)) + 1)
    pieces.append(text[last:])
    old = int(matches[0].group(2))
    return Bumped("".join(pieces), old, old + by, tuple(lines))


def bump_meta_yaml(text: str, by: int, path: str) -> Bumped:
    """Bump a meta.yaml: its ``{% set build_number %}`` if any, else every literal ``number:``.

    Raises:
        RecipeParseError: no literal build number (e.g. ``number: {{ n }}`` with ``n`` unset).
    """
    found = list(_SET_BUILD.finditer(text))
    if not found:
        found = list(_NUMBER_LINE.finditer(text))
    if not found:
        raise RecipeParseError("no build number to bump (no 'number: N' line)", Span(path))
    return _replace_at(text, found, by)


def _line_of(mapping: Any, key: str) -> int | None:
    if not hasattr(mapping, "lc") or key not in mapping:
        return None
    value = mapping[key]
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    line: int = mapping.lc.key(key)[0]
    return line


def _number_lines(data: Any) -> list[int]:
    """0-based lines holding a literal build number, found through the parsed document."""
    context = data.get("context") if hasattr(data, "get") else None
    for key in _CONTEXT_KEYS:
        line = _line_of(context, key) if context is not None else None
        if line is not None:
            return [line]
    lines: list[int] = []
    blocks = [data, *(data.get("outputs") or [])] if hasattr(data, "get") else []
    for block in blocks:
        build = block.get("build") if hasattr(block, "get") else None
        line = _line_of(build, "number") if build is not None else None
        if line is not None:
            lines.append(line)
    return lines


def bump_recipe_yaml(text: str, by: int, path: str) -> Bumped:
    """Bump a recipe.yaml: its ``context`` build number if any, else literal ``build.number``s.

    The round-trip parser finds the lines; only the digits on them are rewritten, so comments,
    quoting, ``${{ }}`` expressions and indentation are exactly as before.

    Raises:
        RecipeParseError: the file is not YAML or has no literal build number.
    """
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise RecipeParseError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}", Span(path, line)
        ) from None
    lines = set(_number_lines(data))
    digits = re.compile(r"""^([ \t]*[\w-]+:[ \t]*["']?)(\d+)(["']?[ \t]*(?:#.*)?)$""", re.MULTILINE)
    found = [
        match for match in digits.finditer(text) if text.count("\n", 0, match.start()) in lines
    ]
    if not found:
        raise RecipeParseError("no build number to bump (no literal build.number)", Span(path))
    return _replace_at(text, found, by)
