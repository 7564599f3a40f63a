"""The ``${{ }}`` expressions of rattler-build recipes: their scope, rendering and evaluation."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2 import meta
from jinja2.environment import TemplateExpression
from rattler.exceptions import InvalidVersionError, InvalidVersionSpecError, VersionBumpError

from smithy.errors import JinjaError, SmithyError, Span
from smithy.recipe.jinja_memo import current_memo
from smithy.recipe.v1_lookups import (
    MISSING,
    Lookup,
    LookupValues,
    fingerprint,
    is_function,
    lookup_value,
)
from smithy.recipe.v1_reads import names_read
from smithy.recipe.v1_sandbox import (
    ENVIRONMENT,
    EnvAccess,
    UnsetEnvironmentVariable,
    check_size,
    evaluate_shared,
    render_shared,
)
from smithy.recipe.v1_statements import refuse_statements

# Names only known while a package builds: templates using them are kept as written.
LATE_BOUND = frozenset({"PREFIX", "BUILD_PREFIX", "SRC_DIR", "RECIPE_DIR", "PYTHON", "hash"})


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
def _compiled_expression(expression: str) -> TemplateExpression:
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
    # While an output render is memoised (v1_memo): every lookup whose value it depends on.
    reads: set[Lookup] | None = None

    def read(self, lookups: Iterable[Lookup]) -> None:
        """Record lookups the render in progress depends on (when one is being recorded)."""
        if self.reads is not None:
            self.reads.update(lookups)

    def read_variant(self, key: str) -> str | None:
        """Return the variant's value of ``key``, recorded as a lookup (recipe functions)."""
        if self.reads is not None:
            self.reads.add(("variant", key))
        return self.variant.get(key)

    def current(self) -> Callable[[Lookup], object]:
        """The comparable value of a recorded lookup in this scope now (see v1_memo)."""
        values: LookupValues | None = self.cache.get("current")
        if values is None:
            values = self.cache["current"] = LookupValues(self._lookup_value)
        return values.__getitem__

    def _lookup_value(self, lookup: Lookup) -> object:
        return lookup_value(lookup, self.variables, self.variant, self.pins)

    def pins_changed(self) -> None:
        """Forget what depended on :attr:`pins` (pin_subpackage renders differently now).

        A render or lookup depends on them only through a ``("pin", name)`` lookup (what
        ``pin_subpackage`` records when called): the others are kept.
        """
        self.cache.pop("names_read", None)  # a condition may call pin_subpackage
        rendered: dict[tuple[str, bool], _Rendered] = self.cache.get("rendered", {})
        for text in [text for text, entry in rendered.items() if _has_pin(entry.lookups)]:
            del rendered[text]
        current: dict[Lookup, object] = self.cache.get("current", {})
        for lookup in [lookup for lookup in current if lookup[0] == "pin"]:
            del current[lookup]

    def note(self, names: Iterable[str]) -> None:
        """Record variant keys read by an expression, unless a context variable shadows them."""
        for name in names:
            if name in self.variant_keys and name not in self.shadowed:
                self.used.add(name)

    def define(self, name: str, value: Any) -> None:
        """Bind a context variable; from now on it shadows a variant key of that name."""
        self.variables[name] = value
        self.shadowed.add(name)
        names = self.cache.get("jinja")
        self.cache.clear()
        if names is not None:  # what templates see changes by this one name: keep the rest
            if name not in self.functions and name != "env":  # those two win over variables
                names[name] = value
            self.cache["jinja"] = names

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


def _has_pin(lookups: frozenset[Lookup]) -> bool:
    return any(source == "pin" for source, _ in lookups)


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
    # The same text renders the same way until a variable or pin changes (define() and
    # pins_changed() drop it): what it read and the variant keys it used are kept beside it,
    # to be recorded again on reuse.
    memo: dict[tuple[str, bool], _Rendered] = scope.cache.setdefault("rendered", {})
    key = (text, lenient)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _render_recording(text, scope, span, lenient)
    scope.read(found.lookups)
    scope.note(found.names_read)
    scope.used.update(found.used)
    return found.text


class _Rendered(NamedTuple):
    """A template's render in one scope: the text, every lookup it made, the names it read.

    ``used`` holds the variant keys the functions it called marked used (``compiler('c')``:
    ``c_compiler``...): a reuse by another output must mark them for that output too.
    """

    text: str
    lookups: frozenset[Lookup]
    names_read: frozenset[str]
    used: frozenset[str]


def _render_recording(text: str, scope: Scope, span: Span, lenient: bool) -> _Rendered:
    """Render ``text`` (or reuse the session's render), recording what it reads."""
    template, names = _compiled_or_error(text, span)
    outer, scope.reads = scope.reads, set()
    outer_used, scope.used = scope.used, set()
    try:
        read = names_read(ENVIRONMENT, text, scope.jinja_variables(), names)
        rendered = _render_shared_or_new(template, text, names, scope, span, lenient)
        lookups = frozenset(scope.reads) | _lookups(names)
        used = frozenset(scope.used)
    finally:
        scope.reads = outer
        scope.used = outer_used
    return _Rendered(rendered, lookups, read, used)


def _render_shared_or_new(
    template: jinja2.Template,
    text: str,
    names: frozenset[str],
    scope: Scope,
    span: Span,
    lenient: bool,
) -> str:
    """Render ``text``, or take the session's render of it with the same values."""
    session = current_memo()
    shared = _shared_key(text, lenient, names, scope) if session is not None else None
    rendered = session.templates.get(shared) if session and shared else None
    if rendered is not None:  # shared only when no function reads the variant
        return rendered
    rendered = _render(template, text, scope, span, lenient)
    check_size(len(rendered), span)  # `~` is not intercepted: measure every result
    if session is not None and shared is not None:
        session.templates[shared] = rendered
    return rendered


def _note_reads(text: str, names: frozenset[str], scope: Scope) -> None:
    """Record what rendering ``text`` (free ``names``) reads: lookups, and variant keys used."""
    scope.read(_lookups(names))
    # Which names a short-circuit leaves unread depends on the variables (and pins) only: the
    # answer holds until define() or pins_changed() clears it.
    known: dict[str, frozenset[str]] = scope.cache.setdefault("names_read", {})
    read = known.get(text)
    if read is None:
        read = known[text] = names_read(ENVIRONMENT, text, scope.jinja_variables(), names)
    scope.note(read)


@functools.lru_cache(maxsize=4096)
def _lookups(names: frozenset[str]) -> frozenset[Lookup]:
    """What a template with these free names depends on (jinja resolves each one up front)."""
    return frozenset(("var", name) for name in names)


# Functions that read more than the template's free names when called: the variant (and note
# keys as used), the environment, the pin of the output they name. A template calling one is
# not shared across renders: only a render records what the call read.
_READS_MORE = frozenset({"compiler", "stdlib", "cdt", "env", "load_from_file", "pin_subpackage"})


def _shared_key(
    text: str, lenient: bool, names: frozenset[str], scope: Scope
) -> tuple[object, ...] | None:
    """What ``text`` renders from (None when a read cannot be compared): see jinja_memo."""
    if names & _READS_MORE:
        return None
    variables = scope.jinja_variables()
    values = []
    for name in sorted(names):
        value = variables.get(name, MISSING)
        if is_function(value) and scope.functions.get(name) is not value:
            return None  # a function under another name (`c: ${{ compiler }}`) reads the variant
        found = fingerprint(value)
        if found is None:
            return None
        values.append(found)
    return (text, lenient, scope.target_platform, tuple(values))


def _render(template: jinja2.Template, text: str, scope: Scope, span: Span, lenient: bool) -> str:
    try:
        return render_shared(template, scope.jinja_variables())
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
    _note_reads(text, template_names(text, span), scope)
    try:
        value = evaluate_shared(_compiled_expression(inner.strip()), scope.jinja_variables())
    except SmithyError as exc:
        raise JinjaError(exc.message, exc.span or span) from None
    except _FAILURES as exc:
        raise JinjaError(f"cannot evaluate '{stripped}': {describe_error(exc)}", span) from None
    if isinstance(value, jinja2.ChainableUndefined):  # only unset variant keys are chainable
        return None
    if isinstance(value, jinja2.Undefined):
        raise JinjaError(f"'{stripped}' is undefined", span)
    if isinstance(value, (str, list, tuple)):
        # `~` concatenation is not an intercepted operator: `a ~ a` over 40 context entries
        # doubles to terabytes unless each value is measured as it is made.
        check_size(len(value), span)
    return value


def parse_rendered(text: str) -> Any:
    """Type a rendered string as rattler-build does: ``true``/``false`` and integers."""
    stripped = text.strip()
    if stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    if stripped.lstrip("+-").isdigit() and stripped.isascii() and len(stripped) < 19:
        return int(stripped)
    return text
