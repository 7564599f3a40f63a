"""Linting: every finding on recipes, and ``--fix``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.lint.online import GITHUB_API_URL as GITHUB_API_URL
from smithy.lint.online import PINNING_RAW_URL as PINNING_RAW_URL

if TYPE_CHECKING:
    from smithy.lint.engine import LintResult


def lint(  # noqa: PLR0913 - one keyword per lint option
    paths: Sequence[Path],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    conda_forge: bool = False,
    online: bool = False,
    pinning: str | None = None,
    github_url: str = GITHUB_API_URL,
    pinning_url: str = PINNING_RAW_URL,
    environ: Mapping[str, str] | None = None,
    render_helpers: int = 0,
) -> LintResult:
    """Lint recipes and return every finding, sorted (what ``smithy lint`` reports).

    Args:
        paths: recipe files, recipe folders or feedstock roots.
        select: rule code prefixes or names to run (all when empty).
        ignore: rule code prefixes or names not to run.
        conda_forge: also run conda-forge's own rules.
        online: with ``conda_forge``, also run the rules that use the network.
        pinning: ``--pinning`` value for rendering; None for the default search.
        github_url: the GitHub REST API for ``online`` rules (default api.github.com).
        pinning_url: where the pinning feedstock's files are served, for ``online`` hints.
        environ: the process environment: pinning lookup, ``GITHUB_TOKEN``/``GH_TOKEN``, proxies.
        render_helpers: forked processes rendering a feedstock's platforms alongside this one
            (0: none; the findings are the same either way).

    Raises:
        SmithyError: a ``select``/``ignore`` word matches no rule. Unreadable recipes are
            findings (see ``LintResult.unreadable``), not exceptions.
    """
    from smithy.lint.context import LintOptions
    from smithy.lint.engine import lint_paths
    from smithy.lint.registry import check_patterns

    check_patterns([*select, *ignore])
    options = LintOptions(
        conda_forge=conda_forge,
        online=online,
        pinning=pinning,
        environ=environ or {},
        github_url=github_url,
        pinning_url=pinning_url,
        render_helpers=render_helpers,
    )
    return lint_paths(list(paths), select=select, ignore=ignore, options=options)


def fix(paths: Sequence[Path], result: LintResult) -> list[str]:
    """Rewrite each recipe with the fixers of its fixable findings (``smithy lint --fix``).

    Returns:
        One line per recipe: what was fixed, or why it was not.

    Raises:
        SmithyError: a fixed recipe cannot be written; that recipe is left unchanged.
    """
    from smithy.atomic.session import feedstock_sessions  # only --fix writes: lint needs no lock
    from smithy.lint.apply import apply_fixes

    with feedstock_sessions(paths):  # finish interrupted rerenders; hold each lock
        return apply_fixes(list(paths), result)
