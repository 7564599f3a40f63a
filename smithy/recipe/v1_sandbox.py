"""The sandboxed jinja environment of recipe.yaml ``${{ }}``: minijinja's reach, bounded sizes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
from jinja2.environment import TemplateExpression
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from smithy.errors import JinjaError, Span
from smithy.records import frozen_record

# No rendered string or list may grow beyond this: a linter must survive `'x' * 10**12`.
MAX_SIZE = 1_000_000
_MAX_BITS = 100_000
_ALLOWED_FILTERS = "lower upper int abs default first last length list min max reverse sort trim"


class UnsetEnvironmentVariable(JinjaError):
    """``env.get("X")`` without a default read a variable the environment does not set."""


@frozen_record
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
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    check_size(len(seq) * count)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (str, list, tuple)):
            check_size(len(result))
        return result


def _power_bits(left: Any, right: Any) -> int:
    if not isinstance(left, int) or not isinstance(right, int) or abs(left) <= 1:
        return 0
    return right * abs(left).bit_length()


def check_size(size: int, span: Span | None = None) -> None:
    """Refuse a string or list of ``size`` characters or items beyond :data:`MAX_SIZE`."""
    if size > MAX_SIZE:
        raise JinjaError(f"a value would grow beyond {MAX_SIZE} characters or items", span)


def _join(items: Iterable[Any], sep: Any = "", attribute: Any = None) -> str:
    parts = [str(item) for item in items]
    check_size(sum(len(part) for part in parts) + len(str(sep)) * len(parts))
    return str(sep).join(parts)


def _replace(value: Any, old_value: Any, new_value: Any, count: int = -1) -> str:
    text, old, new = str(value), str(old_value), str(new_value)
    check_size(len(text) + (text.count(old) if old else len(text) + 1) * len(new))
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


# jinja copies the whole namespace (~200 names: platform booleans, variant keys, functions)
# into a new context for every render, twice; a recipe renders tens of thousands of short
# templates. A `shared` context reads the namespace in place instead. That is safe: what a
# template assigns (`{% set %}`, macro arguments, an expression's result) goes to the context's
# own `vars`, and the sandbox lets no method change the namespace.


def shared_context(template: jinja2.Template, names: dict[str, Any]) -> Context:
    """A context for ``template`` that reads ``names`` in place (the sandbox has no globals)."""
    environment = template.environment
    return environment.context_class(environment, names, template.name, template.blocks)


def render_shared(template: jinja2.Template, names: dict[str, Any]) -> str:
    """``template.render(names)`` without copying ``names``."""
    context = shared_context(template, names)
    try:
        return "".join(template.root_render_func(context))
    except Exception:
        template.environment.handle_exception()  # raises it again, as render() does


def evaluate_shared(expression: TemplateExpression, names: dict[str, Any]) -> Any:
    """``expression(names)`` (a compiled expression) without copying ``names``."""
    template = expression._template
    context = shared_context(template, names)
    for _ in template.root_render_func(context):
        pass
    return context.vars["result"]
