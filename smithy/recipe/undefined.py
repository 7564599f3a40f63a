"""minijinja's undefined value for the selector evaluator (rattler-build conditions)."""

from __future__ import annotations


class Undefined:
    """minijinja's undefined value: falsy, equal only to itself, ordered before every value.

    rattler-build evaluates a name it does not know as undefined instead of failing, so
    ``undefined == "x"`` is false and ``not undefined`` is true.
    """

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Undefined)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, Undefined)

    def __hash__(self) -> int:
        return 0

    def __lt__(self, other: object) -> bool:
        return not isinstance(other, Undefined)

    def __le__(self, other: object) -> bool:
        return True

    def __gt__(self, other: object) -> bool:
        return False

    def __ge__(self, other: object) -> bool:
        return isinstance(other, Undefined)

    def __contains__(self, item: object) -> bool:
        return False

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = Undefined()
