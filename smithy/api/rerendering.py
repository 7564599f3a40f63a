"""Rerendering: regenerate a feedstock's CI files from its recipe, config and the pinning."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.api.feedstocks import feedstock_root
from smithy.api.recipes import recipe_warnings, variants
from smithy.atomic.session import feedstock_session
from smithy.pinning.source import resolve_pinning
from smithy.rerender.outcome import RerenderMode as RerenderMode
from smithy.rerender.outcome import RerenderReport as RerenderReport

if TYPE_CHECKING:
    from smithy.matrix.render import FeedstockMatrix, ProgressFn


def rerender(
    feedstock_dir: Path,
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    mode: RerenderMode = "write",
    progress: ProgressFn | None = None,
    wait: float = 0.0,
    matrix: FeedstockMatrix | None = None,
    helpers: int = 0,
) -> RerenderReport:
    """Regenerate the feedstock's CI files from its recipe, conda-forge.yml and the pinning.

    Args:
        feedstock_dir: the feedstock root (holding ``recipe/`` and ``conda-forge.yml``).
        pinning: ``--pinning`` value; None for the default search.
        environ: the process environment: pinning lookup, and the user cache folder where
            compiled CI templates and prepared recipe templates are kept (None: none kept).
        mode: ``write`` applies the plan; ``dry-run`` and ``check`` only compare.
        progress: called with a short message as each platform is rendered.
        wait: seconds to wait for another smithy run on this feedstock to finish.
        matrix: the feedstock's build matrix, rendered by the caller from the files as they
            now are (convert's proof renders the recipe it writes); None renders it here.
        helpers: forked processes rendering platforms alongside this one (0: none; the
            matrix and the files are the same either way).

    Raises:
        SmithyError: on any bad input; nothing is written then. ``FeedstockBusy`` when
            another run holds the feedstock after ``wait`` seconds.
    """
    from smithy.recipe.jinja_store import recipe_cache_dir, recipe_template_cache
    from smithy.rerender.plan import build_plan
    from smithy.rerender.template_cache import template_cache_dir
    from smithy.rerender.templating import compiled_template_cache
    from smithy.rerender.writer import apply, compare, explain_removals

    root = feedstock_root(feedstock_dir)
    templates = compiled_template_cache(template_cache_dir(environ))
    recipe_templates = recipe_template_cache(recipe_cache_dir(environ))
    with feedstock_session(root, wait=wait), templates, recipe_templates:
        if matrix is None:
            source, matrix = variants(
                root, pinning=pinning, environ=environ, progress=progress, helpers=helpers
            )
        else:
            source = resolve_pinning(pinning, environ or {})
        changes = compare(root, build_plan(root, matrix, source))
        notes = explain_removals(root, changes, matrix.finished_migrations)
        if mode == "write":
            apply(root, changes)
    warnings = recipe_warnings(root / matrix.config.recipe_dir)
    return RerenderReport(root, source, matrix, tuple(changes), mode, warnings, notes)
