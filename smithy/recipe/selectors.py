"""Parse and evaluate selector expressions (``# [expr]`` lines, ``if:`` conditions) without eval."""

from __future__ import annotations

import difflib
import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from smithy.errors import SelectorError, Span
from smithy.recipe.selector_compiler import (
    Failed,
    Refused,
    Run,
    Scope,
    compile_expression,
    shown,
)

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


# Conversions conda-build selectors use (`int(float(vc)) < 14`); pure and bounded.
_CONVERSIONS: dict[str, Callable[..., object]] = {
    "int": int,
    "float": float,
    "str": _to_str,
    "len": len,
}


@dataclass(frozen=True, slots=True)
class Selector:
    """A parsed selector: its text, the free names it reads and a compiled evaluator."""

    expression: str
    names: frozenset[str]
    _run: Run = field(repr=False, compare=False)
    _name_order: tuple[str, ...] = field(repr=False, compare=False, default=())
    _functions: tuple[str, ...] = field(repr=False, compare=False, default=())

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
        available = {**(_CONVERSIONS if conversions else {}), **(functions or {})}
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
    lines, selected = _split_text(text)
    if not selected:
        return text
    out = list(lines)
    decided: dict[str, bool] = {}
    for index, kept, expression, column, bare in selected:
        keep = decided.get(expression)
        if keep is None:
            span = Span(path, index + 1, column)
            try:
                keep = evaluate_selector(expression, namespace, env=env, span=span)
            except SelectorError as exc:
                if not bare:
                    raise
                raise SelectorError(exc.message + _BARE_HINT, span) from None
            decided[expression] = keep
        out[index] = kept if keep else ("\r" if lines[index].endswith("\r") else "")
    return "\n".join(out)


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
    for _, _, expression, _, _ in _split_text(text)[1]:
        try:
            names.update(_parse_cached(expression).names)
        except Refused:
            continue
    return frozenset(names)


# index, line without its selector, expression, 1-based column, whether no `#` precedes it
_SelectedLine = tuple[int, str, str, int, bool]


@functools.lru_cache(maxsize=64)
def _split_text(text: str) -> tuple[tuple[str, ...], tuple[_SelectedLine, ...]]:
    # Split on "\n" only: YAML counts lines that way, and "\r" stays part of each line.
    lines = tuple(text.split("\n"))
    selected: list[_SelectedLine] = []
    for index, line in _lines_with_bracket(text):
        found = _find_selector(line)
        if found is not None:
            eol = "\r" if line.endswith("\r") else ""
            bare = "#" not in line[: found[2]]
            selected.append((index, found[0] + eol, found[1], found[2], bare))
    return lines, tuple(selected)


def _lines_with_bracket(text: str) -> Iterator[tuple[int, str]]:
    """Each line holding a ``]`` (every selector line does) and its index, in order.

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
        yield index, text[start:end]
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
