"""Run the selected rules over recipes: prepare inputs once, apply suppressions, sort findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from smithy.errors import SmithyError
from smithy.feedstock import CONFIG_FILE
from smithy.lint.context import LintContext, LintOptions
from smithy.lint.finding import Finding, Problem, Severity
from smithy.lint.registry import all_rules, select_rules
from smithy.lint.rule import Input, Rule
from smithy.lint.suppress import ignored_inline, inline_ignores, skipped_by_config
from smithy.recipe.load import display_path, find_recipe_file, load_recipe
from smithy.records import frozen_record

# Findings of these rules mean an input could not be read: the run exits with 3.
INPUT_CODES = frozenset({"SMY001", "SMY002", "SMY003"})


@frozen_record
class LintResult:
    """The outcome of linting some recipes.

    Attributes:
        findings: every finding, sorted by path, line, column and code.
        recipes: the recipe files linted, as shown in findings.
    """

    findings: tuple[Finding, ...]
    recipes: tuple[str, ...] = ()

    @property
    def unreadable(self) -> bool:
        """Whether some input could not be parsed or rendered."""
        return any(f.code in INPUT_CODES for f in self.findings)

    def failed(self, *, strict: bool = False) -> bool:
        """Whether the check fails: any lint, or any finding at all when ``strict``."""
        return any(strict or f.severity is Severity.LINT for f in self.findings)


def _finding(rule: Rule, problem: Problem, default_path: str) -> Finding:
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        compat_id=rule.compat_id,
        path=problem.path or default_path,
        line=problem.line,
        column=problem.column,
        message=problem.message,
        fix=rule.fix or None,
    )


def _applies(rule: Rule, ctx: LintContext) -> bool:
    if ctx.format not in rule.formats:
        return False
    if (rule.conda_forge and not ctx.options.conda_forge) or (
        rule.online and not ctx.options.online
    ):
        return False
    if rule.code in INPUT_CODES:
        return True
    if Input.TREE in rule.reads and ctx.tree is None:
        return False
    return not (Input.RENDERED in rule.reads and not ctx.rendered)


def _with_column(problem: Problem, ctx: LintContext) -> Problem:
    """Give a problem that names only a recipe line the column of the node written there."""
    if problem.column > 1 or problem.line < 1 or problem.path not in (None, ctx.path):
        return problem
    column = ctx.node_columns.get(problem.line)
    return problem if column is None else replace(problem, column=column)


def _run(rules: Iterable[Rule], ctx: LintContext) -> list[Finding]:
    findings: set[Finding] = set()
    for rule in rules:
        if _applies(rule, ctx):
            problems = (_with_column(p, ctx) for p in rule.check(ctx))
            findings.update(_finding(rule, p, ctx.path) for p in problems)
    return list(findings)


def _inline_maps(ctx: LintContext, paths: set[str]) -> dict[str, dict[int, frozenset[str]]]:
    maps = {ctx.path: inline_ignores(ctx.raw.text)}
    if ctx.config_path is not None:
        shown = display_path(ctx.config_path)
        if shown in paths:
            maps[shown] = inline_ignores(ctx.read(ctx.config_path) or "")
    return maps


def _suppressed(findings: list[Finding], ctx: LintContext) -> list[Finding]:
    by_code = {rule.code: rule for rule in all_rules()}
    skip = ctx.config.linter.skip
    maps = _inline_maps(ctx, {f.path for f in findings})
    kept = []
    for finding in findings:
        rule = by_code[finding.code]
        if rule.code not in INPUT_CODES and skipped_by_config(rule, skip):
            continue
        if ignored_inline(rule, finding.line, maps.get(finding.path, {})):
            continue
        kept.append(finding)
    return kept


def lint_recipe(path: Path, rules: Sequence[Rule], options: LintOptions) -> list[Finding]:
    """Lint one recipe (file, recipe folder or feedstock) with ``rules``.

    The input rules (SMY001-SMY003) always run (SMY002 whenever a rule needs the rendered
    recipe): a path without a recipe and a recipe that is not YAML are findings.

    Raises:
        SmithyError: the recipe file cannot be read as text (not UTF-8, too large, an OS
            error): bad input, reported as one line like every command reports it.
    """
    try:
        recipe_file = find_recipe_file(recipe_location(path))
    except SmithyError as exc:
        span = exc.span
        problem = Problem(exc.message, span.line if span else 0, span.column if span else 0)
        input_rule = next(rule for rule in all_rules() if rule.code == "SMY001")
        return [_finding(input_rule, problem, span.path if span else str(path))]
    ctx = LintContext(load_recipe(recipe_file), options)
    chosen = {rule.code: rule for rule in rules}
    renders = any(Input.RENDERED in rule.reads for rule in rules)
    for rule in all_rules():
        # Rendering is the expensive step: it runs (and can fail) only when a rule needs it.
        if rule.code in INPUT_CODES and (renders or Input.RENDERED not in rule.reads):
            chosen[rule.code] = rule
    findings = _run(sorted(chosen.values(), key=lambda rule: rule.code), ctx)
    return _suppressed(findings, ctx)


def recipe_location(path: Path) -> Path:
    """Return where the recipe of ``path`` is: a feedstock may move it with ``recipe_dir``."""
    config = path / CONFIG_FILE
    if not path.is_dir() or not config.is_file() or (path / "recipe").is_dir():
        return path
    from smithy.config.load import load_config

    try:
        recipe_dir = load_config(config).recipe_dir
    except SmithyError:
        return path
    candidate = path / recipe_dir
    return candidate if candidate.is_dir() else path


def lint_paths(
    paths: Sequence[Path],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: LintOptions | None = None,
) -> LintResult:
    """Lint each recipe in ``paths`` and return all findings, sorted.

    Args:
        paths: recipe files, recipe folders or feedstock roots.
        select: code prefixes or names to run (all rules when empty).
        ignore: code prefixes or names not to run.
        options: conda-forge/online switches and pinning for rendering.
    """
    rules = select_rules(select, ignore)
    opts = options or LintOptions()
    findings: list[Finding] = []
    for path in paths:
        findings.extend(lint_recipe(path, rules, opts))
    findings.sort(key=Finding.sort_key)
    return LintResult(tuple(findings), tuple(str(p) for p in paths))
