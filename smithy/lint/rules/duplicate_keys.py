"""The recipe repeats a key in one mapping: smithy reads it, strict YAML parsers refuse it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, Input, rule
from smithy.lint.tree import YMap, YNode, walk
from smithy.recipe.model import RecipeFormat
from smithy.recipe.selectors import split_selector
from smithy.records import frozen_record

# A block mapping key: list dashes and spaces, then a plain or quoted key, then `:`.
_KEY = re.compile(
    r"""^((?:\s*-\s)*\s*)(?:"([^"]*)"|'([^']*)'|([^\s#'"{}\[\],&*!|>%@`][^#]*?))\s*:(?:\s|$)"""
)
# A jinja branch between two keys means at most one of them is rendered.
_JINJA_BRANCH = re.compile(r"\{%-?\s*(if|elif|else|endif|for|endfor)\b")

Position = tuple[int, str]


@frozen_record
class Duplicate:
    """A key written twice in one mapping: where it first appears and where it repeats."""

    key: str
    first: int
    again: int


def _key_at(line: str) -> Position | None:
    match = _KEY.match(line)
    if match is None:
        return None
    key = next(group for group in match.groups()[1:] if group is not None)
    return len(match.group(1)), key.strip()


def _key_positions(lines: Sequence[str]) -> dict[Position, list[int]]:
    """``(column, key) -> lines`` of every block mapping key in the text."""
    found: dict[Position, list[int]] = {}
    for number, line in enumerate(lines, start=1):
        position = _key_at(line)
        if position is not None:
            found.setdefault(position, []).append(number)
    return found


def duplicate_keys(tree: YNode | None, lines: Sequence[str]) -> list[Duplicate]:
    """Return the keys written more than once in one block mapping of ``tree``.

    The tree keeps only a key's last occurrence; an earlier one is a line between the
    mapping's first line and that occurrence holding the same key in the same column
    (nested content is indented further, so it cannot match). Flow mappings
    (``{a: 1, a: 2}``) are not checked.

    Args:
        tree: the recipe parsed as written.
        lines: the recipe's lines, ``lines[0]`` being line 1.
    """
    positions = _key_positions(lines)
    found: list[Duplicate] = []
    for node in walk(tree):
        if not isinstance(node, YMap):
            continue
        for key, last in node.key_lines.items():
            position = _key_at(lines[last - 1]) if 0 < last <= len(lines) else None
            if position is None or position[1] != key:
                continue
            earlier = [n for n in positions.get(position, ()) if node.line <= n < last]
            if earlier:
                found.append(Duplicate(key, earlier[0], last))
    return sorted(found, key=lambda d: (d.again, d.key))


def _exclusive(ctx: LintContext, duplicate: Duplicate) -> bool:
    """Whether meta.yaml selectors or jinja branches keep the two keys apart."""
    first, again = ctx.line(duplicate.first), ctx.line(duplicate.again)
    # conda-build's selector pattern: a comment may follow the selector (`# [osx]  # why`)
    if split_selector(first)[1] is not None and split_selector(again)[1] is not None:
        return True  # both conditional: assumed to be alternatives (conda-build's own idiom)
    between = ctx.lines[duplicate.first : duplicate.again - 1]
    return any(_JINJA_BRANCH.search(line) for line in between)


@rule(
    "SMY007",
    "duplicate-recipe-keys",
    HINT,
    compat="R-037",
    reads=[Input.TEXT, Input.TREE],
    fix="Merge the repeated keys into one, or give each a selector that excludes the other.",
)
def duplicate_recipe_keys(ctx: LintContext) -> Iterator[Problem]:
    """A mapping in the recipe repeats a key; the last one silently wins.

    conda-build and smithy keep the last value and drop the earlier ones without a word,
    while strict YAML parsers, such as those conda-forge's bot and recipe tools use,
    refuse the recipe. In meta.yaml, repeats whose lines both carry a selector, or that
    sit in different ``{% if %}`` branches, are alternatives and are not reported.
    """
    for duplicate in _reported(ctx):
        message = f"key '{duplicate.key}' is repeated (first on line {duplicate.first})"
        yield Problem(message, duplicate.again, _column(ctx, duplicate.again))


def _reported(ctx: LintContext) -> list[Duplicate]:
    return [
        duplicate
        for duplicate in duplicate_keys(ctx.tree, ctx.lines)
        if not (ctx.format is RecipeFormat.V0 and _exclusive(ctx, duplicate))
    ]


def _column(ctx: LintContext, line: int) -> int:
    position = _key_at(ctx.line(line))
    return 1 if position is None else position[0] + 1


@rule(
    "SMY009",
    "rejected-by-strict-parsers",
    LINT,
    compat="R-036",
    reads=[Input.TEXT, Input.TREE],
    conda_forge=True,
    fix="Merge the repeated keys into one, or give each a selector that excludes the other.",
)
def rejected_by_strict_parsers(ctx: LintContext) -> Iterator[Problem]:
    """No recipe parser conda-forge's tools use accepts the recipe (a key is repeated).

    conda-forge's bot, grayskull's souschef, conda-recipe-manager and a strict ruamel.yaml
    (for recipe.yaml) all refuse a mapping that repeats a key, so the bot cannot update
    the recipe. conda-smithy reports this lint beside the R-037 hint (SMY007) under
    ``--conda-forge``; smithy reports it once, at the first repeat SMY007 reports.
    """
    found = _reported(ctx)
    if found:
        first = found[0]
        message = f"strict YAML parsers refuse the recipe: key '{first.key}' is repeated"
        yield Problem(message, first.again, _column(ctx, first.again))


RULES = (duplicate_recipe_keys, rejected_by_strict_parsers)
