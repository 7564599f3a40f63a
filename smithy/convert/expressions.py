"""Rewrite conda-build selector and jinja expressions into rattler-build's expression language."""

from __future__ import annotations

import ast
import json
import re

from smithy.convert.methods import rewrite_methods

# conda-build selector names that rattler-build does not define, as the expression they mean.
_PLATFORM_ALIASES = {
    "linux64": "(linux and x86_64)",
    "linux32": "(linux and x86)",
    "osx64": "(osx and x86_64)",
    "win64": "(win and x86_64)",
    "win32": "(win and x86)",
    "py3k": "true",
    "py2k": "false",
    "undefined": "none",
}
# `py`/`np` are integers in conda-build (311, 126); rattler-build compares the variant with match().
_VERSION_NAMES = {"py": "python", "np": "numpy"}
_OPERATORS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_PY_NAME = re.compile(r"py(\d)(\d+)")
_JINJA_TEST = re.compile(r"\bis\s+(?:not\s+)?\w+")
STRING_LITERAL = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
V1_TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)  # a rattler-build ``${{ ... }}``
_VERSION_WORD = re.compile(r"\b(?:py|np)\b")


def _dotted(number: int) -> str:
    digits = str(number)
    return f"{digits[0]}.{digits[1:]}" if len(digits) > 1 else digits


class _SelectorRewriter(ast.NodeTransformer):
    """Replace conda-build-only names and integer version comparisons."""

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        undefined = _undefined_test(node)
        if undefined is not None:
            return undefined
        self.generic_visit(node)
        if len(node.ops) != 1 or type(node.ops[0]) not in _OPERATORS:
            return node
        left, right, op = node.left, node.comparators[0], _OPERATORS[type(node.ops[0])]
        if isinstance(right, ast.Name) and isinstance(left, ast.Constant):
            left, right, op = right, left, _FLIPPED[op]
        if (
            isinstance(left, ast.Name)
            and left.id in _VERSION_NAMES
            and isinstance(right, ast.Constant)
            and isinstance(right.value, int)
        ):
            spec = f"{op}{_dotted(right.value)}"
            return _match_call(_VERSION_NAMES[left.id], spec)
        if isinstance(left, ast.Name) and op in ("==", "!=") and _is_whole_number(right):
            # conda-build compares variant values as text (`qt_version == 6` and `== "6"`
            # both hold); rattler-build keeps a cbc's `6` an integer, so compare as text
            return _raw(f'({left.id} ~ "") {op} "{ast.literal_eval(right)}"')
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        alias = _PLATFORM_ALIASES.get(node.id)
        if alias is not None:
            return ast.Name(id=alias, ctx=ast.Load())
        found = _PY_NAME.fullmatch(node.id)
        if found:
            return _match_call("python", f"=={found.group(1)}.{found.group(2)}")
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, bool) or node.value is None:
            return ast.Name(id=str(node.value).lower(), ctx=ast.Load())
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        name = ast.unparse(node.func)
        if name in ("os.environ.get", "environ.get") and node.args:
            default = [ast.keyword(arg="default", value=arg) for arg in node.args[1:2]]
            func = ast.Attribute(value=ast.Name(id="env", ctx=ast.Load()), attr="get")
            return ast.Call(func=func, args=node.args[:1], keywords=default + node.keywords)
        if name == "int" and len(node.args) == 1 and not node.keywords:
            return _filter(node.args[0], "int", [])  # rattler-build has `int` as a filter only
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if ast.unparse(node.value) in ("os.environ", "environ"):
            func = ast.Attribute(value=ast.Name(id="env", ctx=ast.Load()), attr="get")
            return ast.Call(func=func, args=[node.slice], keywords=[])
        return node


def _undefined_test(node: ast.Compare) -> ast.Name | None:
    """``x is undefined`` (jinja's test, python-shaped) as ``x is not defined``.

    The spelling the ``{% if x is not defined %}{% set x = v %}`` default is recognised by;
    minijinja reads both, but ``undefined`` alone is no name there.
    """
    if len(node.ops) != 1 or not isinstance(node.left, ast.Name):
        return None
    right = node.comparators[0]
    if not (isinstance(right, ast.Name) and right.id == "undefined"):
        return None
    negated = isinstance(node.ops[0], ast.IsNot)
    if not negated and not isinstance(node.ops[0], ast.Is):
        return None
    return _raw(f"{node.left.id} is {'defined' if negated else 'not defined'}")


def _is_whole_number(node: ast.expr) -> bool:
    """An integer literal, or a string literal holding only digits (``6``, ``"6"``)."""
    if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
        return False
    return isinstance(node.value, int) or (isinstance(node.value, str) and node.value.isdigit())


def _match_call(variable: str, spec: str) -> ast.Call:
    return ast.Call(
        func=ast.Name(id="match", ctx=ast.Load()),
        args=[ast.Name(id=variable, ctx=ast.Load()), ast.Constant(value=spec)],
        keywords=[],
    )


def convert_selector(expression: str) -> str:
    """Return the rattler-build form of a conda-build selector (``py<311`` -> ``match(...)``).

    Raises:
        SyntaxError: the selector is not an expression.
    """
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        if _JINJA_TEST.search(expression):  # `x is defined`: jinja, which minijinja reads too
            return convert_jinja_expression(expression.strip())
        raise
    return ast.unparse(_SelectorRewriter().visit(_FilterRewriter().visit(tree)))


_NEGATED = {"true": "false", "false": "true"}


def negate(expression: str) -> str:
    """Return ``not (expression)``, without doubling parentheses around a plain name."""
    if expression in _NEGATED:
        return _NEGATED[expression]
    if expression.isidentifier():
        return f"not {expression}"
    return f"not ({expression})"


def conjoin(expressions: list[str]) -> str:
    """Join conditions with ``and``, parenthesised where needed (``true`` parts left out)."""
    if "false" in expressions:
        return "false"
    parts = list(dict.fromkeys(e for e in expressions if e != "true"))  # once each, in order
    if len(parts) <= 1:
        return parts[0] if parts else "true"
    return " and ".join(e if e.isidentifier() else f"({e})" for e in parts)


# Rewrites applied to jinja expression text outside string literals.
_CODE_REWRITES = (
    (re.compile(r"\bmax_pin\s*="), "upper_bound="),
    (re.compile(r"\bmin_pin\s*="), "lower_bound="),
    (re.compile(r"\b(?:os\.)?environ\.get\("), "env.get("),
    (re.compile(r"\bTrue\b"), "true"),
    (re.compile(r"\bFalse\b"), "false"),
    (re.compile(r"\bNone\b"), "none"),
    (re.compile(r"\bPKG_HASH\b"), "hash"),  # rattler-build's name for the variant hash
)
_ENV_SUBSCRIPT = re.compile(r"""\b(?:os\.)?environ\[\s*("[^"]*"|'[^']*')\s*\]""")
_ENV_DEFAULT = re.compile(r"""\benv\.get\(\s*("[^"]*"|'[^']*')\s*,(?!\s*default\s*=)\s*""")


# Build-time names rattler-build binds itself; conda-build recipes read them from environ.
_BUILD_NAMES = ("PREFIX", "BUILD_PREFIX", "SRC_DIR", "RECIPE_DIR", "PYTHON")
_ENV_BUILD_NAME = re.compile(
    r"""\b(?:os\.)?environ(?:\.get\(|\[)\s*["'](""" + "|".join(_BUILD_NAMES) + r""")["']\s*[\])]"""
)
# str methods conda-build's jinja allows and minijinja spells as filters.
_METHOD_FILTERS = {
    "split": "split",
    "lower": "lower",
    "upper": "upper",
    "strip": "trim",
    "replace": "replace",
}
_METHOD_TESTS = {"startswith": "startingwith", "endswith": "endingwith"}
_FUNCTION_FILTERS = {"int": "int", "len": "length"}


class _FilterRewriter(ast.NodeTransformer):
    """``x.split('.')`` -> ``x | split('.')``, ``'.'.join(x)`` -> ``x | join('.')``."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        left = node.left
        if isinstance(node.op, ast.Mod) and isinstance(left, ast.Constant):
            values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
            if isinstance(left.value, str):
                return _formatted(node, _PERCENT_FIELD, left.value, values)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute):
            return _method_call(node, func)
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
            return _raw(f'({ast.unparse(node.args[0])} ~ "")')
        if isinstance(func, ast.Name) and func.id in _FUNCTION_FILTERS and len(node.args) == 1:
            return _filter(node.args[0], _FUNCTION_FILTERS[func.id], [])
        if isinstance(func, ast.Name) and func.id == "pin_subpackage":
            return _pin_keywords(node)
        return node


# conda-build's pin_subpackage(name, min_pin, max_pin, exact) also takes its bounds by
# position; rattler-build's takes only the name by position.
_PIN_SUBPACKAGE_ARGS = ("lower_bound", "upper_bound", "exact")


def _pin_keywords(node: ast.Call) -> ast.Call:
    bounds = node.args[1:]
    if not bounds or len(bounds) > len(_PIN_SUBPACKAGE_ARGS):
        return node
    named = [
        ast.keyword(arg=k, value=v) for k, v in zip(_PIN_SUBPACKAGE_ARGS, bounds, strict=False)
    ]
    return ast.Call(func=node.func, args=node.args[:1], keywords=named + node.keywords)


# `%s`/`%d`/`%%` of python's `%` formatting and the `{}`/`{0}` fields of str.format: the
# placeholders that only insert a value (anything else is left for the engine to refuse).
_PERCENT_FIELD = re.compile(r"%(?P<field>[sd%])")
_FORMAT_FIELD = re.compile(r"\{(?P<field>\d*)\}|(?P<brace>\{\{|\}\})")


def _method_call(node: ast.Call, func: ast.Attribute) -> ast.expr:
    """A str method as the filter, test or concatenation minijinja spells it."""
    if func.attr == "format":
        return _format_call(node, func)
    if func.attr == "join" and len(node.args) == 1:
        return _filter(node.args[0], "join", [func.value])
    if func.attr in _METHOD_FILTERS:
        return _filter(func.value, _METHOD_FILTERS[func.attr], node.args)
    if func.attr in _METHOD_TESTS and len(node.args) == 1:
        test = f"{_METHOD_TESTS[func.attr]}({ast.unparse(node.args[0])})"
        return _raw(f"({ast.unparse(_operand(func.value))} is {test})")
    return node


def _operand(value: ast.expr) -> ast.expr:
    """``value`` whole as the receiver of a jinja test (``(a or b) is startingwith(..)``)."""
    if isinstance(value, ast.Name | ast.Constant | ast.Call | ast.Subscript | ast.Attribute):
        return value
    return _raw(f"({ast.unparse(value)})")


def _format_call(node: ast.Call, func: ast.Attribute) -> ast.expr:
    """``"a{}".format(x)`` as a concatenation (a ``.format`` on anything else is kept)."""
    template = func.value
    if isinstance(template, ast.Constant) and isinstance(template.value, str) and not node.keywords:
        return _formatted(node, _FORMAT_FIELD, template.value, node.args)
    return node


def _formatted(
    node: ast.expr, field: re.Pattern[str], template: str, values: list[ast.expr]
) -> ast.expr:
    """``"a%sb" % x`` / ``"a{}b".format(x)`` as the concatenation ``"a" ~ x ~ "b"``."""
    pieces: list[str] = []
    position, used = 0, 0
    special = "%" if field is _PERCENT_FIELD else "{}"
    for found in field.finditer(template):
        literal = template[position : found.start()]
        position = found.end()
        text = found.group(0)
        if any(char in literal for char in special):
            return node  # a placeholder this rewrite does not know
        if text in ("%%", "{{", "}}"):
            pieces.append(json.dumps(literal + text[0]))
            continue
        index = int(found.group("field")) if found.group("field").isdigit() else used
        used += 1
        if index >= len(values) or isinstance(values[index], ast.Starred):
            return node
        if literal:
            pieces.append(json.dumps(literal))
        pieces.append(f"({ast.unparse(values[index])})")
    if any(char in template[position:] for char in special):
        return node
    if template[position:]:
        pieces.append(json.dumps(template[position:]))
    return _raw("(" + (" ~ ".join(pieces) or '""') + ")")


def _raw(text: str) -> ast.Name:
    """Jinja text python's AST cannot express, carried through ``ast.unparse`` as a name."""
    return ast.Name(id=text, ctx=ast.Load())


def _without_float(value: ast.expr) -> ast.expr:
    """``x`` for ``float(x)`` or ``x | float``, as the operand of an ``int`` filter.

    rattler-build has no float filter, and its ``int`` filter already reads ``"14.3"`` as
    14, which is what ``int(float(x))`` meant.
    """
    if isinstance(value, ast.Call) and ast.unparse(value.func) == "float" and len(value.args) == 1:
        return value.args[0]
    if (
        isinstance(value, ast.BinOp)
        and isinstance(value.op, ast.BitOr)
        and isinstance(value.right, ast.Name)
        and value.right.id == "float"
    ):
        return value.left
    return value


def _filter(value: ast.expr, name: str, args: list[ast.expr]) -> ast.BinOp:
    if name == "int":
        value = _without_float(value)
    if not isinstance(value, ast.Name | ast.Constant | ast.Call | ast.Subscript | ast.Attribute):
        # jinja filters bind tighter than python's `|`: keep the operand whole
        value = _raw(f"({ast.unparse(value)})")
    call: ast.expr = ast.Name(id=name, ctx=ast.Load())
    if args:
        call = ast.Call(func=call, args=args, keywords=[])
    return ast.BinOp(left=value, op=ast.BitOr(), right=call)


def _python_methods_to_filters(expression: str) -> str:
    """Rewrite python string methods as filters, when the text is plain python syntax.

    Expressions already using jinja filters or ``~`` get their methods rewritten by text
    (``smithy.convert.methods``): python reads ``|`` with another precedence than jinja, so
    unparsing them could change their meaning.
    """
    if "|" in expression or "~" in expression:
        return rewrite_methods(expression)
    if not any(char in expression for char in ".(%") and not _VERSION_WORD.search(expression):
        return expression
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return rewrite_methods(expression)
    before = ast.dump(tree)
    rewritten = _SelectorRewriter().visit(_FilterRewriter().visit(tree))
    return ast.unparse(rewritten) if ast.dump(rewritten) != before else expression


def convert_jinja_expression(expression: str) -> str:
    """Rewrite the inside of a ``{{ }}`` for rattler-build (pin arguments, environ, literals)."""
    text = _ENV_BUILD_NAME.sub(r"\1", expression)
    text = _python_methods_to_filters(text)
    text = _ENV_SUBSCRIPT.sub(r"env.get(\1)", text)
    parts = STRING_LITERAL.split(text)
    for index in range(0, len(parts), 2):  # even parts lie outside string literals
        for pattern, replacement in _CODE_REWRITES:
            parts[index] = pattern.sub(replacement, parts[index])
    return _ENV_DEFAULT.sub(r"env.get(\1, default=", "".join(parts))


_JINJA_EXPRESSION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.DOTALL)


def convert_template_text(text: str) -> str:
    """Turn every ``{{ x }}`` in ``text`` into ``${{ x' }}`` (x rewritten for rattler-build)."""

    def replace(found: re.Match[str]) -> str:
        inner = convert_jinja_expression(found.group(2).strip())
        return "${{ " + inner + " }}"

    return _JINJA_EXPRESSION.sub(replace, text)
