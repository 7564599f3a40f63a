"""The lint rules themselves: list them, find one, check ``--select``/``--ignore`` words, docs."""

from __future__ import annotations

from smithy.lint.docs import explain as explain_rule
from smithy.lint.docs import rule_data as rule_data
from smithy.lint.docs import rules_markdown as rules_markdown
from smithy.lint.docs import rules_table as rules_table
from smithy.lint.registry import all_rules as all_rules
from smithy.lint.registry import check_patterns as check_patterns
from smithy.lint.registry import get as rule

__all__ = ["explain_rule", "rule"]  # re-exported under these names
