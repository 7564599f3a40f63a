"""Rules about jinja and selector style: spacing, selector form, old python selectors."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.fixers import sub_lines
from smithy.lint.rule import HINT, LINT, V0, V1, Input, rule
from smithy.recipe.model import RecipeFormat

_V0_EXPR = re.compile(r"(?<!\$)\{\{(.*?)\}\}")
_V1_EXPR = re.compile(r"\$\{\{(.*?)\}\}")
_SET_LINE = re.compile(r"^\s*\{%\s*(set)\s+[^\s]+\s*=\s*[^\s]+\s*%\}")
_GOOD_SET = re.compile(r"^\s*\{%\s(set)\s[^\s]+\s=\s[^\s]+\s%\}")
_SET_FIX = re.compile(r"^(\s*)\{%\s*set\s+([^\s=]+)\s*=\s*([^\s%]+)\s*%\}")
_SELECTOR = re.compile(r"^(?P<body>.*?\S)(?P<ws>\s*)#(?P<ws2>\s*)\[(?P<expr>[^\[\]]+)\]\s*$")
_GOOD_SELECTOR = re.compile(r"(.+?)\s{2,}#\s\[(.+)\]$")
_PY_SELECTOR = re.compile(r"\bpy(\d{2,3})\b")
_OLD_PY_OK = (27, 34, 35, 36)


def _selectors(ctx: LintContext) -> Iterator[tuple[int, str, re.Match[str]]]:
    for number, line in enumerate(ctx.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        match = _SELECTOR.match(line.rstrip())
        if match:
            yield number, line.rstrip(), match


def _expression(fmt: RecipeFormat) -> re.Pattern[str]:
    return _V1_EXPR if fmt is RecipeFormat.V1 else _V0_EXPR


def _badly_spaced(inner: str) -> bool:
    if inner.startswith("-") or inner.endswith("-"):
        return False  # whitespace control: the spacing is part of the meaning
    return inner != f" {inner.strip()} "


def _fix_expressions(text: str, fmt: RecipeFormat) -> str:
    pattern = _expression(fmt)
    opener = "${{" if fmt is RecipeFormat.V1 else "{{"

    def tidy(match: re.Match[str]) -> str:
        inner = match.group(1)
        return f"{opener} {inner.strip()} }}}}" if _badly_spaced(inner) else match.group(0)

    return "\n".join(pattern.sub(tidy, line) for line in text.split("\n"))


@rule(
    "SMY701",
    "jinja-expression-spacing",
    HINT,
    compat="R-025",
    reads=[Input.TEXT],
    fix="Write expressions as {{ name }} (recipe.yaml: ${{ name }}) (smithy lint --fix).",
    fixer=_fix_expressions,
)
def jinja_expression_spacing(ctx: LintContext) -> Iterator[Problem]:
    """A jinja expression lacks single spaces inside its braces (``{{name}}``)."""
    pattern = _expression(ctx.format)
    for number, line in enumerate(ctx.lines, start=1):
        for match in pattern.finditer(line):
            if _badly_spaced(match.group(1)):
                shown = match.group(1).strip()
                yield Problem(
                    f"write {match.group(0)!r} as '{{{{ {shown} }}}}'", number, match.start() + 1
                )


def _fix_sets(text: str, fmt: RecipeFormat) -> str:
    return sub_lines(text, _SET_FIX, r"\1{% set \2 = \3 %}")


@rule(
    "SMY702",
    "jinja-set-spacing",
    LINT,
    compat="R0-005",
    reads=[Input.TEXT],
    formats=V0,
    fix="Write variable definitions as {% set name = value %} (smithy lint --fix).",
    fixer=_fix_sets,
)
def jinja_set_spacing(ctx: LintContext) -> Iterator[Problem]:
    """A ``{% set %}`` line is not spaced as ``{% set name = value %}``."""
    for number, line in enumerate(ctx.lines, start=1):
        if _SET_LINE.match(line) and not _GOOD_SET.match(line):
            column = line.find("{%") + 1
            yield Problem("write the definition as '{% set name = value %}'", number, column)


def _fix_selectors(text: str, fmt: RecipeFormat) -> str:
    out = []
    for line in text.split("\n"):
        match = None if line.lstrip().startswith("#") else _SELECTOR.match(line.rstrip())
        if match and not _GOOD_SELECTOR.match(line.rstrip()):
            line = f"{match.group('body')}  # [{match.group('expr').strip()}]"
        out.append(line)
    return "\n".join(out)


@rule(
    "SMY703",
    "selector-format",
    LINT,
    compat="R0-001",
    reads=[Input.TEXT],
    formats=V0,
    fix="Write selectors as '<value>  # [expr]': two spaces, '#', one space (smithy lint --fix).",
    fixer=_fix_selectors,
)
def selector_format(ctx: LintContext) -> Iterator[Problem]:
    """A selector comment is not in the tidy form ``value  # [expr]``."""
    for number, line, match in _selectors(ctx):
        if not _GOOD_SELECTOR.match(line):
            yield Problem(
                "write the selector as '  # [expr]'", number, len(match.group("body")) + 1
            )


def _py_selectors(ctx: LintContext) -> Iterator[tuple[int, int, int]]:
    """``(line, column, version)`` of every ``pyXY`` name in a line selector."""
    for number, _, match in _selectors(ctx):
        for found in _PY_SELECTOR.finditer(match.group("expr")):
            yield number, match.start("expr") + found.start() + 1, int(found.group(1))


@rule(
    "SMY704",
    "old-python-selector",
    LINT,
    compat="R0-002",
    reads=[Input.TEXT],
    formats=V0,
    fix="Compare the python version instead: py==311, py>=310.",
)
def old_python_selector(ctx: LintContext) -> Iterator[Problem]:
    """A ``pyXY`` selector names a Python newer than 3.6; use ``py==XY`` instead.

    ``py310`` is not defined by conda-build, so the selector is silently false.
    """
    for number, column, version in _py_selectors(ctx):
        if version not in _OLD_PY_OK:
            yield Problem(f"'py{version}' is not a selector; use 'py=={version}'", number, column)


@rule(
    "SMY705",
    "legacy-python-selector",
    HINT,
    compat="R0-003",
    reads=[Input.TEXT],
    formats=V0,
    fix="Compare the python version instead: py==27.",
)
def legacy_python_selector(ctx: LintContext) -> Iterator[Problem]:
    """A ``py27``/``py34``/``py35``/``py36`` selector is used; ``py==27`` says the same."""
    for number, column, version in _py_selectors(ctx):
        if version in _OLD_PY_OK:
            yield Problem(f"prefer 'py=={version}' to 'py{version}'", number, column)


@rule(
    "SMY706",
    "comment-selector-in-v1",
    LINT,
    compat="R1-001",
    reads=[Input.TEXT],
    formats=V1,
    fix="Use an 'if:' / 'then:' item instead of a '# [selector]' comment.",
)
def comment_selector_in_v1(ctx: LintContext) -> Iterator[Problem]:
    """recipe.yaml has a ``# [selector]`` comment; rattler-build ignores those."""
    for number, _, match in _selectors(ctx):
        yield Problem(
            "'# [selector]' comments do nothing in recipe.yaml",
            number,
            len(match.group("body")) + 1,
        )


RULES = (
    jinja_expression_spacing,
    jinja_set_spacing,
    selector_format,
    old_python_selector,
    legacy_python_selector,
    comment_selector_in_v1,
)
