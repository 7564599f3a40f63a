"""The values a lint run produces: severities, problems found by rules, and findings."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from smithy.records import frozen_record


class Severity(StrEnum):
    """How bad a finding is: a ``lint`` fails the check, a ``hint`` only advises."""

    LINT = "lint"
    HINT = "hint"


@frozen_record
class Problem:
    """What a rule reports; the engine adds the rule's identity to make a ``Finding``.

    Attributes:
        message: one line saying what is wrong.
        line: 1-based line in ``path`` (0 when the problem concerns the whole file).
        column: 1-based column (0 when unknown).
        path: the file, when not the recipe itself (``conda-forge.yml``, a build script).
    """

    message: str
    line: int = 0
    column: int = 0
    path: str | None = None


@frozen_record
class Finding:
    """One problem found in one file, as every reporter shows it.

    Attributes:
        code: the stable rule code, ``SMY`` and three digits.
        name: the rule's kebab-case name.
        severity: ``lint`` or ``hint``.
        compat_id: conda-smithy's identifier for the same check (``R-019``), or None.
        path: the file, as given on the command line (relative where possible).
        line: 1-based line, 0 for the whole file.
        column: 1-based column, 0 when unknown.
        message: what is wrong.
        fix: how to fix it, or None.
    """

    code: str
    name: str
    severity: Severity
    compat_id: str | None
    path: str
    line: int
    column: int
    message: str
    fix: str | None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order findings by file, position, then code."""
        return (self.path, self.line, self.column, self.code, self.message)

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as the JSON object tools read; keys are a stable contract."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "compat_id": self.compat_id,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "fix": self.fix,
        }
