"""Suppressions: ``linter.skip`` in conda-forge.yml and ``# smithy: ignore[...]`` comments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from smithy.lint.rule import Rule

_INLINE = re.compile(r"#\s*smithy:\s*ignore\[([^\]]*)\]", re.IGNORECASE)


def rule_keys(rule: Rule) -> frozenset[str]:
    """Every word that names ``rule``: code, name, conda-smithy id and skip names (lower case)."""
    keys = {rule.code, rule.name, *rule.skip_names}
    if rule.compat_id:
        keys.add(rule.compat_id)
    return frozenset(key.lower() for key in keys)


def skipped_by_config(rule: Rule, skip: Iterable[str]) -> bool:
    """Whether conda-forge.yml's ``linter.skip`` list names ``rule``."""
    keys = rule_keys(rule)
    return any(str(word).strip().lower() in keys for word in skip)


def inline_ignores(text: str) -> dict[int, frozenset[str]]:
    """Return ``{line: words}`` for each ``# smithy: ignore[SMY123, name]`` comment."""
    found: dict[int, frozenset[str]] = {}
    if "smithy" not in text:
        return found
    for number, line in enumerate(text.split("\n"), start=1):
        match = _INLINE.search(line)
        if match:
            words = {word.strip().lower() for word in match.group(1).split(",")}
            found[number] = frozenset(word for word in words if word)
    return found


def ignored_inline(rule: Rule, line: int, ignores: Mapping[int, frozenset[str]]) -> bool:
    """Whether an inline comment on ``line`` names ``rule``."""
    words = ignores.get(line)
    return bool(words) and not rule_keys(rule).isdisjoint(words or ())
