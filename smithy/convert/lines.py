"""Split meta.yaml into YAML lines with their selectors, the ``{% set %}`` context and issues.

conda-build applies line selectors and jinja *before* YAML sees the text. The converter keeps
the YAML lines (same line numbers, jinja statement lines blanked) and records, per line, the
condition under which conda-build keeps it: its own ``# [selector]`` and-ed with the conditions
of the ``{% if %}`` blocks around it.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Any

from smithy.convert.expressions import conjoin, convert_selector, negate
from smithy.convert.model import ConvertIssue
from smithy.recipe.selectors import SELECTOR_PATTERN

_STATEMENT = re.compile(r"^\s*\{%-?\s*(?P<word>\w+)\b(?P<rest>.*?)-?%\}\s*$")
_SET = re.compile(r"^\s*(?P<name>\w+)\s*=\s*(?P<value>.+?)\s*$")
_INLINE_STATEMENT = re.compile(r"\{%")
_STATEMENTS_ONLY = re.compile(r"^\s*(?:\{%.*?%\}\s*)+$")
_ONE_STATEMENT = re.compile(r"\{%.*?%\}")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}")
_FOR = re.compile(r"(?P<name>\w+)\s+in\s+(?P<items>.+)", re.DOTALL)
_FOR_START = re.compile(r"^\s*\{%-?\s*for\b")
_FOR_END = re.compile(r"^\s*\{%-?\s*endfor\b")
_EXPRESSION_TEXT = re.compile(r"\{\{-?(.*?)-?\}\}")
_STATEMENT_TEXT = re.compile(r"\{%-?(.*?)-?%\}")
_TRAILING_COMMENT = re.compile(r"\s+#[^'\"]*$")
_MAX_EXPRESSION = 2_000
_SET_ADVICE = "compute the value in the build script, or write its final value into `context`"
_UNSUPPORTED_CALLS = {
    "load_setup_py_data": "write the values (version, requirements) into the recipe by hand",
    "load_file_regex": "set the value in `context` by hand, or read it in the build script",
    "load_file_data": "write the values into the recipe by hand",
}


@dataclass(frozen=True, slots=True)
class RecipeLine:
    """One meta.yaml line: YAML text (selector comment removed) and its v1 condition."""

    number: int
    text: str
    condition: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContextEntry:
    """A ``{% set name = value %}``: the jinja expression text, and where it was set."""

    name: str
    expression: str
    line: int


@dataclass(slots=True)
class SplitRecipe:
    """meta.yaml taken apart: YAML lines, the context in order, and what cannot convert."""

    lines: list[RecipeLine] = field(default_factory=list)
    context: dict[str, ContextEntry] = field(default_factory=dict)
    issues: list[ConvertIssue] = field(default_factory=list)


@dataclass(slots=True)
class _Block:
    """An open ``{% if %}``: conditions of earlier branches and of the current one."""

    earlier: list[str]
    current: str


@dataclass(slots=True)
class _Loop:
    """An open ``{% for %}``: where it started, its header and the lines inside it."""

    line: int
    header: str
    selector: str | None
    depth: int = 1
    body: list[tuple[int, str]] = field(default_factory=list)


def _substitute(raw: str, name: str, item: object) -> str:
    """The loop variable replaced by one item inside the line's jinja."""
    literal = json.dumps(item)
    word = re.compile(rf"\b{re.escape(name)}\b")

    def expression(found: re.Match[str]) -> str:
        inner = found.group(1).strip()
        if inner == name:
            return str(item)
        return "{{ " + word.sub(literal, inner) + " }}"

    def statement(found: re.Match[str]) -> str:
        return "{% " + word.sub(literal, found.group(1).strip()) + " %}"

    return _STATEMENT_TEXT.sub(statement, _EXPRESSION_TEXT.sub(expression, raw))


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
        if end == index or any(SELECTOR_PATTERN.match(p) for p in part):
            joined.append(line)
            index += 1
            continue
        joined.append(" ".join(_TRAILING_COMMENT.sub("", p).strip() for p in part))
        joined.extend("" for _ in part[1:])
        index = end + 1
    return joined


@dataclass(slots=True)
class _Splitter:
    result: SplitRecipe = field(default_factory=SplitRecipe)
    blocks: list[_Block] = field(default_factory=list)
    loop: _Loop | None = None

    def condition(self, own: str | None) -> tuple[str, ...]:
        parts = [block.current for block in self.blocks]
        if own is not None:
            parts.append(own)
        return tuple(parts)

    def issue(self, number: int, message: str, suggestion: str) -> None:
        self.result.issues.append(ConvertIssue(number, message, suggestion))

    def selector(self, number: int, text: str) -> str | None:
        try:
            return convert_selector(text)
        except SyntaxError:
            self.issue(number, f"selector '{text}' is not an expression", "fix the selector")
            return None

    def statement(self, number: int, word: str, rest: str, own: str | None) -> None:
        if word == "set":
            self.set_statement(number, rest, own)
        elif word == "if":
            current = self.selector(number, rest) or "false"
            self.blocks.append(_Block([], current))
        elif word in ("elif", "else") and self.blocks:
            block = self.blocks[-1]
            block.earlier.append(block.current)
            ruled_out = [negate(e) for e in block.earlier]
            if word == "elif":
                ruled_out.append(self.selector(number, rest) or "false")
            block.current = conjoin(ruled_out)
        elif word == "endif" and self.blocks:
            self.blocks.pop()
        elif word == "for":
            self.loop = _Loop(number, rest, own)
        else:
            self.issue(number, f"jinja statement '{{% {word} %}}'", "rewrite it by hand")

    def set_statement(self, number: int, rest: str, own: str | None) -> None:
        found = _SET.match(rest)
        if found is None:
            self.issue(number, "a '{% set %}' block or tuple", "write the value into `context`")
            return
        name, value = found.group("name"), found.group("value")
        condition = self.condition(own)
        context = self.result.context
        earlier = context.get(name)
        if earlier is not None and re.search(rf"\b{name}\b", value):
            # `{% set build = build + 100 %}`: a context entry cannot read itself
            value = re.sub(rf"\b{name}\b", f"({earlier.expression})", value)
        if condition:
            test = conjoin(list(condition))
            if earlier is not None:
                value = f"({value}) if {test} else ({earlier.expression})"
            elif re.fullmatch(rf"{name}\s+is\s+not\s+defined", test):
                # `{% if x is not defined %}{% set x = v %}`: a default for a variant key
                value = f"{name} if {name} is defined else ({value})"
            else:  # conda-build leaves the name undefined, which renders as ""
                value = f'({value}) if {test} else ""'

        if len(value) > _MAX_EXPRESSION:  # repeated conditional updates double its size
            self.issue(number, f"'{name}' is rebuilt too often to inline", _SET_ADVICE)
            return
        context.pop(name, None)  # a later set moves the name to its latest position
        context[name] = ContextEntry(name, value, number)

    def loop_items(self, loop: _Loop) -> tuple[str, list[Any]] | None:
        """The loop variable and its items, when the list is known without rendering."""
        found = _FOR.fullmatch(loop.header)
        if found is None:
            return None
        source = found.group("items").strip()
        entry = self.result.context.get(source)
        if entry is not None:
            source = entry.expression
        try:
            items = ast.literal_eval(source)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
        if not isinstance(items, list | tuple) or not all(
            isinstance(item, str | int | float) for item in items
        ):
            return None
        return found.group("name"), list(items)

    def end_loop(self, loop: _Loop) -> None:
        """Write a loop over a literal list out, item by item (conda-build's result)."""
        unrolled = self.loop_items(loop)
        if unrolled is None:
            self.issue(
                loop.line,
                "a jinja for-loop over a list only known when rendering",
                "write the items out, or use a v1 list with if/then items",
            )
            self.result.lines.extend(RecipeLine(number, "") for number, _ in loop.body)
            return
        name, items = unrolled
        for item in items:
            for number, raw in loop.body:
                self.line(number, _substitute(raw, name, item))

    def capture(self, number: int, raw: str) -> bool:
        """Collect the lines of an open loop; True while the line belongs to one."""
        loop = self.loop
        if loop is None:
            return False
        if _FOR_START.match(raw):
            loop.depth += 1
        elif _FOR_END.match(raw):
            loop.depth -= 1
            if loop.depth == 0:
                self.loop = None
                self.result.lines.append(RecipeLine(number, ""))
                self.end_loop(loop)
                return True
        loop.body.append((number, raw))
        return True

    def line(self, number: int, raw: str) -> None:
        if self.capture(number, raw):
            return
        text = _JINJA_COMMENT.sub("", raw) if "{#" in raw else raw
        for call, suggestion in _UNSUPPORTED_CALLS.items():
            if call in text:
                self.issue(number, f"'{call}' has no recipe.yaml equivalent", suggestion)
        own: str | None = None
        selected = _split_selector(text)
        if selected and not selected[0].lstrip().startswith("#"):
            text, expression = selected
            own = self.selector(number, expression)
        if _STATEMENTS_ONLY.match(text) and len(_ONE_STATEMENT.findall(text)) > 1:
            for part in _ONE_STATEMENT.findall(text):
                found = _STATEMENT.match(part)
                if found:
                    self.statement(number, found.group("word"), found.group("rest").strip(), own)
            self.result.lines.append(RecipeLine(number, ""))
            return
        statement = _STATEMENT.match(text)
        if statement:
            self.statement(number, statement.group("word"), statement.group("rest").strip(), own)
            self.result.lines.append(RecipeLine(number, ""))
            return
        if _INLINE_STATEMENT.search(text):
            self.issue(number, "a jinja statement inside a line", "split it into separate lines")
        self.result.lines.append(RecipeLine(number, text, self.condition(own)))


def split_recipe(text: str) -> SplitRecipe:
    """Take meta.yaml apart into selected lines, the ``{% set %}`` context and issues."""
    splitter = _Splitter()
    for number, raw in enumerate(join_statements(text.splitlines()), start=1):
        splitter.line(number, raw)
    if splitter.loop is not None:
        splitter.issue(splitter.loop.line, "a '{% for %}' without '{% endfor %}'", "close it")
    return splitter.result


def _split_selector(text: str) -> tuple[str, str] | None:
    """``(line without its selector, selector)`` by the renderer's own selector pattern.

    A comment after the selector (``- x  # [osx]  # why``) is left in the line's text. Other
    text after it (``- m2-autoconf  # [win] 2.71``) is part of conda-build's comment, not of
    the value: it is kept as a comment.
    """
    found = SELECTOR_PATTERN.match(text)
    if found is None:
        return None
    trailing = text[found.end(3) + 1 :].strip()
    if trailing and not trailing.startswith("#"):
        trailing = f"# {trailing}"
    body = found.group(1)
    return (f"{body}  {trailing}" if trailing else body), found.group(3)
