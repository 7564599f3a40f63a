"""Compile a selector expression's AST into closures over a small whitelist; never eval."""

from __future__ import annotations

import ast
import operator
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smithy.errors import SmithyError
from smithy.recipe.selector_operands import numeric_pair, printed_needle
from smithy.records import frozen_record

_MAX_DEPTH = 100  # AST nesting; far beyond real selectors, far below the recursion limit
_MAX_STRING = 10_000  # longest string `.replace()` may build (chained replaces grow exponentially)
_LITERALS: dict[str, object] = {
    **dict.fromkeys(("True", "true"), True),
    **dict.fromkeys(("False", "false"), False),
    **dict.fromkeys(("None", "none"), None),
}
_STRING_METHODS: dict[str, Callable[..., object]] = {
    "startswith": str.startswith,
    "endswith": str.endswith,
    "lower": str.lower,
    "upper": str.upper,
    "strip": str.strip,
    "split": str.split,
    "replace": str.replace,
}
_REFUSALS: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed (only os.environ[...] and environ[...])",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.NamedExpr: "assignment expressions are not allowed",
    ast.Starred: "starred expressions are not allowed",
    ast.IfExp: "conditional expressions are not allowed",
    ast.Dict: "dict literals are not allowed",
    ast.Set: "set literals are not allowed",
}


class Refused(Exception):
    """The expression is malformed or uses something the evaluator refuses; message = reason."""


class Failed(Exception):
    """The expression is valid but cannot be evaluated on these values; message = reason."""


@dataclass(slots=True)
class Scope:
    """What a compiled expression reads while it runs."""

    namespace: Mapping[str, object]
    env: Mapping[str, str]
    functions: Mapping[str, Callable[..., object]]
    missing: object = False  # what a name the namespace lacks reads as
    # rattler-build's conditions (minijinja): `a - b` on booleans and numbers, and `x in "text"`
    # with a needle that is not a string (compared as its printed form: `win-64 in p`)
    minijinja: bool = False


Run = Callable[[Scope], object]


@frozen_record
class Compiled:
    """A compiled expression and the names and functions it uses, in source order."""

    run: Run
    names: tuple[str, ...]
    functions: tuple[str, ...]


@dataclass(slots=True)
class _Found:
    # dicts, not sets: insertion order is source order, for deterministic error messages.
    names: dict[str, None] = field(default_factory=dict)
    functions: dict[str, None] = field(default_factory=dict)


def shown(expression: str) -> str:
    """Return ``expression`` on one line, cut to 80 characters, for messages."""
    text = " ".join(expression.split())
    return text if len(text) <= 80 else text[:77] + "..."


def describe(value: object) -> str:
    """Return ``value``'s type and repr for messages."""
    return f"{type(value).__name__} {shown(repr(value))}"


def compile_expression(text: str) -> Compiled:
    """Parse ``text`` as one Python expression and compile it into closures.

    Raises:
        Refused: a syntax error, or a construct outside the whitelist.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in literals must not print
            tree = ast.parse(text, mode="eval")
        found = _Found()
        run = _compile(tree.body, found, 0)
    except SyntaxError as exc:
        raise Refused(exc.msg or "invalid syntax") from None
    except (ValueError, RecursionError, MemoryError):
        raise Refused("the expression is too complex") from None
    return Compiled(run, tuple(found.names), tuple(found.functions))


def _compile(node: ast.AST, found: _Found, depth: int) -> Run:
    if depth > _MAX_DEPTH:
        raise Refused("the expression is nested too deeply")
    compiler = _COMPILERS.get(type(node))
    if compiler is None:
        raise Refused(_REFUSALS.get(type(node), f"{type(node).__name__} is not allowed"))
    return compiler(node, found, depth + 1)


def _constant(node: ast.Constant, found: _Found, depth: int) -> Run:
    value = node.value
    if value is not None and type(value) not in (str, int, float, bool):
        raise Refused(f"literal {shown(repr(value))} is not allowed")
    return lambda scope: value


def _name(node: ast.Name, found: _Found, depth: int) -> Run:
    name = node.id
    if name in _LITERALS:
        value = _LITERALS[name]
        return lambda scope: value
    if name.startswith("__"):
        raise Refused(f"name '{name}' is not allowed")
    found.names[name] = None
    # conda-build reads a name it lacks as False, minijinja as undefined: the scope says which.
    return lambda scope: scope.namespace.get(name, scope.missing)


def _sequence(node: ast.Tuple | ast.List, found: _Found, depth: int) -> Run:
    items = tuple(_compile(item, found, depth) for item in node.elts)
    return lambda scope: tuple(item(scope) for item in items)


def _bool_op(node: ast.BoolOp, found: _Found, depth: int) -> Run:
    parts = tuple(_compile(value, found, depth) for value in node.values)
    stop_when = isinstance(node.op, ast.Or)  # `or` stops at a truthy value, `and` at a falsy one

    def run(scope: Scope) -> object:
        value: object = None
        for part in parts:
            value = part(scope)
            if bool(value) is stop_when:
                return value
        return value

    return run


def _unary_op(node: ast.UnaryOp, found: _Found, depth: int) -> Run:
    operand = _compile(node.operand, found, depth)
    if isinstance(node.op, ast.Not):
        return lambda scope: not operand(scope)
    if not isinstance(node.op, ast.USub):
        raise Refused("only 'not' and '-' are allowed as unary operators")

    def negate(scope: Scope) -> object:
        value = operand(scope)
        if type(value) not in (int, float):
            raise Failed(f"cannot negate {describe(value)}")
        return -value  # type: ignore[operator]

    return negate


_COMPARISONS: dict[type[ast.cmpop], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.In: ("in", lambda a, b: a in b),
    ast.NotIn: ("not in", lambda a, b: a not in b),
    # Identity of equal strings or ints depends on interning; compare type and value instead,
    # which is identity for None, True and False.
    ast.Is: ("is", lambda a, b: type(a) is type(b) and a == b),
    ast.IsNot: ("is not", lambda a, b: not (type(a) is type(b) and a == b)),
}


_ORDERINGS = frozenset({"<", "<=", ">", ">="})


def _compare(node: ast.Compare, found: _Found, depth: int) -> Run:
    for op, right in zip(node.ops, node.comparators, strict=True):
        # `x is defined` is a jinja test, not Python identity: leave it to the jinja sandbox.
        is_test = isinstance(op, ast.Is | ast.IsNot) and isinstance(right, ast.Name)
        if is_test and isinstance(right, ast.Name) and right.id not in _LITERALS:
            raise Refused(f"jinja tests ('is {right.id}') are not selector syntax")
    left = _compile(node.left, found, depth)
    steps = tuple(
        (*_COMPARISONS[type(op)], _compile(right, found, depth))
        for op, right in zip(node.ops, node.comparators, strict=True)
    )

    def run(scope: Scope) -> object:
        a = left(scope)
        for symbol, test, right in steps:
            b = right(scope)
            try:
                if symbol in _ORDERINGS:
                    a, b = numeric_pair(a, b)
                if scope.minijinja and symbol in ("in", "not in"):
                    a = printed_needle(a, b)
                if not test(a, b):
                    return False
            except TypeError:
                raise Failed(f"cannot compare {describe(a)} {symbol} {describe(b)}") from None
            a = b
        return True

    return run


def _bin_op(node: ast.BinOp, found: _Found, depth: int) -> Run:
    if isinstance(node.op, ast.BitOr):
        raise Refused("jinja filters ('|') are not allowed in conditions")
    if not isinstance(node.op, ast.Add | ast.Sub):
        raise Refused("arithmetic is not allowed")
    left, right = _compile(node.left, found, depth), _compile(node.right, found, depth)
    sign = 1 if isinstance(node.op, ast.Add) else -1

    def run(scope: Scope) -> object:
        # conda-build's selectors refuse it; minijinja adds booleans and integers (a platform
        # name written with its dash, `win-64`, is `win - 64` there).
        a, b = left(scope), right(scope)
        if not scope.minijinja:
            raise Failed("arithmetic is not allowed")
        if not isinstance(a, int) or not isinstance(b, int):
            raise Failed(f"cannot add or subtract {describe(a)} and {describe(b)}")
        return int(a) + sign * int(b)

    return run


def _is_environ(node: ast.expr, *, jinja: bool = True) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "environ" or (jinja and node.id == "env")
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _env_key(key: object) -> str:
    if not isinstance(key, str):
        raise Failed(f"environment variable names are strings, not {describe(key)}")
    return key


def _subscript(node: ast.Subscript, found: _Found, depth: int) -> Run:
    if not _is_environ(node.value, jinja=False) or isinstance(node.slice, ast.Slice):
        raise Refused(_REFUSALS[ast.Subscript])
    key = _compile(node.slice, found, depth)

    def run(scope: Scope) -> object:
        name = _env_key(key(scope))
        if name not in scope.env:
            raise Failed(f"environment variable '{name}' is not set")
        return scope.env[name]

    return run


def _call(node: ast.Call, found: _Found, depth: int) -> Run:
    func = node.func
    if isinstance(func, ast.Name):
        return _function_call(node, func.id, found, depth)
    if not isinstance(func, ast.Attribute):
        raise Refused("only named functions can be called")
    is_os = isinstance(func.value, ast.Name) and func.value.id == "os"
    if (func.attr == "get" and _is_environ(func.value)) or (is_os and func.attr == "getenv"):
        return _env_get(node, found, depth)
    if func.attr == "exists" and isinstance(func.value, ast.Name) and func.value.id == "env":
        return _env_exists(node, found, depth)
    if func.attr in _STRING_METHODS:
        return _string_method(node, func, found, depth)
    raise Refused(
        f"method '.{func.attr}()' is not allowed (only environment lookups and string methods)"
    )


def _arguments(node: ast.Call, found: _Found, depth: int) -> tuple[Run, ...]:
    return tuple(_compile(arg, found, depth) for arg in node.args)


def _env_get(node: ast.Call, found: _Found, depth: int) -> Run:
    args = list(_arguments(node, found, depth))
    for keyword in node.keywords:
        if keyword.arg != "default":
            raise Refused("environment lookups take only a name and a default")
        args.append(_compile(keyword.value, found, depth))
    if not 1 <= len(args) <= 2:
        raise Refused("environment lookups take a name and an optional default")
    key, default = args[0], args[1] if len(args) == 2 else None

    def run(scope: Scope) -> object:
        name = _env_key(key(scope))
        fallback = None if default is None else default(scope)
        return scope.env.get(name, fallback)

    return run


def _env_exists(node: ast.Call, found: _Found, depth: int) -> Run:
    args = _arguments(node, found, depth)
    if len(args) != 1 or node.keywords:
        raise Refused("env.exists() takes one name")
    return lambda scope: _env_key(args[0](scope)) in scope.env


def _literal_argument(node: ast.expr) -> object:
    if isinstance(node, ast.Constant) and (node.value is None or type(node.value) in (str, int)):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_literal_argument(item) for item in node.elts)
    raise Refused("string method arguments must be string or number literals")


def _string_method(node: ast.Call, func: ast.Attribute, found: _Found, depth: int) -> Run:
    if node.keywords:
        raise Refused("string methods take no keyword arguments")
    args = tuple(_literal_argument(arg) for arg in node.args)
    receiver = _compile(func.value, found, depth)
    name, method = func.attr, _STRING_METHODS[func.attr]

    def run(scope: Scope) -> object:
        value = receiver(scope)
        if not isinstance(value, str):
            raise Failed(f"'.{name}()' needs a string, not {describe(value)}")
        if name == "replace" and len(args) >= 2 and isinstance(args[0], str):
            count = value.count(args[0])
            if count and len(value) + count * len(str(args[1])) > _MAX_STRING:
                raise Failed("'.replace()' would build a string that is too long")
        try:
            return method(value, *args)
        except (TypeError, ValueError) as exc:
            raise Failed(f"'.{name}()' failed: {exc}") from None

    return run


def _function_call(node: ast.Call, name: str, found: _Found, depth: int) -> Run:
    if name.startswith("__"):
        raise Refused(f"name '{name}' is not allowed")
    found.functions[name] = None
    args = _arguments(node, found, depth)
    keywords: dict[str, Run] = {}
    for keyword in node.keywords:
        if keyword.arg is None:
            raise Refused("'**' arguments are not allowed")
        keywords[keyword.arg] = _compile(keyword.value, found, depth)

    def run(scope: Scope) -> object:
        values = [arg(scope) for arg in args]
        named = {key: value(scope) for key, value in keywords.items()}
        try:
            return scope.functions[name](*values, **named)
        except SmithyError:
            raise
        except (TypeError, ValueError) as exc:
            raise Failed(f"{name}() failed: {exc}") from None

    return run


_COMPILERS: dict[type[ast.AST], Callable[[Any, _Found, int], Run]] = {
    ast.Constant: _constant,
    ast.Name: _name,
    ast.Tuple: _sequence,
    ast.List: _sequence,
    ast.BoolOp: _bool_op,
    ast.UnaryOp: _unary_op,
    ast.Compare: _compare,
    ast.BinOp: _bin_op,
    ast.Subscript: _subscript,
    ast.Call: _call,
}
