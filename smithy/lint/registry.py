"""The registry of rules: an explicit tuple built from the rule modules, looked up by code."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from smithy.errors import SmithyError
from smithy.lint.rule import Rule
from smithy.lint.rules import (
    about,
    duplicate_keys,
    feedstock,
    files,
    identity,
    jinja_style,
    migrations,
    noarch,
    online,
    parsing,
    python,
    python_hints,
    requirements,
    sections,
    selector_names,
    sources,
    stdlib,
    v1_keys,
    workflow_settings,
)

CODE_PATTERN = re.compile(r"^SMY\d{3}$")
# A code once published is never given to another rule.
RETIRED_CODES: frozenset[str] = frozenset()
FAMILIES = {
    "SMY0": "reading the recipe",
    "SMY1": "sections and layout",
    "SMY2": "about, license and maintainers",
    "SMY3": "name, version, build number and tests",
    "SMY4": "requirements",
    "SMY5": "sources",
    "SMY6": "noarch and python",
    "SMY7": "jinja and selectors",
    "SMY8": "feedstock files and conda-forge.yml",
    "SMY9": "conda-forge infrastructure and migration files (SMY95x)",
}
_MODULES = (
    parsing,
    duplicate_keys,
    sections,
    v1_keys,
    about,
    identity,
    requirements,
    stdlib,
    sources,
    noarch,
    python,
    python_hints,
    jinja_style,
    selector_names,
    files,
    workflow_settings,
    feedstock,
    online,
    migrations,
)


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code."""
    rules = [rule for module in _MODULES for rule in module.RULES]
    return tuple(sorted(rules, key=lambda rule: rule.code))


def get(code_or_name: str) -> Rule:
    """Return the rule with this code, name, conda-smithy identifier or ``linter.skip`` name.

    Raises:
        SmithyError: no rule has it.
    """
    wanted = code_or_name.strip().lower()
    for rule in all_rules():
        # An empty word must not match the empty compat id of smithy-only rules.
        names = (rule.code.lower(), rule.name, (rule.compat_id or "").lower(), *rule.skip_names)
        if wanted and wanted in names:
            return rule
    raise SmithyError(f"unknown rule '{code_or_name}' (see 'smithy rules')")


def matches(rule: Rule, patterns: Iterable[str]) -> bool:
    """Whether a pattern is a prefix of the rule's code or equals its name."""
    for pattern in patterns:
        word = pattern.strip()
        if word and (rule.code.startswith(word.upper()) or rule.name == word.lower()):
            return True
    return False


def check_patterns(patterns: Sequence[str]) -> None:
    """Refuse ``--select``/``--ignore`` words that match no rule (a typo would hide findings).

    Raises:
        SmithyError: a word matches no rule.
    """
    for pattern in patterns:
        if not any(matches(rule, [pattern]) for rule in all_rules()):
            raise SmithyError(f"'{pattern}' matches no rule code or name (see 'smithy rules')")


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> tuple[Rule, ...]:
    """Return the rules chosen by ``--select`` (all if empty) minus those ``--ignore`` names."""
    return tuple(
        rule
        for rule in all_rules()
        if (not select or matches(rule, select)) and not matches(rule, ignore)
    )
