"""Find and replace one variable read inside jinja expression text.

Every place convert puts a value in for a name (a literal loop's item, a context entry moved
into outputs, conda-build's own ``PKG_VERSION``, a ``{% set %}`` that reads itself) uses these
two functions, so they agree on what counts as reading the name.
"""

from __future__ import annotations

import functools
import re

from smithy.convert.expressions import STRING_LITERAL


@functools.lru_cache(maxsize=256)
def _read_of(name: str) -> re.Pattern[str]:
    # not `x.name`, not part of a longer word, not a call `name(`, not a keyword `name=1`
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w(])(?!\s*=[^=])")


def replace_name(expression: str, name: str, replacement: str) -> str:
    """``expression`` with each read of the variable ``name`` replaced by ``replacement``.

    Text inside string literals, attributes (``x.name``), longer words (``name_2``), calls
    (``name(``) and keyword arguments (``f(name=1)``) stay as they are.
    """
    read = _read_of(name)
    parts = STRING_LITERAL.split(expression)
    return "".join(
        part if index % 2 else read.sub(lambda _: replacement, part)
        for index, part in enumerate(parts)
    )


def reads_name(expression: str, name: str) -> bool:
    """Whether ``expression`` reads the variable ``name`` (as :func:`replace_name` sees it)."""
    read = _read_of(name)
    return any(read.search(part) for part in STRING_LITERAL.split(expression)[::2])
