"""The sandboxed ``${{ }}`` jinja of rattler-build recipes: environment, functions and filters."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from rattler.exceptions import InvalidVersionError, InvalidVersionSpecError, VersionBumpError

from smithy.errors import JinjaError, SmithyError, Span
from smithy.recipe.jinja_memo import current_memo
from smithy.recipe.v1_reads import names_read
from smithy.recipe.v1_statements import refuse_statements

# No rendered string or list may grow beyond this: a linter must survive `'x' * 10**12`.
MAX_SIZE = 1_000_000
_MAX_BITS = 100_000
_ALLOWED_FILTERS = "lower upper int abs default first last length list min max reverse sort trim"
# Names only known while a package builds: templates using them are kept as written.
LATE_BOUND = frozenset({"PREFIX", "BUILD_PREFIX", "SRC_DIR", "RECIPE_DIR", "PYTHON", "hash"})


class _Sandbox(ImmutableSandboxedEnvironment):
    """The jinja sandbox, tightened to minijinja's reach: no methods, bounded sizes and powers."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def wrap_str_format(self, value: Any) -> None:
        return None  # is_safe_attribute refuses format/format_map instead

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # rattler-build's minijinja has no Python methods (`version.split('.')` fails there):
        # only `env.get`/`env.exists` are methods; data is reached by `.key` and `[index]`.
        return isinstance(obj, EnvAccess) and attr in ("get", "exists")

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        kind = type(obj).__name__
        if attribute.startswith("_"):
            raise JinjaError(f"access to '{attribute}' is not allowed")
        raise JinjaError(
            f"'{kind}' has no method '{attribute}' in rattler-build's jinja;"
            " use a filter instead, e.g. `${{ version | split('.') }}`"
        )

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _power_bits(left, right) > _MAX_BITS:
            raise JinjaError(f"the power {left} ** {right} is too large")
        if operator == "%" and isinstance(left, str):
            raise JinjaError("'%' string formatting is not allowed; use '~' or join")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int):
                    _check_size(len(seq) * count)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, str | list | tuple):
            _check_size(len(result))
        return result


def _power_bits(left: Any, right: Any) -> int:
    if not isinstance(left, int) or not isinstance(right, int) or abs(left) <= 1:
        return 0
    return right * abs(left).bit_length()


def _check_size(size: int) -> None:
    if size > MAX_SIZE:
        raise JinjaError(f"a value would grow beyond {MAX_SIZE} characters or items")


def _join(items: Iterable[Any], sep: Any = "", attribute: Any = None) -> str:
    parts = [str(item) for item in items]
    _check_size(sum(len(part) for part in parts) + len(str(sep)) * len(parts))
    return str(sep).join(parts)


def _replace(value: Any, old_value: Any, new_value: Any, count: int = -1) -> str:
    text, old, new = str(value), str(old_value), str(new_value)
    _check_size(len(text) + (text.count(old) if old else len(text) + 1) * len(new))
    return text.replace(old, new, count)


def version_to_buildstring(value: Any) -> str:
    """Turn ``"3.12.* *_cpython"`` into ``"312"``: the first two dot parts, joined."""
    words = str(value).split()
    return "".join((words[0] if words else "").split(".")[:2])


def _finalize(value: Any) -> Any:
    # minijinja prints booleans as `true`/`false`, as YAML reads them back
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _make_environment() -> _Sandbox:
    env = _Sandbox(
        variable_start_string="${{",
        variable_end_string="}}",
        # `{% %}` blocks keep jinja's delimiters, as rattler-build's minijinja does; only
        # `{% if %}` and `{% macro %}` are accepted (see v1_statements).
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters = {name: env.filters[name] for name in _ALLOWED_FILTERS.split()}
    env.filters.update(
        version_to_buildstring=version_to_buildstring,
        split=lambda value, sep=None, maxsplit=-1: str(value).split(sep, maxsplit),
        join=_join,
        replace=_replace,
        unique=lambda items: list(dict.fromkeys(items)),
        bool=bool,
    )
    env.tests.update(
        startingwith=lambda value, prefix: str(value).startswith(prefix),
        endingwith=lambda value, suffix: str(value).endswith(suffix),
    )
    env.globals.clear()  # range, cycler, joiner, lipsum, namespace, dict: not recipe jinja
    return env


ENVIRONMENT = _make_environment()
_FAILURES = (
    jinja2.TemplateError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,
    InvalidVersionError,
    InvalidVersionSpecError,
    VersionBumpError,
)


def has_template(text: str) -> bool:
    """Return whether ``text`` holds a ``${{ }}`` expression (only such strings are jinja)."""
    return "${{" in text


@functools.lru_cache(maxsize=8192)
def _compiled(text: str) -> tuple[jinja2.Template, frozenset[str]]:
    tree = ENVIRONMENT.parse(text)
    refuse_statements(tree)
    return ENVIRONMENT.from_string(tree), frozenset(meta.find_undeclared_variables(tree))


@functools.lru_cache(maxsize=4096)
def _compiled_expression(expression: str) -> Any:
    return ENVIRONMENT.compile_expression(expression, undefined_to_none=False)


def describe_error(exc: BaseException) -> str:
    """Return a one-line description of an expression failure."""
    if isinstance(exc, RecursionError):
        return "expression is nested too deeply"
    return " ".join(str(exc).split()) or type(exc).__name__


def template_names(text: str, span: Span) -> frozenset[str]:
    """Return the free variable names of the template ``text`` (parsed once per text).

    Raises:
        JinjaError: the template does not parse.
    """
    try:
        return _compiled(text)[1]
    except SmithyError as exc:
        raise JinjaError(exc.message, span) from None
    except _FAILURES as exc:
        raise JinjaError(f"bad jinja in '{text.strip()}': {describe_error(exc)}", span) from None


class UnsetEnvironmentVariable(JinjaError):
    """``env.get("X")`` without a default read a variable the environment does not set."""


@dataclass(frozen=True, slots=True)
class EnvAccess:
    """The ``env`` object of recipe jinja; it reads the explicit environment mapping only."""

    values: Mapping[str, str]

    def get(self, name: str, default: str | None = None) -> str:
        """Return ``$name``, else ``default``; unset without a default is an error."""
        value = self.values.get(str(name), default)
        if value is None:
            message = f"environment variable {name} is not set; give env.get a default"
            raise UnsetEnvironmentVariable(message)
        return str(value)

    def exists(self, name: str) -> bool:
        """Return whether ``$name`` is set."""
        return str(name) in self.values


@dataclass(slots=True)
class Scope:
    """What expressions see while one recipe renders for one platform and variant.

    Mutable on purpose: context variables are bound in order and ``used`` collects the
    variant keys that expressions, conditions and compiler functions read.
    """

    target_platform: str
    variant: Mapping[str, str]
    env: Mapping[str, str]
    recipe_dir: Path | None
    variables: dict[str, Any]
    variant_keys: frozenset[str]
    unset_names: frozenset[str] = frozenset()
    pins: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    shadowed: set[str] = field(default_factory=set)
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    def note(self, names: Iterable[str]) -> None:
        """Record variant keys read by an expression, unless a context variable shadows them."""
        for name in names:
            if name in self.variant_keys and name not in self.shadowed:
                self.used.add(name)

    def define(self, name: str, value: Any) -> None:
        """Bind a context variable; from now on it shadows a variant key of that name."""
        self.variables[name] = value
        self.shadowed.add(name)
        self.cache.clear()

    def jinja_variables(self) -> dict[str, Any]:
        """Everything a template sees: variables, functions, ``env`` and lenient unset keys."""
        if "jinja" not in self.cache:
            # Build-time names render as themselves, as rattler-build keeps them for later.
            names: dict[str, Any] = {name: f"${{{{ {name} }}}}" for name in LATE_BOUND}
            names.update((n, jinja2.ChainableUndefined(name=n)) for n in self.unset_names)
            names.update(self.variables)
            names.update(self.functions)
            names["env"] = EnvAccess(self.env)
            self.cache["jinja"] = names
        result: dict[str, Any] = self.cache["jinja"]
        return result


def render_template(text: str, scope: Scope, span: Span, *, lenient: bool = False) -> str:
    """Render the string ``text``, filling in its ``${{ }}`` expressions.

    Args:
        text: a YAML string value holding ``${{ }}``.
        scope: the variables and functions of this render.
        span: where ``text`` is, for errors.
        lenient: keep ``text`` as written when it names an undefined variable or reads an
            unset environment variable: scripts and tests use build-time names such as
            ``${{ PYTHON }}`` and rattler-build does not evaluate them when it renders.

    Raises:
        JinjaError: bad syntax, an undefined variable, a refused operation.
    """
    template, names = _compiled_or_error(text, span)
    scope.note(names_read(ENVIRONMENT, text, scope.jinja_variables(), names))
    # The same text renders the same way until a variable or pin changes (define clears it).
    memo: dict[tuple[str, bool], str] = scope.cache.setdefault("rendered", {})
    key = (text, lenient)
    if key not in memo:
        session = current_memo()
        shared = _shared_key(text, lenient, names, scope) if session is not None else None
        rendered = session.templates.get(shared) if session and shared else None
        if rendered is None:
            rendered = _render(template, text, scope, span, lenient)
            if len(rendered) > MAX_SIZE:  # `~` is not intercepted: measure every result
                message = f"a value would grow beyond {MAX_SIZE} characters or items"
                raise JinjaError(message, span)
            if session is not None and shared is not None:
                session.templates[shared] = rendered
        memo[key] = rendered
    return memo[key]


# Functions that read the variant or the environment (and note keys as used) when called.
_READS_MORE = frozenset({"compiler", "stdlib", "cdt", "env", "load_from_file"})


def _shared_key(
    text: str, lenient: bool, names: frozenset[str], scope: Scope
) -> tuple[object, ...] | None:
    """What ``text`` renders from (None when a read cannot be compared): see jinja_memo."""
    if names & _READS_MORE:
        return None
    variables = scope.jinja_variables()
    values = []
    for name in sorted(names):
        found = _fingerprint(variables[name]) if name in variables else ("missing",)
        if found is None:
            return None
        values.append(found)
    pins = tuple(sorted(scope.pins.items())) if "pin_subpackage" in names else ()
    return (text, lenient, scope.target_platform, pins, tuple(values))


def _fingerprint(value: object) -> object:
    if value is None or isinstance(value, str | bool | int | float):
        return (type(value).__name__, value)
    if isinstance(value, jinja2.Undefined):
        return ("undefined", type(value).__name__, value._undefined_name)
    if isinstance(value, list | tuple):
        items = [_fingerprint(item) for item in value]
        return None if any(item is None for item in items) else (type(value).__name__, *items)
    if callable(value):  # a recipe function: pins (in the key) and arguments decide
        return ("function",)
    return None


def _render(template: jinja2.Template, text: str, scope: Scope, span: Span, lenient: bool) -> str:
    try:
        return template.render(scope.jinja_variables())
    except jinja2.UndefinedError as exc:
        if lenient:
            return text
        raise JinjaError(f"undefined variable: {describe_error(exc)}", span) from None
    except UnsetEnvironmentVariable as exc:
        if lenient:
            return text
        raise UnsetEnvironmentVariable(exc.message, exc.span or span) from None
    except SmithyError as exc:
        raise JinjaError(exc.message, exc.span or span) from None
    except _FAILURES as exc:
        raise JinjaError(f"cannot render '{text.strip()}': {describe_error(exc)}", span) from None


def _compiled_or_error(text: str, span: Span) -> tuple[jinja2.Template, frozenset[str]]:
    template_names(text, span)
    return _compiled(text)


def evaluate_value(text: str, scope: Scope, span: Span) -> Any:
    """Evaluate a ``context`` value: a lone ``${{ expr }}`` keeps its type, else a string.

    An expression that reads only unset variant keys gives None.
    """
    stripped = text.strip()
    inner = stripped[3:-2]
    if not stripped.startswith("${{") or not stripped.endswith("}}") or "${{" in inner:
        return parse_rendered(render_template(text, scope, span))
    scope.note(names_read(ENVIRONMENT, text, scope.jinja_variables(), template_names(text, span)))
    try:
        value = _compiled_expression(inner.strip())(scope.jinja_variables())
    except SmithyError as exc:
        raise JinjaError(exc.message, exc.span or span) from None
    except _FAILURES as exc:
        raise JinjaError(f"cannot evaluate '{stripped}': {describe_error(exc)}", span) from None
    if isinstance(value, jinja2.ChainableUndefined):  # only unset variant keys are chainable
        return None
    if isinstance(value, jinja2.Undefined):
        raise JinjaError(f"'{stripped}' is undefined", span)
    if isinstance(value, str | list | tuple) and len(value) > MAX_SIZE:
        # `~` concatenation is not an intercepted operator: `a ~ a` over 40 context entries
        # doubles to terabytes unless each value is measured as it is made.
        raise JinjaError(f"a value would grow beyond {MAX_SIZE} characters or items", span)
    return value


def parse_rendered(text: str) -> Any:
    """Type a rendered string as rattler-build does: ``true``/``false`` and integers."""
    stripped = text.strip()
    if stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    if stripped.lstrip("+-").isdigit() and stripped.isascii() and len(stripped) < 19:
        return int(stripped)
    return text
