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

from smithy.convert.assignments import updated_value
from smithy.convert.expressions import conjoin, convert_selector, negate
from smithy.convert.jinja_names import replace_name
from smithy.convert.model import ConvertIssue
from smithy.convert.statements import inline_conditionals, join_statements
from smithy.convert.symbolic import list_items, membership
from smithy.recipe.selectors import SELECTOR_PATTERN

_STATEMENT = re.compile(
    r"^\s*\{%-?\s*(?P<word>\w+)\b(?P<rest>.*?)-?%\}\s*(?:#\s*(?P<comment>.*?))?\s*$"
)
_SET = re.compile(r"^\s*(?P<name>\w+)\s*=\s*(?P<value>.+?)\s*$", re.DOTALL)
_TUPLE_SET = re.compile(r"^\s*(?P<names>\w+(?:\s*,\s*\w+)+)\s*=\s*(?P<value>.+?)\s*$", re.DOTALL)
_INLINE_STATEMENT = re.compile(r"\{%")
_STATEMENTS_ONLY = re.compile(r"^\s*(?:\{%.*?%\}\s*)+$")
_ONE_STATEMENT = re.compile(r"\{%.*?%\}")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}")
_FOR = re.compile(r"(?P<name>\w+)\s+in\s+(?P<items>.+)", re.DOTALL)
_FOR_START = re.compile(r"^\s*\{%-?\s*for\b")
_FOR_END = re.compile(r"^\s*\{%-?\s*endfor\b")
_EXPRESSION_TEXT = re.compile(r"\{\{-?(.*?)-?\}\}")
_STATEMENT_TEXT = re.compile(r"\{%-?(.*?)-?%\}")
_MAX_EXPRESSION = 2_000
_SET_ADVICE = "compute the value in the build script, or write its final value into `context`"
_UNSUPPORTED_CALLS = {
    "load_setup_py_data": "write the values (version, requirements) into the recipe by hand",
    "load_file_regex": "set the value in `context` by hand, or read it in the build script",
    "load_file_data": "write the values into the recipe by hand",
}
# python `%` formatting with a field beyond a plain %s/%d (`"%03d" % minor`): minijinja has
# no `%` on strings and no format filter (checked with py-rattler-build 0.73)
_PERCENT_FORMAT = re.compile(
    r"""(?P<quote>["'])(?:(?!(?P=quote)).)*?(?P<field>%[-+ #0]*(?:\d+)?(?:\.\d+)?[a-zA-Z])"""
    r"""(?:(?!(?P=quote)).)*(?P=quote)\s*%(?!\})"""  # not the `%}` ending a statement
)
_JINJA_PART = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


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
    comment: str = ""


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


def _substitute(raw: str, name: str, item: ast.expr) -> str:
    """The loop variable replaced by one item inside the line's jinja."""
    value = item.value if isinstance(item, ast.Constant) else None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        literal, bare = json.dumps(value), str(value)
    else:  # an item only known when rendering: its expression, in parentheses
        literal, bare = f"({ast.unparse(item)})", None

    def expression(found: re.Match[str]) -> str:
        inner = found.group(1).strip()
        if inner == name and bare is not None:
            return bare
        return "{{ " + replace_name(inner, name, literal) + " }}"

    def statement(found: re.Match[str]) -> str:
        return "{% " + replace_name(found.group(1).strip(), name, literal) + " %}"

    return _STATEMENT_TEXT.sub(statement, _EXPRESSION_TEXT.sub(expression, raw))


@dataclass(slots=True)
class _Splitter:
    result: SplitRecipe = field(default_factory=SplitRecipe)
    blocks: list[_Block] = field(default_factory=list)
    loop: _Loop | None = None

    def condition(self, own: str | None) -> tuple[str, ...]:
        parts = [block.current for block in self.blocks]
        if own is not None:
            parts.append(own)
        return tuple(part for part in parts if part != "true")

    def issue(self, number: int, message: str, suggestion: str) -> None:
        self.result.issues.append(ConvertIssue(number, message, suggestion))

    def percent_formats(self, number: int, text: str) -> None:
        """Report ``%`` formatting of a field rattler-build cannot spell (``%03d``)."""
        jinja = " ".join(_JINJA_PART.findall(text))
        fields = {found.group("field") for found in _PERCENT_FORMAT.finditer(jinja)}
        for spec in sorted(fields - {"%s", "%d"}):
            self.issue(
                number,
                f"python '%' formatting with '{spec}' has no recipe.yaml spelling "
                "(minijinja has no '%' on strings and no format filter)",
                "write the value out, or build it with '~' from its parts",
            )

    def selector(self, number: int, text: str) -> str | None:
        try:
            return convert_selector(text)
        except SyntaxError:
            self.issue(number, f"selector '{text}' is not an expression", "fix the selector")
            return None

    def lookup(self, name: str) -> str | None:
        entry = self.result.context.get(name)
        return None if entry is None else entry.expression

    def if_condition(self, number: int, text: str) -> str:
        """An ``{% if %}`` test; ``"a" in known_list`` becomes the condition holding "a"."""
        return membership(text, self.lookup) or self.selector(number, text) or "false"

    def statement(self, number: int, found: re.Match[str], own: str | None) -> None:
        word, rest = found.group("word"), found.group("rest").strip()
        if word == "set":
            self.set_statement(number, rest, own, found.group("comment") or "")
        elif word == "if":
            self.blocks.append(_Block([], self.if_condition(number, rest)))
        elif word in ("elif", "else") and self.blocks:
            block = self.blocks[-1]
            block.earlier.append(block.current)
            ruled_out = [negate(e) for e in block.earlier]
            if word == "elif":
                ruled_out.append(self.if_condition(number, rest))
            block.current = conjoin(ruled_out)
        elif word == "endif" and self.blocks:
            self.blocks.pop()
        elif word == "for":
            self.loop = _Loop(number, rest, own)
        else:
            self.issue(number, f"jinja statement '{{% {word} %}}'", "rewrite it by hand")

    def set_statement(self, number: int, rest: str, own: str | None, comment: str) -> None:
        unpacked = _TUPLE_SET.match(rest)
        if unpacked is not None:  # `{% set x, y = version.split(".") %}`: one entry per name
            names = re.split(r"\s*,\s*", unpacked.group("names").strip())
            for index, name in enumerate(names):
                value = f"({unpacked.group('value')})[{index}]"
                self.assign(number, name, value, own, "" if index else comment)
            return
        found = _SET.match(rest)
        if found is None:
            self.issue(number, "a '{% set %}' block", "write the value into `context`")
            return
        self.assign(number, found.group("name"), found.group("value"), own, comment)

    def assign(self, number: int, name: str, value: str, own: str | None, comment: str) -> None:
        condition = self.condition(own)
        test = conjoin(list(condition)) if condition else "true"
        if test == "false":
            return  # conda-build never runs this set
        context = self.result.context
        earlier = context.get(name)
        before = None if earlier is None else earlier.expression
        value, linear = updated_value(name, value, test, before)
        if not linear and len(value) > _MAX_EXPRESSION:  # conditional updates double its size
            self.issue(number, f"'{name}' is rebuilt too often to inline", _SET_ADVICE)
            return
        if earlier is not None and not comment:
            comment = earlier.comment
        context.pop(name, None)  # a later set moves the name to its latest position
        context[name] = ContextEntry(name, value, number, comment)

    def loop_items(self, loop: _Loop) -> tuple[str, list[tuple[str, ast.expr]]] | None:
        """The loop variable and its items with their conditions, when known before rendering."""
        found = _FOR.fullmatch(loop.header)
        if found is None:
            return None
        items = list_items(found.group("items"), self.lookup)
        if items is None:
            return None
        return found.group("name"), [(conjoin(list(c)) if c else "true", i) for c, i in items]

    def end_loop(self, loop: _Loop) -> None:
        """Write the loop out item by item, each under the condition conda-build kept it."""
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
        self.blocks.append(_Block([], loop.selector or "true"))
        for condition, item in items:
            self.blocks.append(_Block([], condition))
            for number, raw in loop.body:
                self.line(number, _substitute(raw, name, item))
            self.blocks.pop()
        self.blocks.pop()

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
        self.percent_formats(number, text)
        own: str | None = None
        selected = None if text.lstrip().startswith("#") else _split_selector(text)
        if selected:
            text, expression = selected
            own = self.selector(number, expression)
        if _STATEMENTS_ONLY.match(text) and len(_ONE_STATEMENT.findall(text)) > 1:
            for part in _ONE_STATEMENT.findall(text):
                found = _STATEMENT.match(part)
                if found:
                    self.statement(number, found, own)
            self.result.lines.append(RecipeLine(number, ""))
            return
        statement = _STATEMENT.match(text)
        if statement:
            self.statement(number, statement, own)
            self.result.lines.append(RecipeLine(number, ""))
            return
        if _INLINE_STATEMENT.search(text):
            inline = inline_conditionals(text)
            if inline is None:
                self.issue(number, "a jinja statement inside a line", "split it into lines")
            else:
                text = inline
        condition = self.condition(own)
        if "false" in condition:  # conda-build drops the line
            text, condition = "", ()
        self.result.lines.append(RecipeLine(number, text, condition))


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
