"""Parse and evaluate selector expressions (``# [expr]`` lines, ``if:`` conditions) without eval."""

from __future__ import annotations

import difflib
import functools
import operator
import re
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
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
from smithy.records import frozen_record

# conda-build's line selector: `[expr]` ending the line, or anywhere after a `#` when no
# parenthesis follows it (so a markdown link in a comment is not a selector).
SELECTOR_PATTERN: re.Pattern[str] = re.compile(r"(.+?)\s*(#.*)?\[([^\[\]]+)\](?(2)[^\(\)]*)$")
MAX_SELECTOR_LENGTH = 2000
_BRACKETS = re.compile(r"\[[^\[\]]+\]")
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
    found = _find_selector(line)
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
    layout = _layout(text)
    parts = [layout.between[0]]
    decided: dict[str, bool] = {}
    env_key = tuple(env.items())
    for number, (index, kept, expression, column, bare) in enumerate(layout.selected):
        keep = decided.get(expression)
        if keep is None:
            found = _decide(expression, namespace, env, env_key, bare)
            if isinstance(found, SelectorError):  # the span is made only for an error
                raise SelectorError(found.message, Span(path, index + 1, column)) from None
            keep = decided[expression] = found
        parts.append(kept if keep else layout.dropped[number])
        parts.append(layout.between[number + 1])
    return "".join(parts)


def _decide(
    expression: str,
    namespace: Mapping[str, object],
    env: Mapping[str, str],
    env_key: tuple[tuple[str, str], ...],
    bare: bool,
) -> bool | SelectorError:
    """A selector line's truth, or the error it raises (its span filled in by the caller)."""
    try:
        selector = Selector.parse(expression, _NO_SPAN)
        values = tuple(namespace.get(name, _MISSING) for name in selector.names_read)
        types = tuple(map(type, values))
        key: Hashable | None = None
        found: bool | None = None
        if _KEPT_TYPES.issuperset(types):  # other values are evaluated every time
            key = (expression, values, types, env_key)
            found = _truths.get(key)
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
_SelectedLine = tuple[int, str, str, int, bool]


def _split_text(text: str) -> tuple[tuple[str, ...], tuple[_SelectedLine, ...]]:
    # Split on "\n" only: YAML counts lines that way, and "\r" stays part of each line.
    return tuple(text.split("\n")), _selector_lines(text)


def _selector_lines(text: str) -> tuple[_SelectedLine, ...]:
    """The selector lines of ``text`` (found without splitting all of it)."""
    return _layout(text).selected


@frozen_record
class _Layout:
    """A text's selector lines, and the text around them, to select without splitting it.

    ``between[k]`` is the text before selector line ``k`` (after line ``k - 1``), line
    breaks included, and ``between[-1]`` the text after the last; ``dropped[k]`` is what a
    false selector leaves of line ``k`` (its carriage return, if any).
    """

    selected: tuple[_SelectedLine, ...]
    between: tuple[str, ...]
    dropped: tuple[str, ...]


@functools.lru_cache(maxsize=64)
def _layout(text: str) -> _Layout:
    selected: list[_SelectedLine] = []
    between: list[str] = []
    dropped: list[str] = []
    done = 0
    for index, start, end in _lines_with_bracket(text):
        line = text[start:end]
        found = _find_selector(line)
        if found is not None:
            eol = "\r" if line.endswith("\r") else ""
            bare = "#" not in line[: found[2]]
            selected.append((index, found[0] + eol, found[1], found[2], bare))
            between.append(text[done:start])
            dropped.append(eol)
            done = end
    between.append(text[done:])
    return _Layout(tuple(selected), tuple(between), tuple(dropped))


def _lines_with_bracket(text: str) -> Iterator[tuple[int, int, int]]:
    """Each line holding a ``]`` (every selector line does): its index, start and end.

    Found with ``str.find``: most lines of a recipe have no selector, and looking at each
    of them in Python was most of the cost of selecting a rendered text.
    """
    index = counted = 0
    position = text.find("]")
    while position != -1:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        index += text.count("\n", counted, start)
        counted = start
        yield index, start, end
        position = text.find("]", end)


def _find_selector(line: str) -> tuple[str, str, int] | None:
    """Return (kept text, stripped expression, 1-based column) as SELECTOR_PATTERN would.

    Linear-time equivalent of matching SELECTOR_PATTERN, whose backtracking is quadratic on
    long lines full of ``#`` and ``[``.
    """
    line = line.rstrip()
    if not line or line.lstrip().startswith("#") or "[" not in line or "]" not in line:
        return None
    if "\n" in line:  # `.` does not cross newlines; leave that corner to the regex itself
        match = SELECTOR_PATTERN.match(line)
        if match is None:
            return None
        start, end = match.start(3), match.end(3)
        cut = match.end(1)
    else:
        found = _bracket_after_prefix(line)
        if found is None:
            return None
        start, end, at = found
        cut = max(1, len(line[:at].rstrip()))
    quote = line[-1] if line[-1] in "'\"" else ""
    return (line[:cut] + quote).rstrip(), line[start:end].strip(), start + 1


def _bracket_after_prefix(line: str) -> tuple[int, int, int] | None:
    # Returns (expression start, expression end, where the selector part begins).
    last_paren = max(line.rfind("("), line.rfind(")"))
    pairs = [m for m in _BRACKETS.finditer(line) if m.start() >= 1]
    candidates: list[tuple[int, int, int]] = []
    if pairs and pairs[-1].end() == len(line):  # `[expr]` ends the line
        candidates.append((pairs[-1].start() + 1, pairs[-1].end() - 1, pairs[-1].start()))
    hash_at = line.find("#", 1)
    after_comment = [m for m in pairs if m.start() > hash_at and m.end() > last_paren]
    if hash_at != -1 and after_comment:  # `# ... [expr] ...`: the last such bracket
        candidates.append((after_comment[-1].start() + 1, after_comment[-1].end() - 1, hash_at))
    # The regex's lazy prefix prefers whichever form starts first.
    return min(candidates, key=operator.itemgetter(2)) if candidates else None


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
