"""What ``lint`` returns (its own module: the lint engine is imported only by those who use it)."""

from __future__ import annotations

from smithy.lint.engine import LintResult as LintResult
