"""SMY108: keys at any level of recipe.yaml that rattler-build's recipe schema does not know."""

from __future__ import annotations

from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import LINT, V1, Input, rule
from smithy.lint.rules.v1_schema import SHAPES, SOURCE_KINDS, TEST_KINDS, TOP_CHILDREN, Shape
from smithy.lint.tree import YMap, YNode, YSeq
from smithy.recipe.selectors import did_you_mean

_BRANCH_KEYS = frozenset({"if", "then", "else"})


def _shape_of(name: str, node: YMap) -> Shape:
    """Pick the variant of a union shape (source, test item, output) the mapping is written as."""
    if name == "source":
        kind = next((k for k in SOURCE_KINDS if k in node.entries), None)
        return SHAPES[f"source.{kind}"] if kind else SHAPES[name]
    if name == "test":
        kind = next((k for k in TEST_KINDS if k in node.entries), None)
        return SHAPES[f"test.{kind}"] if kind else SHAPES[name]
    if name == "output" and "staging" in node.entries:
        return SHAPES["output.staging"]
    return SHAPES[name]


def _check(node: YNode | None, name: str) -> Iterator[Problem]:
    """Check a value of shape ``name``: a mapping, a list of them, or ``if/then/else`` branches."""
    if isinstance(node, YSeq):
        for item in node.items:
            yield from _check(item, name)
        return
    if not isinstance(node, YMap):
        return
    if "if" in node.entries:
        yield from _unknown(node, _BRANCH_KEYS, "if/then/else")
        yield from _check(node.get("then"), name)
        yield from _check(node.get("else"), name)
        return
    shape = _shape_of(name, node)
    yield from _unknown(node, shape.keys, shape.title)
    for key, child in shape.children.items():
        yield from _check(node.get(key), child)


def _unknown(node: YMap, known: frozenset[str], title: str) -> Iterator[Problem]:
    for key, line in node.key_lines.items():
        if key not in known and "${{" not in key:
            hint = did_you_mean(key, known)
            yield Problem(f"unknown key '{key}' in {title}{hint}", line, 1)


@rule(
    "SMY108",
    "unknown-recipe-key",
    LINT,
    reads=[Input.TREE],
    formats=V1,
    fix="Fix the key's spelling (the message suggests the closest known key) or remove it.",
)
def unknown_recipe_key(ctx: LintContext) -> Iterator[Problem]:
    """A key below the top level of recipe.yaml is not in rattler-build's recipe schema.

    Every mapping of the schema is closed, so ``build: {numbr: 0}`` or
    ``requirements: {run_constraint: [...]}`` is a mistake rattler-build rejects or that
    silently loses its content. Source items, test items and outputs are checked against
    the variant they are written as (``url``/``git``/``path``; ``script``, ``python``,
    ``package_contents``...; a package or a ``staging`` output), and the branches of
    ``if/then/else`` like the list they stand in. ``context`` and ``extra`` are free-form;
    unknown top-level sections are SMY101's.
    """
    tree = ctx.tree
    if not isinstance(tree, YMap):
        return
    for section, name in TOP_CHILDREN.items():
        yield from _check(tree.get(section), name)


RULES = (unknown_recipe_key,)
