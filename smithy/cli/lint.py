"""``smithy lint``, ``smithy rules`` and ``smithy explain``: check recipes, document rules."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from smithy.errors import ExitCode, SmithyError, Span
from smithy.lint import docs
from smithy.lint.context import LintOptions
from smithy.lint.engine import LintResult, lint_paths, recipe_location
from smithy.lint.fix import codes_to_fix, fix_text
from smithy.lint.online import GITHUB_API_URL, PINNING_RAW_URL
from smithy.lint.registry import all_rules, check_patterns, get
from smithy.recipe.load import find_recipe_file, load_recipe
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


def _apply_fixes(paths: list[Path], result: LintResult) -> list[str]:
    """Rewrite each recipe with the fixers of its fixable findings; return the files changed."""
    changed = []
    for path in paths:
        try:
            location = recipe_location(path)
            raw = load_recipe(location)
            linked = _through_symlink(path, find_recipe_file(location), raw.path)
        except SmithyError:
            continue  # already reported as SMY001
        codes = codes_to_fix(result.findings, raw.display_path)
        fixed = fix_text(raw.text, raw.format, codes)
        if not fixed.changed(raw.text):
            continue
        if linked:
            # Writing through the link could land outside the repository (a recipe from a
            # pull request may point anywhere); replacing it would fork the shared file.
            changed.append(f"{raw.display_path}: not fixed (reached through a symlink)")
            continue
        _replace_text(raw.path, fixed.text, raw.display_path)
        changed.append(f"{raw.display_path}: fixed {', '.join(fixed.applied)}")
    return changed


def _through_symlink(target: Path, found: Path, resolved: Path) -> bool:
    """Whether the recipe file is a symlink or a symlinked folder took it out of ``target``."""
    base = (target if target.is_dir() else target.parent).resolve()
    return found.is_symlink() or not resolved.is_relative_to(base)


def _replace_text(path: Path, text: str, shown: str) -> None:
    """Atomically replace ``path`` with ``text``, keeping its permission bits.

    The temporary file is created exclusively (never through a planted symlink or over an
    existing file) next to ``path``, so the final rename stays on one file system.

    Raises:
        SmithyError: the folder is not writable or the disk is full; ``path`` is unchanged.
    """
    temp = ""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise SmithyError(
            f"cannot write the fixed recipe ({exc.strerror or exc})", Span(shown)
        ) from None


def _check_urls(github_url: str, pinning_url: str) -> None:
    """Refuse unusable --online URLs before any recipe is linted (exit 2, not a lint)."""
    from smithy.github.client import normalize_api_url

    try:
        normalize_api_url(github_url)
    except SmithyError as exc:
        raise typer.BadParameter(exc.message, param_hint="--github-url") from None
    if not pinning_url.startswith(("http://", "https://")):
        raise typer.BadParameter("must be an http(s) URL", param_hint="--pinning-url")


def _render(result: LintResult, output_format: LintFormat) -> str:
    if output_format is LintFormat.json:
        return report.json_report(result.findings)
    if output_format is LintFormat.github:
        return report.github_report(result.findings)
    if output_format is LintFormat.sarif:
        codes = {finding.code for finding in result.findings}
        return report.sarif_report(
            result.findings, [rule for rule in all_rules() if rule.code in codes]
        )
    return report.text_report(result.findings)


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
) -> int:
    """Lint recipes: exit 1 on lints (on hints too with --strict), 3 on unreadable input."""
    chosen, dropped = _split(select), _split(ignore)
    check_patterns(chosen + dropped)
    if online:
        _check_urls(github_url, pinning_url)
    targets = paths or [Path(".")]
    options = LintOptions(
        conda_forge=conda_forge,
        online=online,
        pinning=pinning,
        environ=dict(os.environ),
        github_url=github_url,
        pinning_url=pinning_url,
    )
    result = lint_paths(targets, select=chosen, ignore=dropped, options=options)
    if fix:
        for line in _apply_fixes(targets, result):
            typer.echo(line, err=True)
        result = lint_paths(targets, select=chosen, ignore=dropped, options=options)
    typer.echo(_render(result, output_format), nl=False)
    if result.unreadable:
        return ExitCode.INPUT
    return ExitCode.FINDINGS if result.failed(strict=strict) else ExitCode.OK


RulesFormatOpt = Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")]


def rules_command(output_format: RulesFormatOpt = RulesFormat.table) -> None:
    """List every lint rule: code, severity, name, conda-smithy identifier and summary."""
    rules = all_rules()
    if output_format is RulesFormat.json:
        typer.echo(json.dumps([docs.rule_data(rule) for rule in rules], indent=2))
    elif output_format is RulesFormat.md:
        typer.echo(docs.rules_markdown(), nl=False)
    else:
        typer.echo(docs.rules_table(rules), nl=False)


CodeArg = Annotated[str, typer.Argument(help="Rule code (SMY123), name or conda-smithy id.")]


def explain_command(code: CodeArg) -> None:
    """Show a rule's documentation: what it checks, why, and how to fix it."""
    typer.echo(docs.explain(get(code)), nl=False)
