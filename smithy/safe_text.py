"""Make recipe-supplied text safe to print: control characters shown as escapes."""

from __future__ import annotations

import re

# C0/C1 controls (newline, ESC, BEL...) and bidi overrides: printed raw they could forge extra
# report lines, retitle or recolour the terminal, or reorder what a reviewer reads. Lone
# surrogates (from a "\\ud800" YAML escape) cannot be encoded for the terminal at all.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\\ud800-\\udfff]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    """Return ``text`` with each control, bidi-override or lone surrogate character escaped.

    Escapes are Python's (a newline prints as backslash-n, ESC as backslash-x1b), so the text
    stays on one line and shows exactly what the file holds.
    """
    return _HIDDEN.sub(_escape, text) if _HIDDEN.search(text) else text
