"""How a rule is declared: its identity, what it reads, its documentation and its check."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING

from smithy.lint.finding import Problem, Severity
from smithy.recipe.model import RecipeFormat
from smithy.records import frozen_record

if TYPE_CHECKING:
    from smithy.lint.context import LintContext
    from smithy.lint.migration_context import MigrationContext

LINT = Severity.LINT
HINT = Severity.HINT
V0 = frozenset({RecipeFormat.V0})
V1 = frozenset({RecipeFormat.V1})
BOTH = frozenset({RecipeFormat.V0, RecipeFormat.V1})


class Input(StrEnum):
    """What a rule reads; the engine prepares only what the selected rules need."""

    TEXT = "text"  # the recipe file's text, line by line
    TREE = "tree"  # the recipe parsed as written: every selector branch, jinja kept as text
    RENDERED = "rendered"  # the recipe rendered for every platform and variant
    CONFIG = "config"  # the feedstock's conda-forge.yml
    SCRIPTS = "scripts"  # build scripts beside the recipe
    FILES = "files"  # other feedstock files: variant files, .ci_support, workflows
    MIGRATION = "migration"  # a CFEP-9 migration file (``smithy migration lint``), not a recipe


Check = Callable[["LintContext"], Iterable[Problem]]
Fixer = Callable[[str, RecipeFormat], str]
MigrationCheck = Callable[["MigrationContext"], Iterable[Problem]]


@frozen_record
class Rule:
    """One lint or hint.

    Attributes:
        code: ``SMY`` + 3 digits; the first digit is the family. Never reused.
        name: kebab-case name, usable wherever a code is (``--select``, ``linter.skip``).
        severity: ``lint`` fails the check; ``hint`` advises.
        compat_id: conda-smithy's identifier for the same check, or None.
        reads: the inputs the check reads.
        formats: recipe formats the rule applies to.
        fix: how to fix a finding (the ``help:`` line).
        doc: the documentation shown by ``smithy explain`` (the check's docstring).
        check: yields problems for one recipe.
        conda_forge: runs only with ``--conda-forge``.
        online: needs the network; runs only with ``--online``.
        skip_names: conda-smithy's ``linter.skip`` names that switch this rule off.
        fixer: rewrites recipe text to remove the problem (``--fix``), or None.
        migration_check: for rules that read ``Input.MIGRATION``: yields problems for one
            migration file (``check`` then finds nothing in recipes).
    """

    code: str
    name: str
    severity: Severity
    compat_id: str | None
    reads: frozenset[Input]
    formats: frozenset[RecipeFormat]
    fix: str
    doc: str
    check: Check
    conda_forge: bool = False
    online: bool = False
    skip_names: tuple[str, ...] = ()
    fixer: Fixer | None = None
    migration_check: MigrationCheck | None = None

    @property
    def family(self) -> str:
        """The family digit group, e.g. ``SMY1``."""
        return self.code[:4]

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.split("\n", 1)[0].strip()


def rule(  # noqa: PLR0913 - a declaration: every field is a keyword
    code: str,
    name: str,
    severity: Severity,
    *,
    reads: Iterable[Input],
    fix: str,
    compat: str | None = None,
    formats: frozenset[RecipeFormat] = BOTH,
    conda_forge: bool = False,
    online: bool = False,
    skip_names: tuple[str, ...] = (),
    fixer: Fixer | None = None,
) -> Callable[[Check], Rule]:
    """Declare the decorated check function as a rule; its docstring becomes the rule's doc."""

    def make(check: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            compat_id=compat,
            reads=frozenset(reads),
            formats=formats,
            fix=fix,
            doc=inspect.cleandoc(check.__doc__ or ""),
            check=check,
            conda_forge=conda_forge,
            online=online,
            skip_names=skip_names,
            fixer=fixer,
        )

    return make


def _no_recipe_problems(_ctx: LintContext) -> Iterable[Problem]:
    return ()


def migration_rule(
    code: str, name: str, severity: Severity, *, fix: str
) -> Callable[[MigrationCheck], Rule]:
    """Declare the decorated check of one migration file as a rule (it reads no recipe)."""

    def make(check: MigrationCheck) -> Rule:
        # No recipe format: the recipe engine never runs it; the migration engine calls
        # ``migration_check``.
        declared = rule(code, name, severity, reads=[Input.MIGRATION], fix=fix, formats=frozenset())
        return replace(
            declared(_no_recipe_problems),
            doc=inspect.cleandoc(check.__doc__ or ""),
            migration_check=check,
        )

    return make
