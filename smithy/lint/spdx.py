"""SPDX license expressions: the shipped identifier lists and a small expression checker."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_OPERATORS = {"and", "or"}


@functools.cache
def _ids(name: str) -> dict[str, str]:
    text = (
        resources.files("smithy.lint").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    )
    return {line.strip().lower(): line.strip() for line in text.splitlines() if line.strip()}


def license_ids() -> dict[str, str]:
    """Lower-case SPDX license identifier -> its canonical spelling."""
    return _ids("spdx_licenses.txt")


def exception_ids() -> dict[str, str]:
    """Lower-case SPDX exception identifier -> its canonical spelling."""
    return _ids("spdx_exceptions.txt")


@dataclass(frozen=True, slots=True)
class SpdxCheck:
    """Unknown licenses and exceptions in an expression, and whether it is well formed."""

    unknown_licenses: tuple[str, ...] = ()
    unknown_exceptions: tuple[str, ...] = ()
    malformed: bool = False


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[str] = _TOKEN.findall(text)
        self.pos = 0
        self.licenses: list[str] = []
        self.exceptions: list[str] = []

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expression(self) -> bool:
        if not self.term():
            return False
        while (token := self.peek()) is not None and token.lower() in _OPERATORS:
            self.take()
            if not self.term():
                return False
        return True

    def term(self) -> bool:
        token = self.peek()
        if token is None or token == ")" or token.lower() in _OPERATORS | {"with"}:
            return False
        self.take()
        if token == "(":
            return self.expression() and self.peek() == ")" and bool(self.take())
        self.licenses.append(token)
        if (following := self.peek()) is not None and following.lower() == "with":
            self.take()
            exception = self.peek()
            if exception is None or exception in "()":
                return False
            self.exceptions.append(self.take())
        return True


def _known_license(token: str) -> bool:
    name = token[:-1] if token.endswith("+") else token
    return name.lower() in license_ids() or name.startswith("LicenseRef-")


def check_expression(text: str) -> SpdxCheck:
    """Check an SPDX license expression such as ``MIT OR (Apache-2.0 WITH LLVM-exception)``."""
    parser = _Parser(text)
    well_formed = parser.expression() and parser.peek() is None
    return SpdxCheck(
        unknown_licenses=tuple(t for t in parser.licenses if not _known_license(t)),
        unknown_exceptions=tuple(t for t in parser.exceptions if t.lower() not in exception_ids()),
        malformed=not well_formed,
    )
