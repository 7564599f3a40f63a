"""The supported Python surface of smithy; the CLI calls only these functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smithy.api_ci import *  # noqa: F403 - the git and CI use cases (api_ci.__all__)
from smithy.bot.model import Channels, MigrationContext, Outcome
from smithy.convert import conversion as conversion  # smithy convert: api.conversion.convert()
from smithy.errors import SmithyError, Span
from smithy.feedstocks import feedstock_folders
from smithy.fleet import usecases as fleet  # fleet use cases: api.fleet.run(...) and the rest
from smithy.lint import migration_lint as migration_lint  # api.migration_lint.run(...)
from smithy.lint.online import GITHUB_API_URL, PINNING_RAW_URL
from smithy.matrix.recipe_render import RecipeRender, check_platforms, render_recipe
from smithy.pinning.model import PinningSource
from smithy.pinning.source import resolve_pinning
from smithy.recipe.unevaluated import recipe_warnings
from smithy.rerender.outcome import RerenderMode, RerenderReport
from smithy.rerender.session import feedstock_session, feedstock_sessions

if TYPE_CHECKING:
    from smithy.bot.solvable import JobResult
    from smithy.bump.apply import BumpReport
    from smithy.bump.check import LookupOptions, VersionCheck
    from smithy.graph.inputs import GraphInput
    from smithy.lint.engine import LintResult
    from smithy.matrix.render import FeedstockMatrix, ProgressFn

__all__ = [
    "BumpReport",
    "Channels",
    "LookupOptions",
    "MigrationContext",
    "Outcome",
    "RenderReport",
    "RerenderMode",
    "RerenderReport",
    "bump",
    "bump_options",
    "check_version",
    "check_versions",
    "commit_bump",
    "feedstock_folders",
    "fix",
    "fleet",
    "lint",
    "load_graph",
    "migration_context",
    "recipe_warnings",
    "render",
    "rerender",
    "solvable",
    "variants",
]


RenderReport = RecipeRender


def render(
    path: Path,
    *,
    platforms: Sequence[str] = (),
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> RenderReport:
    """Render the recipe at ``path`` for each platform and each variant it uses.

    Args:
        path: a recipe file, a recipe folder or a feedstock root.
        platforms: target platforms (subdirs); the six main conda-forge platforms if empty.
        pinning: ``--pinning`` value: a file or folder; None to use the default search.
        environ: the process environment, read only for ``SMITHY_PINNING``/``CONDA_PREFIX``.

    Raises:
        SmithyError: on any bad input (recipe, pinning, config, unknown platform).
    """
    check_platforms(platforms)  # before the pinning search: a typo is the clearer error
    return render_recipe(path, resolve_pinning(pinning, environ or {}), platforms)


def _feedstock_root(path: Path) -> Path:
    if not path.is_dir():
        raise SmithyError("no such feedstock folder", Span(str(path)))
    return path


def variants(
    feedstock_dir: Path,
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    progress: ProgressFn | None = None,
) -> tuple[PinningSource, FeedstockMatrix]:
    """Compute the feedstock's build matrix without planning any file.

    Raises:
        SmithyError: on any bad input.
    """
    # Imported here: ``render`` and ``lint`` should not pay for the rerender matrix's imports.
    from smithy.matrix.render import render_feedstock

    source = resolve_pinning(pinning, environ or {})
    return source, render_feedstock(_feedstock_root(feedstock_dir), source, progress=progress)


def rerender(
    feedstock_dir: Path,
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    mode: RerenderMode = "write",
    progress: ProgressFn | None = None,
    wait: float = 0.0,
) -> RerenderReport:
    """Regenerate the feedstock's CI files from its recipe, conda-forge.yml and the pinning.

    Args:
        feedstock_dir: the feedstock root (holding ``recipe/`` and ``conda-forge.yml``).
        pinning: ``--pinning`` value; None for the default search.
        environ: the process environment (pinning lookup only).
        mode: ``write`` applies the plan; ``dry-run`` and ``check`` only compare.
        progress: called with a short message as each platform is rendered.
        wait: seconds to wait for another smithy run on this feedstock to finish.

    Raises:
        SmithyError: on any bad input; nothing is written then. ``FeedstockBusy`` when
            another run holds the feedstock after ``wait`` seconds.
    """
    from smithy.rerender.plan import build_plan
    from smithy.rerender.writer import apply, compare, explain_removals

    root = _feedstock_root(feedstock_dir)
    with feedstock_session(root, wait=wait):
        source, matrix = variants(root, pinning=pinning, environ=environ, progress=progress)
        changes = compare(root, build_plan(root, matrix, source))
        notes = explain_removals(root, changes, matrix.finished_migrations)
        if mode == "write":
            apply(root, changes)
    warnings = recipe_warnings(root / matrix.config.recipe_dir)
    return RerenderReport(root, source, matrix, tuple(changes), mode, warnings, notes)


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
    )
    return lint_paths(list(paths), select=select, ignore=ignore, options=options)


def bump_options(
    *,
    include_pre: bool = False,
    urls: Mapping[str, str | None] | None = None,
    github_token: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> LookupOptions:
    """Return the options of a version lookup from command-line values and the environment.

    Args:
        include_pre: consider pre-releases (``--pre``).
        urls: ``{"pypi"|"github"|"crates"|"cran"|"npm": address}`` given on the command line;
            missing ones come from ``SMITHY_<KIND>_URL`` or the public service.
        github_token: a token for GitHub's API; else ``GITHUB_TOKEN``/``GH_TOKEN``.
        max_bytes: refuse downloads larger than this.
        timeout: seconds per connection and read.
        pinning: ``--pinning`` value (the recipe is rendered to find its sources).
        environ: the process environment.

    Raises:
        SmithyError: a service address that is not an http(s) URL.
    """
    from smithy.bump.check import LookupOptions
    from smithy.bump.endpoints import resolve_endpoints
    from smithy.bump.http import HttpSettings

    env = environ or {}
    endpoints = resolve_endpoints(urls or {}, env)
    token = github_token or env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or None
    http = HttpSettings(github_token=token, github_api=endpoints.github)
    if max_bytes is not None:
        http = replace(http, max_bytes=max_bytes)
    if timeout is not None:
        http = replace(http, timeout=timeout)
    return LookupOptions(include_pre, endpoints, http, pinning, env)


def check_version(feedstock: Path, options: LookupOptions) -> VersionCheck:
    """Look up whether upstream has a newer version than the feedstock's recipe.

    A pure per-feedstock task: fleets call it per folder and keep ``result.to_json()``.

    Raises:
        SmithyError: bad recipe or settings, or upstream cannot be asked.
    """
    from smithy.bump.check import check_version as check

    return check(_feedstock_root(feedstock), options)


def check_versions(feedstocks: Sequence[Path], options: LookupOptions) -> list[dict[str, Any]]:
    """Check many feedstocks in turn; each failure is that feedstock's ``error`` entry."""
    from smithy.bump.check import check_many

    return check_many(feedstocks, options)


def bump(
    feedstock: Path,
    options: LookupOptions,
    *,
    version: str | None = None,
    dry_run: bool = False,
) -> BumpReport:
    """Bump the recipe to ``version`` (or upstream's newest) with fresh checksums.

    Writes nothing when a download fails, a new URL does not resolve or a checksum does not
    match; ``dry_run`` computes the edit without writing it.

    Raises:
        SmithyError: the bump was refused, or the recipe/settings are bad.
    """
    from smithy.bump.apply import bump as run_bump

    root = _feedstock_root(feedstock)
    with feedstock_session(root):  # no other smithy run edits the recipe meanwhile
        return run_bump(root, options, version=version, dry_run=dry_run)


def commit_bump(feedstock: Path, report: BumpReport, environ: Mapping[str, str]) -> str:
    """Commit the bumped (and rerendered) feedstock on a new branch named as the bot names it.

    Returns:
        The branch name (``<version>_h<hex>``).

    Raises:
        SmithyError: not a git repository, the branch exists, or git fails.
    """
    from smithy.github.git import FeedstockGit

    git = FeedstockGit(_feedstock_root(feedstock), environ)
    git.check_repository()
    git.create_branch(report.branch)
    git.commit_all(f"updated v{report.target}")
    return report.branch


def recipe_diff(report: BumpReport) -> str:
    """Return the bump's recipe edit as a unified diff."""
    from smithy.rerender.writer import unified_diff

    return unified_diff([report.change])


# --- migrations, done as the bot does them -------------------------------------------------
def migration_context(
    name: str,
    inputs: Sequence[Path],
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
    channels: Channels | None = None,
) -> MigrationContext:
    """Migration ``name`` of the pinning over the feedstocks ``inputs`` names.

    The result's methods are the use cases: ``next()``, ``why(name)``, ``apply(...)``,
    ``close()``; its ``status`` is every feedstock's state. With ``channels``, ready feedstocks
    whose migrated jobs do not solve are not-solvable.

    Raises:
        SmithyError: a bad migration file, one the pinning does not know, unreadable inputs.
    """
    from smithy.bot.context import load_context

    env = environ or {}
    return load_context(
        name, inputs, pinning=pinning, environ=env, cache_dir=cache_dir, channels=channels
    )


def solvable(
    feedstock_dir: Path,
    channels: Channels,
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    jobs: Sequence[str] = (),
) -> tuple[JobResult, ...]:
    """Solve each CI job's (or each of ``jobs``') build, host and run environments.

    Raises:
        SmithyError: bad input, or a job the feedstock does not have.
    """
    from smithy.bot.solvable import check_matrix

    _, matrix = variants(feedstock_dir, pinning=pinning, environ=environ)
    return check_matrix(matrix, channels, jobs=jobs, where=feedstock_dir)


def fix(paths: Sequence[Path], result: LintResult) -> list[str]:
    """Rewrite each recipe with the fixers of its fixable findings (``smithy lint --fix``).

    Returns:
        One line per recipe: what was fixed, or why it was not.

    Raises:
        SmithyError: a fixed recipe cannot be written; that recipe is left unchanged.
    """
    from smithy.lint.apply import apply_fixes

    with feedstock_sessions(paths):  # finish interrupted rerenders; hold each lock
        return apply_fixes(list(paths), result)


def load_graph(
    inputs: Sequence[Path],
    *,
    pinning: str | None = None,
    platforms: Sequence[str] = (),
    cache_dir: Path | None = None,
    no_cache: bool = False,
    jobs: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> GraphInput:
    """Build the feedstock graph from feedstock folders, or load a saved ``graph.json``.

    Args:
        inputs: feedstock folders, folders of ``*-feedstock`` folders, lists, or a graph file.
        pinning: ``--pinning`` value for rendering; None for the default search.
        platforms: platforms to render; empty for each feedstock's CI platforms.
        cache_dir: the parse cache; None for ``$XDG_CACHE_HOME/smithy/graph``.
        no_cache: parse everything afresh (no cache read or written).
        jobs: parallel parse processes; None for one per CPU.
        environ: the process environment (pinning search, cache folder).

    Raises:
        SmithyError: bad inputs; a feedstock that fails to parse is a record with an error.
    """
    from smithy.graph.cache import default_cache_dir
    from smithy.graph.inputs import graph_input

    env = environ or {}
    return graph_input(
        list(inputs),
        platforms=platforms,
        pinning=pinning,
        environ=env,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir(env)),
        workers=jobs,
    )
