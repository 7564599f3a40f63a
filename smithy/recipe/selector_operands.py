"""How selector and condition operands compare: numbers in strings, minijinja's needles."""

from __future__ import annotations


def numeric_pair(a: object, b: object) -> tuple[object, object]:
    """The operands of an ordering, a plain number held in a string read as that number."""
    # v1 variant values stay strings while rattler-build reads `14` as a number, so
    # `vc < 14` must compare numerically when a string holds a plain number.
    if isinstance(a, str) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return (as_number(a), b) if as_number(a) is not None else (a, b)
    if isinstance(b, str) and isinstance(a, (int, float)) and not isinstance(a, bool):
        return (a, as_number(b)) if as_number(b) is not None else (a, b)
    return a, b


def as_number(text: str) -> int | float | None:
    """``text`` as an int or float, or None when it is not a plain number."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text) if len(text) < 64 else None
    except ValueError:
        return None


def printed_needle(needle: object, haystack: object) -> object:
    """The needle as minijinja matches it in a string: a non-string by its printed form."""
    if not isinstance(haystack, str) or isinstance(needle, str):
        return needle
    if isinstance(needle, bool):
        return "true" if needle else "false"
    return str(needle) if isinstance(needle, (int, float)) else needle
