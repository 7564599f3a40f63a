"""The names a ``${{ }}`` template reads when it runs, as rattler-build records them.

rattler-build counts a variant key as used when an expression reads it while rendering, so
the right side of ``a and b`` is not read when ``a`` is false, nor the branch of
``x if c else y`` that ``c`` does not choose. A free-name scan over-counts those keys, and
each over-counted key with several values would split CI jobs conda-smithy does not split.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.environment import TemplateModule

from smithy.errors import SmithyError
from smithy.recipe.v1_sandbox import shared_context

_SHORT_CIRCUIT = (nodes.And, nodes.Or, nodes.CondExpr, nodes.If)
_MAX_EVALUATORS = 4096
_FAILURES = (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError)


@functools.lru_cache(maxsize=4096)
def _tree(environment: jinja2.Environment, text: str) -> tuple[nodes.Template, bool]:
    tree = environment.parse(text)
    return tree, any(True for _ in _short_circuits(tree))


def _short_circuits(tree: nodes.Node) -> Iterator[nodes.Node]:
    for kind in _SHORT_CIRCUIT:
        yield from tree.find_all(kind)


class _Reader:
    """Walks one parsed template, evaluating only the conditions that pick what is read."""

    def __init__(
        self, environment: jinja2.Environment, text: str, variables: dict[str, Any]
    ) -> None:
        self.environment = environment
        self.text = text
        self.variables = variables
        self.names: set[str] = set()
        self.position = 0

    def walk(self, node: nodes.Node) -> None:
        self.position += 1
        if isinstance(node, nodes.Name) and node.ctx == "load":
            self.names.add(node.name)
        elif isinstance(node, nodes.And | nodes.Or):
            self.walk(node.left)
            decided = self.truth(node.left)
            if decided is None or decided is isinstance(node, nodes.And):
                self.walk(node.right)
        elif isinstance(node, nodes.CondExpr):
            self.walk(node.test)
            decided = self.truth(node.test)
            if decided is not False:
                self.walk(node.expr1)
            if decided is not True and node.expr2 is not None:
                self.walk(node.expr2)
        elif isinstance(node, nodes.If):
            self.walk_branches(node)
        else:
            for child in node.iter_child_nodes():
                self.walk(child)

    def walk_branches(self, node: nodes.If) -> None:
        """A ``{% if %}`` chain: tests in order until one holds, and the bodies they pick."""
        branches: list[nodes.If] = [node, *node.elif_]
        for branch in branches:
            test = cast(nodes.Expr, branch.test)  # jinja's stubs type it as any Node
            self.walk(test)
            decided = self.truth(test)
            if decided is not False:
                for child in branch.body:
                    self.walk(child)
            if decided is True:
                return
        for child in node.else_:
            self.walk(child)

    def truth(self, node: nodes.Expr) -> bool | None:
        """The truth of ``node`` in this render, or None when it cannot be evaluated."""
        template = _evaluator(self.environment, self.text, self.position, node)
        try:
            module = TemplateModule(template, shared_context(template, self.variables))
            return bool(getattr(module, "result", None))
        except (SmithyError, *_FAILURES):
            return None


_EVALUATORS: dict[tuple[int, str, int], jinja2.Template] = {}


def _evaluator(
    environment: jinja2.Environment, text: str, position: int, node: nodes.Expr
) -> jinja2.Template:
    key = (id(environment), text, position)
    found = _EVALUATORS.get(key)
    if found is None:
        target = nodes.Name("result", "store", lineno=node.lineno)
        body = nodes.Template([nodes.Assign(target, node, lineno=node.lineno)], lineno=1)
        body.set_environment(environment)
        found = environment.from_string(body)
        if len(_EVALUATORS) >= _MAX_EVALUATORS:
            _EVALUATORS.clear()
        _EVALUATORS[key] = found
    return found


def names_read(
    environment: jinja2.Environment,
    text: str,
    variables: dict[str, Any],
    free_names: frozenset[str],
) -> frozenset[str]:
    """Return the names ``text`` reads when rendered with ``variables``.

    Args:
        environment: the sandbox the template renders in.
        text: the template (already known to parse).
        variables: what the template sees in this render.
        free_names: every free name of the template, returned as they are when no ``and``,
            ``or`` or ``if``-expression can leave a name unread.
    """
    tree, has_short_circuit = _tree(environment, text)
    if not has_short_circuit:
        return free_names
    reader = _Reader(environment, text, variables)
    reader.walk(tree)
    return frozenset(reader.names & free_names)
