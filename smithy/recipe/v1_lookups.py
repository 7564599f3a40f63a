"""What a memoised recipe.yaml render looked up, and values compared as they render (v1_memo)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import jinja2

# One value a render looked up: ("var", name) in the scope's variables, ("variant", key) read
# by a recipe function, ("pin", name) the version pinned for output `name` (pin_subpackage).
Lookup: TypeAlias = tuple[str, str]


def lookup_value(
    lookup: Lookup,
    variables: Mapping[str, Any],
    variant: Mapping[str, str],
    pins: Mapping[str, str],
) -> object:
    """The comparable value of ``lookup`` in a scope of these variables, variant and pins."""
    source, name = lookup
    if source == "var":
        return fingerprint(variables.get(name, MISSING))
    if source == "variant":
        return fingerprint(variant.get(name, MISSING))
    return fingerprint(pins.get(name, MISSING))


def is_function(value: object) -> bool:
    """Return whether ``value`` is a function (jinja's undefined values are callable too)."""
    return callable(value) and not isinstance(value, jinja2.Undefined)


class _Missing:
    """The value of a name a scope lacks, as a lookup records it."""


MISSING = _Missing()


def fingerprint(value: object) -> object:
    """A hashable stand-in equal only for values that render alike; None when there is none.

    Types are kept apart (``1``, ``True`` and ``"1"`` render differently); text, the common
    case, stands for itself (every other stand-in is a tuple).
    """
    kind = type(value)
    if kind is str:
        return value
    if value is None or kind is bool or kind is int or kind is float:
        return (kind.__name__, value)
    return _other_fingerprint(value)


def _other_fingerprint(value: object) -> object:
    if value is MISSING:
        return ("missing",)
    if isinstance(value, jinja2.Undefined):
        return ("undefined", type(value).__name__, value._undefined_name)
    if isinstance(value, (list, tuple)):
        items = [fingerprint(item) for item in value]
        return None if any(item is None for item in items) else (type(value).__name__, *items)
    if isinstance(value, str):  # a str subclass (jinja's Markup): kept apart from plain text
        return (type(value).__name__, str(value))
    if is_function(value):  # a recipe function: pins and variant reads are recorded apart
        return ("function",)
    return None


def is_data(value: object) -> bool:
    """Whether another render may take ``value`` as it is: data, no (scope-bound) function."""
    if isinstance(value, (list, tuple)):
        return all(is_data(item) for item in value)
    return fingerprint(value) is not None and not is_function(value)


class LookupValues(dict[Lookup, object]):
    """Comparable values of lookups, each computed by ``compute`` when first asked for.

    A memo compares ~10-30 lookups per try; ``values.__getitem__`` answers the known ones
    without a Python call.
    """

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[Lookup], object]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, lookup: Lookup) -> object:
        value = self[lookup] = self.compute(lookup)
        return value
