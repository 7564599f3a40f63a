"""``record`` and ``frozen_record``: dataclasses that are cheap to make and to create.

A ``frozen=True`` dataclass sets each field through ``object.__setattr__``: its ``__init__`` is
about 3x slower than a plain slotted one's (0.78 vs 0.25 us for a 3-field span), and a big
rerender makes ~40,000 spans and ~20,000 dependencies. A ``record`` is a slotted dataclass that
compares and hashes by value, as a frozen one does, and that type checkers treat as frozen
(``dataclass_transform(frozen_default=True)``): assigning to a field is a mypy error, so the
immutability is checked statically rather than paid for at run time. A ``frozen_record`` is
``dataclass(frozen=True, slots=True)``, frozen at run time too, for the classes whose design
promises that (the conda-forge.yml schema).

Making the class is paid by every process at import (~90 of them on a rerender's or a lint's
path). On Python 3.11 ``dataclass`` compiles each generated method on its own, and compiling
is most of a class's cost: four methods for a record, six for a frozen one. Here ``dataclass``
still writes ``__init__`` (and a frozen class's ``__setattr__``/``__delattr__``), but:

- ``__eq__`` and ``__hash__`` depend on the field names only through the attributes they read.
  One template per number of fields, made by ``dataclass`` for a class whose fields are named
  ``_0``, ``_1``..., serves every class: the placeholder names are swapped for the fields'
  (``CodeType.replace``: the same bytecode reading other attributes). Each instruction names
  its attribute or global by position, so a field called ``hash`` is read as an attribute while
  the builtin ``hash`` is still what is called.
- ``__repr__`` (nothing hot calls it) is a shared function reading the field names it is given.

A class that writes one of those three methods itself is made by ``dataclass`` alone. Nothing
here compiles or runs text: the only code is what ``dataclass`` wrote for the templates. What
differs from ``dataclass``: ``__dataclass_params__`` says ``eq=False, repr=False`` (and a
record's ``unsafe_hash=False``), as the methods are added afterwards; ``tests/test_records.py``
compares everything else with the classes ``dataclass`` makes.
"""

from __future__ import annotations

import functools
import reprlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from types import CodeType, FunctionType
from typing import Any, TypeVar, dataclass_transform

_Class = TypeVar("_Class")

_SHARED_METHODS = ("__eq__", "__hash__", "__repr__")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_Class]) -> type[_Class]:
    """Make ``cls`` a slotted dataclass, equal and hashed by value, read-only for mypy."""
    if any(name in cls.__dict__ for name in _SHARED_METHODS) or not _TEMPLATES_USABLE:
        return dataclass(slots=True, unsafe_hash=True)(cls)
    return _with_shared_methods(dataclass(repr=False, eq=False, slots=True)(cls))


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen_record(cls: type[_Class]) -> type[_Class]:
    """``dataclass(frozen=True, slots=True)``, made with three compiles instead of six."""
    if any(name in cls.__dict__ for name in _SHARED_METHODS) or not _TEMPLATES_USABLE:
        return dataclass(frozen=True, slots=True)(cls)
    return _with_shared_methods(dataclass(frozen=True, repr=False, eq=False, slots=True)(cls))


def _with_shared_methods(cls: type[_Class]) -> type[_Class]:
    """Give ``cls`` (a dataclass) the ``__eq__``, ``__hash__`` and ``__repr__`` it would have."""
    columns = fields(cls)  # type: ignore[arg-type]  # a dataclass by now
    compared = tuple(column.name for column in columns if column.compare)
    hashed = tuple(c.name for c in columns if (c.compare if c.hash is None else c.hash))
    module = sys.modules.get(cls.__module__)
    globals_ = vars(module) if module else {}
    eq_template, _ = _templates(len(compared))
    _, hash_template = _templates(len(hashed))
    methods = (
        _reading(eq_template, compared, globals_),
        _reading(hash_template, hashed, globals_),
        _repr_showing(tuple(column.name for column in columns if column.repr)),
    )
    for method in methods:
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        if method.__name__ == "__repr__":
            method = reprlib.recursive_repr()(method)  # as dataclass's: "..." on recursion
        setattr(cls, method.__name__, method)
    return cls


# Keyed by the number of fields alone: the templates' code depends on nothing else (the field
# names are swapped in afterwards, the globals given per class). One entry per count used.
@functools.cache
def _templates(count: int) -> tuple[CodeType, CodeType]:
    """The code of dataclass's ``__eq__`` and ``__hash__`` for fields ``_0`` .. ``_{count-1}``."""
    names = {f"_{index}": "object" for index in range(count)}
    namespace = {"__annotations__": names, "__module__": __name__, "__doc__": "A template."}
    template: Any = dataclass(init=False, repr=False, unsafe_hash=True)(
        type("_Template", (), namespace)
    )
    return template.__eq__.__code__, template.__hash__.__code__


def _templates_usable() -> bool:
    """Whether this Python's ``dataclass`` writes methods that can be rebuilt from their code.

    A method whose code reads a variable of the function that made it (a closure) cannot be
    remade from the code alone; should a future ``dataclass`` write such methods, every class
    is made by ``dataclass`` itself rather than failing at import.
    """
    return not any(code.co_freevars for code in _templates(2))


def _reading(template: CodeType, names: tuple[str, ...], globals_: dict[str, Any]) -> Any:
    """The template's function, reading the attributes ``names`` instead of ``_0``, ``_1``..."""
    placeholders = {f"_{index}": name for index, name in enumerate(names)}
    code = template.replace(co_names=tuple(placeholders.get(n, n) for n in template.co_names))
    return FunctionType(code, globals_)


def _repr_showing(names: tuple[str, ...]) -> Callable[[object], str]:
    """``Name(a=1, b='x')`` as dataclass's ``__repr__`` writes it."""

    def __repr__(self: object) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({values})"

    return __repr__


_TEMPLATES_USABLE = _templates_usable()
