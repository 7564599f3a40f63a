"""Blocks of options that several commands share, declared once.

Typer builds a command's options from its signature, so commands that take the same run of
options would each spell it out. Instead, a *block* is a function whose parameters are those
options and whose result is the value the commands need; ``with_block`` puts the block's
parameters into a command's signature where the command asks for that value.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def with_block(
    block: Callable[..., object], name: str
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Replace the command's keyword-only parameter ``name`` by ``block``'s parameters.

    The command line is the one the command would have with the block's options written out
    in its signature at that place; the command receives ``block(...)`` of their values as
    ``name``.
    """
    shared = inspect.signature(block, eval_str=True).parameters

    def decorate(command: Callable[..., T]) -> Callable[..., T]:
        own = inspect.signature(command, eval_str=True)
        if own.parameters[name].kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{command.__name__}: '{name}' must be keyword-only")
        params = []
        for param in own.parameters.values():
            spliced = shared.values() if param.name == name else [param]
            params += [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in spliced]

        @functools.wraps(command)
        def run(**values: Any) -> T:
            value = block(**{key: values.pop(key) for key in shared})
            return command(**values, **{name: value})

        run.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        run.__annotations__["return"] = own.return_annotation
        return run

    return decorate
