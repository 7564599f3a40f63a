"""Split meta.yaml into YAML lines with their selectors, the ``{% set %}`` context and issues.

conda-build applies line selectors and jinja *before* YAML sees the text. The converter keeps
the YAML lines (same line numbers, jinja statement lines blanked) and records, per line, the
condition under which conda-build keeps it: its own ``# [selector]`` and-ed with the conditions
of the ``{% if %}`` blocks around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from smithy.convert.expressions import conjoin, convert_selector, negate
from smithy.convert.model import ConvertIssue

_SELECTOR = re.compile(r"^(?P<body>.*?)\s*#\s*\[(?P<selector>[^\[\]]+)\]\s*$")
_STATEMENT = re.compile(r"^\s*\{%-?\s*(?P<word>\w+)\b(?P<rest>.*?)-?%\}\s*$")
_SET = re.compile(r"^\s*(?P<name>\w+)\s*=\s*(?P<value>.+?)\s*$")
_INLINE_STATEMENT = re.compile(r"\{%")
_STATEMENTS_ONLY = re.compile(r"^\s*(?:\{%.*?%\}\s*)+$")
_ONE_STATEMENT = re.compile(r"\{%.*?%\}")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}")
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
class _Splitter:
    result: SplitRecipe = field(default_factory=SplitRecipe)
    blocks: list[_Block] = field(default_factory=list)
    loop_depth: int = 0

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
            self.loop_depth += 1
            self.issue(
                number,
                "a jinja for-loop builds part of the recipe",
                "write the items out, or use a v1 list with if/then items",
            )
        elif word == "endfor":
            self.loop_depth = max(0, self.loop_depth - 1)
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

        context.pop(name, None)  # a later set moves the name to its latest position
        context[name] = ContextEntry(name, value, number)

    def line(self, number: int, raw: str) -> None:
        text = _JINJA_COMMENT.sub("", raw) if "{#" in raw else raw
        for call, suggestion in _UNSUPPORTED_CALLS.items():
            if call in text:
                self.issue(number, f"'{call}' has no recipe.yaml equivalent", suggestion)
        own: str | None = None
        selected = _SELECTOR.match(text)
        if selected and not selected.group("body").lstrip().startswith("#"):
            text = selected.group("body")
            own = self.selector(number, selected.group("selector"))
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
        if self.loop_depth:
            text, own = "", None
        self.result.lines.append(RecipeLine(number, text, self.condition(own)))


def split_recipe(text: str) -> SplitRecipe:
    """Take meta.yaml apart into selected lines, the ``{% set %}`` context and issues."""
    splitter = _Splitter()
    for number, raw in enumerate(text.splitlines(), start=1):
        splitter.line(number, raw)
    return splitter.result
