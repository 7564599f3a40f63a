"""``--fix``: rewrite a recipe's text with the fixers of the rules that found something."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from smithy.lint.finding import Finding
from smithy.lint.registry import all_rules
from smithy.recipe.model import RecipeFormat

_MAX_ROUNDS = 5


@dataclass(frozen=True, slots=True)
class FixResult:
    """The fixed text of one file and the rule codes whose fixers changed it."""

    text: str
    applied: tuple[str, ...]

    def changed(self, original: str) -> bool:
        """Whether the text differs from ``original``."""
        return self.text != original


def fixable_codes() -> frozenset[str]:
    """Codes of the rules that can fix what they find."""
    return frozenset(rule.code for rule in all_rules() if rule.fixer is not None)


def fix_text(text: str, fmt: RecipeFormat, codes: Iterable[str]) -> FixResult:
    """Apply the fixers of ``codes`` to ``text`` until nothing changes.

    Fixers edit lines in place, so comments, selectors and jinja stay where they were;
    running this on its own output changes nothing.
    """
    wanted = set(codes)
    fixers = [r for r in all_rules() if r.fixer is not None and r.code in wanted]
    applied: list[str] = []
    for _ in range(_MAX_ROUNDS):
        before = text
        for rule in fixers:
            assert rule.fixer is not None
            updated = rule.fixer(text, fmt)
            if updated != text and rule.code not in applied:
                applied.append(rule.code)
            text = updated
        if text == before:
            break
    return FixResult(text, tuple(sorted(applied)))


def codes_to_fix(findings: Iterable[Finding], path: str) -> frozenset[str]:
    """Codes of fixable findings in the file ``path``."""
    fixable = fixable_codes()
    return frozenset(f.code for f in findings if f.path == path and f.code in fixable)
