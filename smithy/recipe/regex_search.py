"""``re.search`` for recipe-supplied patterns that cannot hang the process (ReDoS)."""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

SEARCH_SECONDS = 2.0
_REPEATS = frozenset({_c.MAX_REPEAT, _c.MIN_REPEAT})


class RegexTimeout(Exception):
    """The pattern did not finish within ``SEARCH_SECONDS``."""


def _risky(items: Any, in_repeat: bool) -> bool:
    """Whether a repeat holds another repeat or an alternation: backtracking may explode."""
    for op, arg in items:
        if op in _REPEATS:
            many = arg[1] is _c.MAXREPEAT or arg[1] > 1
            if (many and in_repeat) or _risky(arg[2], in_repeat or many):
                return True
        elif op is _c.BRANCH:
            if in_repeat or any(_risky(branch, in_repeat) for branch in arg[1]):
                return True
        elif op in (_c.SUBPATTERN, _c.ASSERT, _c.ASSERT_NOT) and _risky(arg[-1], in_repeat):
            return True
    return False


def _child(conn: Any, pattern: str, text: str) -> None:
    conn.send(re.search(pattern, text) is not None)


def bounded_search(pattern: str, text: str) -> re.Match[str] | None:
    """``re.search(pattern, text)``, run in a child with a deadline when the pattern is risky.

    Raises:
        re.error: the pattern is malformed.
        RegexTimeout: the search ran longer than ``SEARCH_SECONDS``.
    """
    if not _risky(_p.parse(pattern), False):
        return re.search(pattern, text)
    import multiprocessing  # only for risky patterns: most runs never need it (start-up time)

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, pattern, text), daemon=True)
    child.start()
    finished = receive.poll(SEARCH_SECONDS)
    if not finished:
        child.kill()
        child.join()
        raise RegexTimeout(pattern)
    matched = receive.recv()
    child.join()
    # Same pattern and text: this search takes as long as the child's did.
    return re.search(pattern, text) if matched else None
