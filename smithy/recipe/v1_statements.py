"""The ``{% %}`` statements a rattler-build recipe string may hold, and the ones refused."""

from __future__ import annotations

from jinja2 import nodes

from smithy.errors import JinjaError

# The statements a recipe string may hold: text, `${{ }}` output, `{% if %}` branches and
# `{% macro %}` definitions (scripts build their command lines with them).
_ALLOWED_STATEMENTS = (nodes.Output, nodes.If, nodes.Macro)


def refuse_statements(tree: nodes.Template) -> None:
    """Refuse the ``{% %}`` statements that could make rendering run away.

    rattler-build renders any minijinja statement; smithy takes the ones real recipes use
    and that finish in time linear in the text: ``if``/``elif``/``else`` and macros
    whose bodies call no macro (macros calling macros could double the work per
    level). Loops, assignments, includes and call blocks are refused.
    """
    for node in tree.find_all(nodes.Stmt):
        if not isinstance(node, _ALLOWED_STATEMENTS):
            word = type(node).__name__.lower()
            raise JinjaError(
                f"'{{% {word} %}}' blocks are not supported; only '{{% if %}}' and"
                " '{% macro %}' are, or use '${{ a if cond else b }}'"
            )
    macros = {macro.name for macro in tree.find_all(nodes.Macro)}
    for macro in tree.find_all(nodes.Macro):
        for call in macro.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name in macros | {"caller"}:
                raise JinjaError(
                    f"the macro '{macro.name}' calls the macro '{call.node.name}';"
                    " macros calling macros are not supported"
                )
