"""Size checks of the jinja sandbox: refuse a value that would be huge before it is built.

A value's size here is its *text weight*: what it becomes as text, counting each string's
length and each item of a list, tuple or dict. A list of a thousand references to one
million-character string is small in memory but a gigabyte once joined or printed, so the
checks on ``*``, ``join`` and ``sum`` weigh items rather than count them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    ValuesView,
)
from dataclasses import fields, is_dataclass
from typing import Any

from jinja2 import Environment
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.utils import Namespace

# Generous for any real recipe, small enough that a hostile one fails fast and small.
MAX_TEXT = 1_000_000  # characters (or items) in any string or list a template builds
MAX_WIDTH = 10_000  # padding/width/count arguments of expanding filters and str methods
# The work of filters and string methods grows with the text they get, and they are not loop
# steps: one render may hand them this much text in all (characters, or items of a list),
# weighed by how slow each is per character (ns, measured on 100,000 characters: sort 650,
# wordwrap 286, title 212, unique 184, min/max 170, urlize ~1,300; the others below 50).
# A real recipe passes a few thousand; a render stays within ~0.1 s of such work.
MAX_PROCESSED = 4_000_000
_SLOW_FILTERS = {
    "urlize": 200,
    "sort": 100,
    "wordwrap": 50,
    "title": 30,
    "unique": 30,
    "min": 30,
    "max": 30,
    "pprint": 30,
    "dictsort": 30,
    "groupby": 30,
    "wordcount": 10,
    "urlencode": 10,
    "striptags": 3,
}
# Items copied by ``sum`` over lists: each step copies the running total.
_MAX_SUM_COPIES = 10 * MAX_TEXT
WIDE_FUNCTIONS = frozenset(
    {"center", "ljust", "rjust", "zfill", "expandtabs", "indent", "batch", "slice", "wordwrap"}
)
# Functions and methods whose arguments or result size is checked by name (see checked_args).
CHECKED_BY_NAME = WIDE_FUNCTIONS | {"replace", "join", "format", "format_map", "translate", "sum"}
# %-format widths/precisions and str.format specs with many digits, or taken from arguments.
BIG_PERCENT_SPEC = re.compile(r"%(\([^)]*\))?[^a-zA-Z%]*(\d{5,}|\*)")  # after a %(key)
BIG_FORMAT_SPEC = re.compile(r"\{[^{}]*:[^{}]*(\d{5,}|\{)")
_DIGITS = re.compile(r"[0-9]+")


class LimitExceeded(SecurityError):
    """A template exceeded a size, loop or call budget."""


def check_length(length: int) -> None:
    """Fail when a value of ``length`` characters or items would exceed ``MAX_TEXT``."""
    if length > MAX_TEXT:
        raise LimitExceeded(f"a value longer than {MAX_TEXT} would be built")


# isinstance is given tuples on the render path, not ``str | bytes``: a union is a new object
# built (and freed) at every call, several times the cost of the check itself.
def check_size(value: Any) -> Any:
    """Return ``value`` unless its text weight (see :func:`text_weight`) is above ``MAX_TEXT``."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        check_length(text_weight(value))
    return value


def check_top_length(value: Any) -> Any:
    """Return ``value`` unless it is a string or has more than ``MAX_TEXT`` items.

    For the results of smithy's own functions: data read from the recipe's files is bounded
    by the file size cap, and a big ``pyproject.toml`` must not weigh it down.
    """
    if isinstance(value, (str, bytes, list, tuple, dict)):
        check_length(len(value))
    return value


class WeighedNamespace(Namespace):
    """jinja's ``namespace()``, whose text is weighed before it is built.

    Attributes set one by one (``{% set ns.a1 = s %}``) can each hold the same long string.
    """

    def __repr__(self) -> str:
        check_length(text_weight(self._Namespace__attrs))  # jinja keeps the attributes there
        return super().__repr__()


def text_weight(value: Any, limit: int = MAX_TEXT) -> int:
    """How long ``value`` gets as text, counted until past ``limit`` (then any larger number).

    Strings count their length, containers one per item plus their items' weights; other
    values nothing beyond the one their container counted, except those whose text shows
    what they hold: a namespace its attributes, a mapping (``environ``) or dict view its
    items, a record (``os``) its fields. An object met again (``[l] * 1000``) adds the weight
    worked out the first time, so shared items cost one visit however often they are shown;
    a container holding itself weighs more than any limit.
    """
    if type(value) is str:  # most values: no walk
        return len(value)
    leaf = _leaf_weight(value)
    if leaf is not None:
        return leaf
    return _container_weight(value, limit)


def _leaf_weight(item: Any) -> int | None:
    """The weight of a value holding no other value, or None for a container."""
    if isinstance(item, (str, bytes)):
        return len(item)
    if item is None or isinstance(item, (int, float)):  # numbers hold nothing
        return 0
    return None


def _container_weight(value: Any, limit: int) -> int:
    """``text_weight`` of a container: a depth-first walk that weighs each object once."""
    known: dict[int, int] = {}  # id -> weight of a container already walked
    count, items = _held(value)
    stack: list[tuple[Any, Iterator[Any], list[int]]] = [(value, iter(items), [count])]
    walking = {id(value)}
    while True:
        item, items, total = stack[-1]
        child = next(items, _END) if total[0] <= limit else _END
        if child is _END:
            stack.pop()
            walking.discard(id(item))
            known[id(item)] = total[0]
            if not stack:
                return total[0]
            stack[-1][2][0] += total[0]
            continue
        weight = _leaf_weight(child)
        if weight is None:
            weight = known.get(id(child))
        if weight is None:
            if id(child) in walking:  # a container holding itself: its text never ends
                weight = limit + 1
            else:
                count, held = _held(child)
                stack.append((child, iter(held), [count]))
                walking.add(id(child))
                continue
        total[0] += weight


_END = object()


def _held(item: Any) -> tuple[int, Iterable[Any]]:
    """What the text of a non-scalar ``item`` shows: its own count and the values it holds.

    One per item of a sequence or set, two per key and value of a mapping (``environ`` too),
    the attributes of a namespace, the fields of a record (``os``); nothing for other objects.
    """
    if isinstance(item, (list, tuple, set, frozenset)):
        return len(item), item
    if isinstance(item, Mapping):
        return 2 * len(item), itertools.chain(item.keys(), item.values())
    if isinstance(item, Namespace):
        return 1, (item._Namespace__attrs,)  # its attributes (jinja's own name for them)
    if isinstance(item, (KeysView, ValuesView, ItemsView)):
        return len(item), item
    if is_dataclass(item) and not isinstance(item, type):  # os
        return 1, [getattr(item, column.name) for column in fields(item)]
    return 0, ()


def check_spec_widths(spec: re.Pattern[str], template: str) -> None:
    """Refuse a format ``template`` with a field width ``spec`` finds too wide or unknown.

    ``BIG_PERCENT_SPEC`` for ``%`` templates, ``BIG_FORMAT_SPEC`` for ``{}`` ones.
    """
    if spec.search(template):
        raise LimitExceeded("format widths above 9999 are not allowed")


def check_format(template: str, marker: str, values: Iterable[Any]) -> None:
    """Refuse formatting ``template`` when its fields could make it huge.

    Every ``marker`` (``%`` or ``{``) may be a field showing the heaviest value, padded to
    the widest number the template holds (the spec checks keep widths below ``MAX_WIDTH``):
    ``('%(a)s' * 1000) % {'a': s}`` is weighed before it is built. A mapping or tuple given
    whole (``%`` and ``format_map``) counts its items as the values.
    """
    fields = template.count(marker)
    if not fields:
        return
    width = max((int(run[:5]) for run in _DIGITS.findall(template)), default=0)
    heaviest = 0
    for value in values:
        shown = value.values() if isinstance(value, Mapping) else [value]
        for item in shown:
            heaviest = max(heaviest, _field_weight(item))
    check_length(len(template) + fields * (heaviest + min(width, MAX_WIDTH)))


def _field_weight(value: Any) -> int:
    """An upper bound of the length of ``value`` in one format field (before padding)."""
    if isinstance(value, int):
        return value.bit_length() // 3 + 2  # its decimal digits and sign
    if isinstance(value, float):
        return 330 + MAX_WIDTH  # 1e308 in %f, with a precision below MAX_WIDTH
    return text_weight(value) + 100  # small objects' text (a macro, a cycler) and quotes


def check_wide_args(name: str, args: Iterable[Any]) -> None:
    """Refuse a width or count argument above ``MAX_WIDTH`` to a padding function."""
    if name in WIDE_FUNCTIONS:
        for arg in args:
            if isinstance(arg, int) and abs(arg) > MAX_WIDTH:
                raise LimitExceeded(f"{name}() argument {arg} is larger than {MAX_WIDTH}")


def weighed_items(items: Iterable[Any], separator: int = 0) -> list[Any]:
    """``items`` as a list, refused when joining them with ``separator`` characters is huge."""
    listed = items if isinstance(items, list) else list(items)
    check_length(text_weight(listed) + separator * len(listed))
    return listed


def checked_args(name: str, target: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments of a ``replace``/``join``/``translate``/format call, refused when huge.

    ``target`` is the string a method is bound to (None for a plain function). An iterable
    given to ``join`` comes back as a list: it is weighed before it is joined.
    """
    if not isinstance(target, str):
        return args
    if name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        hits = target.count(old) if old else len(target) + 1
        check_length(len(target) + hits * len(new))
    elif name == "join" and args and not isinstance(args[0], str):
        return (weighed_items(args[0], len(target)), *args[1:])
    elif name == "join" and args:  # a string's characters, each a joined item
        check_length(len(args[0]) * (len(target) + 1))
    elif name == "translate" and args and isinstance(args[0], dict):
        widest = max((len(new) for new in args[0].values() if isinstance(new, str)), default=1)
        check_length(len(target) * widest)
    elif name == "format":
        check_spec_widths(BIG_PERCENT_SPEC, target)
    elif name == "expandtabs":
        size = args[0] if args else 8
        if isinstance(size, int):
            check_length(len(target) + target.count("\t") * size)
    return args


def _attributes(environment: Any, items: Iterable[Any], attribute: Any) -> Iterable[Any]:
    """The items a filter's ``attribute=`` argument picks, looked up as the filter would."""
    return items if attribute is None else map(make_attrgetter(environment, attribute), items)


def _guarded_join(eval_ctx: Any, value: Any, d: Any = "", attribute: Any = None) -> list[Any]:
    """The items the join filter joins, weighed (``attribute`` looked up first)."""
    items = _attributes(eval_ctx.environment, value, attribute)
    return weighed_items(items, len(str(d)))


def _guarded_sum(environment: Any, value: Any, attribute: Any = None, start: Any = 0) -> list[Any]:
    """The items the sum filter adds, weighed when they are lists or tuples copied step by step."""
    items = weighed_items(_attributes(environment, value, attribute))
    if isinstance(start, (list, tuple)):
        final = len(start) + sum(len(item) for item in items if isinstance(item, (list, tuple)))
        check_length(final)
        if final * len(items) > _MAX_SUM_COPIES:
            raise LimitExceeded("sum over lists would copy too many items")
    return items


def _check_filter_growth(
    name: str, value: str, rest: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """Refuse a ``format``, ``indent`` or ``wordwrap`` filter whose result would be huge."""
    if name == "format":  # value % (kwargs or args)
        check_format(value, "%", [*rest, *kwargs.values()])
    elif name == "indent":  # each line gets the width, or the string given as the width
        width = rest[0] if rest else kwargs.get("width", 4)
        size = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        check_length(len(value) + (value.count("\n") + 1) * size)
    elif name == "wordwrap":  # at most one line per character, each ended by the wrapstring
        wrap = rest[2] if len(rest) > 2 else kwargs.get("wrapstring")
        if isinstance(wrap, str) and len(wrap) > 1:
            check_length((len(value) + 1) * len(wrap))


def processed_weight(value: Any) -> int:
    """How much work a filter or method has in ``value``: its characters or items."""
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set)) else 1


def guard_filter(
    name: str,
    function: Callable[..., Any],
    count_items: Callable[[Iterator[Any]], Iterator[Any]] | None = None,
    count_processed: Callable[[int], None] | None = None,
) -> Callable[..., Any]:
    """``function`` (the filter ``name``) with its arguments and result size-checked.

    An iterator it returns (``map``, ``select``, ``unique``...) goes through ``count_items``
    (the render's step budget): filters chained on one long string would otherwise make
    a million items a link, each link a call per item, without a loop to count them. The
    value it gets is charged to ``count_processed`` (``MAX_PROCESSED``) before it runs.
    """
    slowness = _SLOW_FILTERS.get(name, 1)

    @functools.wraps(function)  # keeps jinja's pass_context/pass_environment mark
    def guarded(*args: Any, **kwargs: Any) -> Any:
        passed = 1 if args and isinstance(args[0], (Context, EvalContext, Environment)) else 0
        if len(args) <= passed:
            return check_size(function(*args, **kwargs))
        value, rest = args[passed], args[passed + 1 :]
        if count_processed is not None:
            count_processed(processed_weight(value) * slowness)
        check_wide_args(name, [*rest, *kwargs.values()])
        if name == "join":
            # Joined here from the weighed items: the attribute is already looked up.
            items = _guarded_join(*args, **kwargs)
            return check_size(function(args[0], items, *(rest[:1] or [kwargs.get("d", "")])))
        if name == "sum":
            items = _guarded_sum(*args, **kwargs)
            start = rest[1] if len(rest) > 1 else kwargs.get("start", 0)
            return check_size(function(args[0], items, start=start))
        checked_args(name, value, rest)
        if isinstance(value, str):
            _check_filter_growth(name, value, rest, kwargs)
        result = check_size(function(*args, **kwargs))
        if count_items is not None and isinstance(result, Iterator):
            return count_items(result)
        return result

    return guarded
