"""Rewrite conda-build selector and jinja expressions into rattler-build's expression language."""

from __future__ import annotations

import ast
import re

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
_STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


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
    return ast.unparse(_SelectorRewriter().visit(tree))


def negate(expression: str) -> str:
    """Return ``not (expression)``, without doubling parentheses around a plain name."""
    if expression.isidentifier():
        return f"not {expression}"
    return f"not ({expression})"


def conjoin(expressions: list[str]) -> str:
    """Join conditions with ``and``, parenthesised where needed."""
    if len(expressions) == 1:
        return expressions[0]
    return " and ".join(e if e.isidentifier() else f"({e})" for e in expressions)


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

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "join" and len(node.args) == 1:
            return _filter(node.args[0], "join", [func.value])
        if isinstance(func, ast.Attribute) and func.attr in _METHOD_FILTERS:
            return _filter(func.value, _METHOD_FILTERS[func.attr], node.args)
        if isinstance(func, ast.Attribute) and func.attr in _METHOD_TESTS and len(node.args) == 1:
            test = f"{_METHOD_TESTS[func.attr]}({ast.unparse(node.args[0])})"
            return _raw(f"({ast.unparse(func.value)} is {test})")
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
            return _raw(f'({ast.unparse(node.args[0])} ~ "")')
        if isinstance(func, ast.Name) and func.id in _FUNCTION_FILTERS and len(node.args) == 1:
            return _filter(node.args[0], _FUNCTION_FILTERS[func.id], [])
        return node


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


# `name.split('.')` on a plain name: safe to rewrite by text, whatever surrounds it.
_NAME_METHOD = re.compile(
    r"\b(?P<name>[A-Za-z_]\w*)\.(?P<method>" + "|".join(_METHOD_FILTERS) + r")\((?P<args>[^()]*)\)"
)


def _name_method_filter(found: re.Match[str]) -> str:
    if found.group("name") in ("env", "os", "environ"):
        return found.group(0)
    args = found.group("args").strip()
    call = _METHOD_FILTERS[found.group("method")] + (f"({args})" if args else "")
    return f"({found.group('name')} | {call})"


def _python_methods_to_filters(expression: str) -> str:
    """Rewrite python string methods as filters, when the text is plain python syntax.

    Expressions already using jinja filters or ``~`` only get methods called on plain names
    rewritten (by text): python reads ``|`` with another precedence than jinja, so
    unparsing them could change their meaning.
    """
    if "|" in expression or "~" in expression:
        return _NAME_METHOD.sub(_name_method_filter, expression)
    if "." not in expression and "(" not in expression:
        return expression
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return _NAME_METHOD.sub(_name_method_filter, expression)
    before = ast.dump(tree)
    rewritten = _SelectorRewriter().visit(_FilterRewriter().visit(tree))
    return ast.unparse(rewritten) if ast.dump(rewritten) != before else expression


def convert_jinja_expression(expression: str) -> str:
    """Rewrite the inside of a ``{{ }}`` for rattler-build (pin arguments, environ, literals)."""
    text = _ENV_BUILD_NAME.sub(r"\1", expression)
    text = _python_methods_to_filters(text)
    text = _ENV_SUBSCRIPT.sub(r"env.get(\1)", text)
    parts = _STRING.split(text)
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
