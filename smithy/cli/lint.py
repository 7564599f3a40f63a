"""``smithy lint``, ``smithy rules`` and ``smithy explain``: check recipes, document rules."""

from __future__ import annotations

import functools
import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smithy import api
from smithy.api import (
    GITHUB_API_URL,
    PINNING_RAW_URL,
    ExitCode,
    SmithyError,
    Span,
    all_rules,
    check_patterns,
    explain_rule,
    rule,
    rule_data,
    rules_markdown,
    rules_table,
)
from smithy.cli.options import RenderJobsOpt, render_helpers
from smithy.report import findings as report


class LintFormat(StrEnum):
    """Output formats of ``smithy lint``."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class RulesFormat(StrEnum):
    """Output formats of ``smithy rules``."""

    table = "table"
    json = "json"
    md = "md"


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Recipe files, recipe folders or feedstock roots [default: .]."),
]
FormatOpt = Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Run only rules whose code starts with this (or this name)."),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Do not run rules whose code starts with this (or this name)."),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on hints too.")]
CondaForgeOpt = Annotated[
    bool, typer.Option("--conda-forge", help="Also run conda-forge's own rules.")
]
OnlineOpt = Annotated[
    bool,
    typer.Option(
        "--online",
        help="With --conda-forge, also run rules that need the network: maintainers exist on "
        "GitHub (token from $GITHUB_TOKEN or $GH_TOKEN, optional) and package hints.",
    ),
]
FeedstockDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--feedstock-dir",
        "--feedstock_dir",
        help="The feedstock the recipes belong to (conda-smithy's recipe-lint option); what "
        "is linted when no path is given. A recipe outside it is refused.",
    ),
]
FixOpt = Annotated[bool, typer.Option("--fix", help="Fix what can be fixed mechanically.")]
PinningOpt = Annotated[
    str | None, typer.Option("--pinning", help="Pinning file or folder used for rendering.")
]
GitHubUrlOpt = Annotated[
    str,
    typer.Option(
        "--github-url",
        help="GitHub REST API for --online (GitHub Enterprise: https://HOST/api/v3).",
    ),
]
PinningUrlOpt = Annotated[
    str,
    typer.Option(
        "--pinning-url",
        help="Where conda-forge-pinning-feedstock's files are served, for --online hints.",
    ),
]


def _split(values: list[str] | None) -> list[str]:
    return [word for value in values or () for word in value.split(",") if word.strip()]


def rule_words(select: list[str] | None, ignore: list[str] | None) -> tuple[list[str], list[str]]:
    """The ``--select`` and ``--ignore`` words, each matching some rule (else exit 2)."""
    chosen, dropped = _split(select), _split(ignore)
    for words, option in ((chosen, "--select"), (dropped, "--ignore")):
        try:
            check_patterns(words)
        except SmithyError as exc:  # a bad command line, not bad input: exit 2
            raise typer.BadParameter(exc.message, param_hint=option) from None
    return chosen, dropped


def _check_urls(github_url: str, pinning_url: str) -> None:
    """Refuse unusable --online URLs before any recipe is linted (exit 2, not a lint)."""
    try:
        api.normalize_api_url(github_url)
    except SmithyError as exc:
        raise typer.BadParameter(exc.message, param_hint="--github-url") from None
    if not pinning_url.startswith(("http://", "https://")):
        raise typer.BadParameter("must be an http(s) URL", param_hint="--pinning-url")


def render_findings(result: api.LintResult, output_format: LintFormat) -> str:
    """The findings in the chosen format (``smithy lint`` and ``smithy migration lint``)."""
    if output_format is LintFormat.json:
        return report.json_report(result.findings)
    if output_format is LintFormat.github:
        return report.github_report(result.findings)
    if output_format is LintFormat.sarif:
        codes = {finding.code for finding in result.findings}
        return report.sarif_report(
            result.findings, [one for one in all_rules() if one.code in codes]
        )
    return report.text_report(result.findings)


def _targets(paths: list[Path] | None, feedstock_dir: Path | None) -> list[Path]:
    """The paths to lint; with ``--feedstock-dir`` each must lie inside that feedstock.

    smithy reads the conda-forge.yml beside each recipe folder, so a recipe outside the
    feedstock would silently be linted with another feedstock's settings: refused instead.
    """
    if feedstock_dir is None:
        return paths or [Path(".")]
    if not feedstock_dir.is_dir():
        raise SmithyError("no such feedstock folder", Span(str(feedstock_dir)))
    root = feedstock_dir.resolve()
    for path in paths or ():
        if not path.resolve().is_relative_to(root):
            raise typer.BadParameter(
                f"{path} is not inside the feedstock {feedstock_dir}", param_hint="--feedstock-dir"
            )
    return paths or [feedstock_dir]


def lint_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    paths: PathsArg = None,
    output_format: FormatOpt = LintFormat.text,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    strict: StrictOpt = False,
    conda_forge: CondaForgeOpt = False,
    online: OnlineOpt = False,
    fix: FixOpt = False,
    pinning: PinningOpt = None,
    github_url: GitHubUrlOpt = GITHUB_API_URL,
    pinning_url: PinningUrlOpt = PINNING_RAW_URL,
    feedstock_dir: FeedstockDirOpt = None,
    jobs: RenderJobsOpt = None,
) -> int:
    """Lint recipes: exit 1 on lints (on hints too with --strict), 3 on unreadable input."""
    chosen, dropped = rule_words(select, ignore)
    if online:
        _check_urls(github_url, pinning_url)
    targets = _targets(paths, feedstock_dir)
    run_lint = functools.partial(
        api.lint,
        targets,
        select=chosen,
        ignore=dropped,
        conda_forge=conda_forge,
        online=online,
        pinning=pinning,
        github_url=github_url,
        pinning_url=pinning_url,
        environ=dict(os.environ),
        render_helpers=render_helpers(jobs),
    )
    result = run_lint()
    if fix:
        for line in api.fix(targets, result):
            typer.echo(line, err=True)
        result = run_lint()
    typer.echo(render_findings(result, output_format), nl=False)
    if result.unreadable:
        return ExitCode.INPUT
    return ExitCode.FINDINGS if result.failed(strict=strict) else ExitCode.OK


RulesFormatOpt = Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")]


def rules_command(output_format: RulesFormatOpt = RulesFormat.table) -> None:
    """List every lint rule: code, severity, name, conda-smithy identifier and summary."""
    rules = all_rules()
    if output_format is RulesFormat.json:
        typer.echo(json.dumps([rule_data(one) for one in rules], indent=2))
    elif output_format is RulesFormat.md:
        typer.echo(rules_markdown(), nl=False)
    else:
        typer.echo(rules_table(rules), nl=False)


CodeArg = Annotated[str, typer.Argument(help="Rule code (SMY123), name or conda-smithy id.")]


def explain_command(code: CodeArg) -> None:
    """Show a rule's documentation: what it checks, why, and how to fix it."""
    typer.echo(explain_rule(rule(code)), nl=False)
