"""Parse and evaluate selector expressions (``# [expr]`` lines, ``if:`` conditions) without eval."""

from __future__ import annotations

import difflib
import functools
import itertools
import operator
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import field
from types import MappingProxyType

from smithy.errors import SelectorError, Span
from smithy.recipe.selector_compiler import (
    Failed,
    Refused,
    Run,
    Scope,
    compile_expression,
    shown,
)
from smithy.recipe.selector_lines import SELECTOR_PATTERN as SELECTOR_PATTERN
from smithy.recipe.selector_lines import SelectedLine, find_selector, layout
from smithy.records import frozen_record

MAX_SELECTOR_LENGTH = 2000
_BARE_HINT = (
    " (a '[...]' ending a line is a selector, as in conda-build; write a list there in block"
    " style or end the line with a comment)"
)


def _to_str(value: object) -> str:
    return str(value)


# A selector's truth by (expression, the values of the names it reads, their types, env): every
# variant evaluates each selector line of the recipe, and most agree on the few names one reads.
# Values of types that compare equal (True == 1) can select differently (str(x) == "1"), so the
# types are part of the key. Only the scalars a namespace holds are kept: a tuple's type says
# nothing of its items ((1,) == (True,)), and 0.0 == -0.0.
_truths: dict[Hashable, bool] = {}
_truths_lock = threading.Lock()
_TRUTHS_SIZE = 8192
_MISSING = object()  # a name the namespace lacks (reads as False) differs from any value
_KEPT_TYPES = frozenset({str, int, bool, type(None), object})  # object: _MISSING
_Read = tuple[object, type]  # a name's value and its type, as a key holds them
# A selector's errors name its line; evaluating one needs no span until it fails.
_NO_SPAN = Span("")
_NO_FUNCTIONS: Mapping[str, Callable[..., object]] = MappingProxyType({})
# Conversions conda-build selectors use (`int(float(vc)) < 14`); pure and bounded.
_CONVERSIONS: Mapping[str, Callable[..., object]] = MappingProxyType(
    {"int": int, "float": float, "str": _to_str, "len": len}
)


@frozen_record
class Selector:
    """A parsed selector: its text, the free names it reads and a compiled evaluator."""

    expression: str
    names: frozenset[str]
    _run: Run = field(repr=False, compare=False)
    _name_order: tuple[str, ...] = field(repr=False, compare=False, default=())
    _functions: tuple[str, ...] = field(repr=False, compare=False, default=())

    @property
    def names_read(self) -> tuple[str, ...]:
        """The free names the expression reads, in source order."""
        return self._name_order

    @classmethod
    def parse(cls, expression: str, span: Span) -> Selector:
        """Parse ``expression`` (cached by text); ``${{ }}`` around it is stripped.

        Raises:
            SelectorError: the expression is malformed or uses something not allowed.
        """
        try:
            return _parse_cached(expression)
        except Refused as exc:
            raise SelectorError(f"invalid selector '{shown(expression)}': {exc}", span) from None

    def evaluate(
        self,
        namespace: Mapping[str, object],
        *,
        env: Mapping[str, str],
        span: Span,
        missing: object = False,
        functions: Mapping[str, Callable[..., object]] | None = None,
        conversions: bool = True,
        minijinja: bool = False,
    ) -> object:
        """Evaluate with Python value semantics (``a or b`` returns ``a`` or ``b``).

        Args:
            namespace: selector names and their values for one platform and variant.
            env: the environment ``os.environ.get`` and friends read (never the process's).
            span: where the expression is, for errors.
            missing: the value of a name ``namespace`` lacks: conda-build reads it as False
                (its default here), rattler-build as undefined (``UNDEFINED``).
            functions: the callables the expression may call by name (v1 ``match``, ...).
            conversions: whether python's ``int``, ``float``, ``str`` and ``len`` may be
                called, as conda-build's selectors may; rattler-build's conditions may not.
            minijinja: evaluate as rattler-build's minijinja does (``+``/``-`` on booleans
                and integers, a non-string needle in a string by its printed form).

        Raises:
            SelectorError: an unknown function, or values that cannot be compared.
        """
        if functions:
            available: Mapping[str, Callable[..., object]] = {
                **(_CONVERSIONS if conversions else {}),
                **functions,
            }
        else:  # the common case: no dict built per evaluation
            available = _CONVERSIONS if conversions else _NO_FUNCTIONS
        for name in self._functions:
            if name not in available:
                raise SelectorError(self._unknown("function", name, sorted(available)), span)
        try:
            return self._run(Scope(namespace, env, available, missing, minijinja))
        except Failed as exc:
            message = f"cannot evaluate selector '{shown(self.expression)}': {exc}"
            raise SelectorError(message, span) from None
        except RecursionError:
            raise SelectorError(f"selector '{shown(self.expression)}' is too deep", span) from None

    def _unknown(self, kind: str, name: str, candidates: list[str]) -> str:
        return (
            f"unknown {kind} '{name}' in '{shown(self.expression)}'{did_you_mean(name, candidates)}"
        )


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest of ``candidates``, else ``""``."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def evaluate_selector(
    expression: str,
    namespace: Mapping[str, object],
    *,
    env: Mapping[str, str],
    span: Span,
    functions: Mapping[str, Callable[..., object]] | None = None,
) -> bool:
    """Parse (cached) and evaluate ``expression``, returning its truth value.

    Raises:
        SelectorError: see ``Selector.parse`` and ``Selector.evaluate``.
    """
    selector = Selector.parse(expression, span)
    return bool(selector.evaluate(namespace, env=env, span=span, functions=functions))


def split_selector(line: str) -> tuple[str, str | None]:
    """Return (line without its selector comment, selector expression or None).

    Follows conda-build: comment and blank lines have no selector; a ``[expr]`` ending the
    line is a selector even without ``#``; a quote ending the line is kept.
    """
    found = find_selector(line)
    if found is None:
        return line, None
    return found[0], found[1]


def apply_line_selectors(
    text: str,
    namespace: Mapping[str, object],
    *,
    env: Mapping[str, str],
    path: str,
) -> str:
    """Apply ``# [expr]`` line selectors the way conda-build's ``select_lines`` does.

    Lines whose selector is false become empty and kept lines lose their selector, so the
    result has as many lines as ``text`` (line numbers stay valid for later errors). Lines
    without a selector, comment lines included, are returned unchanged. A name the namespace
    lacks reads as False, as conda-build's ``eval_selector`` retries it (lint reports it).

    Raises:
        SelectorError: the first bad selector, with ``path`` and its line and column.
    """
    selected = _selector_lines(text)
    if not selected:
        return text
    return _select(text, namespace, env, path)


def _select(text: str, namespace: Mapping[str, object], env: Mapping[str, str], path: str) -> str:
    found_lines = layout(text)
    env_key = tuple(env.items())
    names, pickers = _readers(found_lines.expressions)
    pairs = _pairs_read(names, namespace)
    truths: list[bool] = []
    for number, expression in enumerate(found_lines.expressions):
        index, _, _, column, bare = found_lines.selected[found_lines.firsts[number]]
        read = None if pairs is None else pickers[number](pairs)
        found = _decide(expression, namespace, env, env_key, bare, read)
        if isinstance(found, SelectorError):  # the span is made only for an error
            raise SelectorError(found.message, Span(path, index + 1, column)) from None
        truths.append(found)
    choices = [
        kept if truths[number] else dropped
        for kept, dropped, number in zip(
            found_lines.kept, found_lines.dropped, found_lines.choice, strict=True
        )
    ]
    parts = [found_lines.between[0]]
    parts += itertools.chain.from_iterable(zip(choices, found_lines.between[1:], strict=True))
    return "".join(parts)


def _pairs_read(
    names: tuple[str, ...] | None, namespace: Mapping[str, object]
) -> tuple[_Read, ...] | None:
    """(value, type) of each of ``names`` (see ``_readers``), as the pickers take them.

    None when a selector does not parse (``names`` is None) or a value is of a type
    ``_truths`` does not keep: each selector then reads its own names.
    """
    if names is None:
        return None
    values = tuple(map(namespace.get, names, itertools.repeat(_MISSING)))
    types = tuple(map(type, values))
    if not _KEPT_TYPES.issuperset(types):
        return None
    return tuple(zip(values, types, strict=True))


def _decide(
    expression: str,
    namespace: Mapping[str, object],
    env: Mapping[str, str],
    env_key: tuple[tuple[str, str], ...],
    bare: bool,
    read: tuple[_Read, ...] | None,
) -> bool | SelectorError:
    """A selector line's truth, or the error it raises (its span filled in by the caller).

    ``read``: the (value, type) of each name the selector reads, in order, when the caller
    picked them out of its text's (see ``_readers``).
    """
    try:
        selector = Selector.parse(expression, _NO_SPAN)
        if read is None:
            values = tuple(namespace.get(name, _MISSING) for name in selector.names_read)
            types = tuple(map(type, values))
            if _KEPT_TYPES.issuperset(types):  # other values are evaluated every time
                read = tuple(zip(values, types, strict=True))
        key = None if read is None else (expression, read, env_key)
        found = None if key is None else _truths.get(key)
        if found is None:
            found = bool(selector.evaluate(namespace, env=env, span=_NO_SPAN))
            if key is not None:
                _remember(key, found)
        return found
    except SelectorError as exc:
        return SelectorError(exc.message + _BARE_HINT if bare else exc.message, _NO_SPAN)


def _remember(key: Hashable, truth: bool) -> None:
    with _truths_lock:
        if len(_truths) >= _TRUTHS_SIZE:
            _truths.clear()
        _truths[key] = truth


def split_selector_lines(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """The lines of ``text`` and, per selector line, its 0-based index and text kept when true."""
    lines, selected = _split_text(text)
    return lines, tuple((index, kept) for index, kept, _, _, _ in selected)


@functools.lru_cache(maxsize=256)
def selector_names_in_text(text: str) -> frozenset[str]:
    """Return every free name the line selectors of ``text`` read.

    Selectors that do not parse are skipped: ``apply_line_selectors`` reports them.
    """
    names: set[str] = set()
    for _, _, expression, _, _ in _selector_lines(text):
        try:
            names.update(_parse_cached(expression).names)
        except Refused:
            continue
    return frozenset(names)


# index, line without its selector, expression, 1-based column, whether no `#` precedes it
def _split_text(text: str) -> tuple[tuple[str, ...], tuple[SelectedLine, ...]]:
    # Split on "\n" only: YAML counts lines that way, and "\r" stays part of each line.
    return tuple(text.split("\n")), _selector_lines(text)


def _selector_lines(text: str) -> tuple[SelectedLine, ...]:
    """The selector lines of ``text`` (found without splitting all of it)."""
    return layout(text).selected


_Picker = Callable[[tuple[_Read, ...]], tuple[_Read, ...]]


@functools.lru_cache(maxsize=64)
def _readers(
    expressions: tuple[str, ...],
) -> tuple[tuple[str, ...] | None, tuple[_Picker, ...]]:
    """Every name ``expressions`` read, sorted (None when one does not parse), and pickers.

    Each picker takes the (value, type) of its selector's names, in its order, out of those
    of every name.

    A namespace is read once per text and each selector's key picked out by a C call:
    reading each selector's names one by one was most of the cost of selecting.
    """
    try:
        orders = [_parse_cached(expression).names_read for expression in expressions]
    except Refused:
        return None, ()
    names = tuple(sorted({name for order in orders for name in order}))
    position = {name: number for number, name in enumerate(names)}
    pickers = []
    for order in orders:
        places = [position[name] for name in order]
        # itemgetter of one place gives the item, not a tuple of it: a slice gives the tuple.
        pick = operator.itemgetter(*places) if len(places) > 1 else None
        if pick is None:
            start = places[0] if places else 0
            where = slice(start, start + len(places))
            pick = operator.itemgetter(where)  # type: ignore[arg-type]  # typeshed: ints only
        pickers.append(pick)
    return names, tuple(pickers)


@functools.lru_cache(maxsize=4096)
def _parse_cached(expression: str) -> Selector:
    if len(expression) > MAX_SELECTOR_LENGTH:
        raise Refused(f"longer than {MAX_SELECTOR_LENGTH} characters")
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    # Multi-line `if:` strings are fine in jinja; Python's eval mode wants one line.
    text = text.replace("\r", " ").replace("\n", " ")
    if not text:
        raise Refused("the expression is empty")
    compiled = compile_expression(text)
    names = compiled.names
    return Selector(expression, frozenset(names), compiled.run, names, compiled.functions)
