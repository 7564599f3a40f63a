"""SPDX license expressions: the shipped identifier lists, checked by license-expression."""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING

from smithy.records import frozen_record

if TYPE_CHECKING:
    from license_expression import Licensing

# One bare identifier (no operator, parenthesis, space or ``+``): most recipes' whole license.
_ONE_WORD = re.compile(r"[A-Za-z0-9.-]+")


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


@frozen_record
class SpdxCheck:
    """Unknown licenses and exceptions in an expression, and whether it is well formed."""

    unknown_licenses: tuple[str, ...] = ()
    unknown_exceptions: tuple[str, ...] = ()
    malformed: bool = False


@functools.cache
def _licensing() -> Licensing:
    # Built from the shipped lists, as conda-smithy does: license-expression's own SPDX list
    # (get_spdx_licensing) lacks ids conda-smithy accepts (UnRAR, Buddy, ...), so the verdicts
    # would move.
    from license_expression import LicenseSymbol, Licensing

    symbols = [LicenseSymbol(key) for key in license_ids().values()]
    symbols += [LicenseSymbol(key, is_exception=True) for key in exception_ids().values()]
    return Licensing(symbols)


def _known_license(token: str) -> bool:
    name = token[:-1] if token.endswith("+") else token
    return name.lower() in license_ids() or name.startswith("LicenseRef-")


def check_expression(text: str) -> SpdxCheck:
    """Check an SPDX license expression such as ``MIT OR (Apache-2.0 WITH LLVM-exception)``.

    license-expression parses it; identifiers are matched without regard to case. A single
    known identifier is answered without it: building its parser from ~700 identifiers cost a
    one-recipe ``smithy lint`` more than the rest of the license rules (a test checks that every
    identifier gets the parser's verdict).
    """
    if _ONE_WORD.fullmatch(text) and text.lower() in license_ids():
        return SpdxCheck()
    return parsed_check(text)


def parsed_check(text: str) -> SpdxCheck:
    """:func:`check_expression` through license-expression's parser, whatever ``text`` is."""
    from license_expression import ExpressionError, LicenseWithExceptionSymbol

    try:
        symbols = _licensing().license_symbols(text, decompose=False, unique=False)
    except ExpressionError:
        return SpdxCheck(malformed=True)
    licenses: list[str] = []
    exceptions: list[str] = []
    for symbol in symbols:
        if isinstance(symbol, LicenseWithExceptionSymbol):
            licenses.append(symbol.license_symbol.key)
            exceptions.append(symbol.exception_symbol.key)
        else:
            licenses.append(symbol.key)
    if any(len(key.split()) > 1 for key in licenses + exceptions):
        return SpdxCheck(malformed=True)  # license-expression takes "Apache 2.0" as one key
    return SpdxCheck(
        unknown_licenses=tuple(t for t in licenses if not _known_license(t)),
        unknown_exceptions=tuple(t for t in exceptions if t.lower() not in exception_ids()),
    )
