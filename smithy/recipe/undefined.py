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


class UndefinedUsed(Exception):
    """A condition tested or compared a strict undefined value (minijinja's error)."""


class StrictUndefined(Undefined):
    """minijinja's strict undefined (rattler-build since minijinja 2.19): no truth, no compare.

    rattler-build drops a ``build.skip`` entry whose evaluation fails this way: the entry
    does not skip (``"x" != unset_key`` keeps the build, where the lenient value skipped it).
    """

    __slots__ = ()

    def _fail(self, *_: object) -> bool:
        raise UndefinedUsed

    __bool__ = _fail
    __eq__ = _fail
    __ne__ = _fail
    __lt__ = _fail
    __le__ = _fail
    __gt__ = _fail
    __ge__ = _fail
    __contains__ = _fail

    def __hash__(self) -> int:
        return 0


STRICT_UNDEFINED = StrictUndefined()
