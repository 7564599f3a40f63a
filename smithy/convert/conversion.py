"""The convert use case on one feedstock: plan, verify, and write only what was proven."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.convert.model import META, RECIPE, ConvertIssue, Difference
from smithy.errors import SmithyError, Span

if TYPE_CHECKING:
    from smithy.config.schema import FeedstockConfig
    from smithy.convert.check import RenderFn
    from smithy.matrix.render import FeedstockMatrix

# The front door imports this module for every command: the conversion machinery is imported
# only when a conversion runs.


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    """The switches of ``smithy convert``.

    Attributes:
        dry_run: convert and verify, write nothing.
        force: write despite issues or differences.
        keep_meta: keep meta.yaml beside the new recipe.yaml.
        verify_only: compare an existing recipe.yaml with meta.yaml; convert nothing.
    """

    dry_run: bool = False
    force: bool = False
    keep_meta: bool = False
    verify_only: bool = False


@dataclass(frozen=True, slots=True)
class ConvertReport:
    """What ``smithy convert`` found and did.

    Attributes:
        feedstock: the feedstock root.
        meta_path: the meta.yaml converted (or compared with).
        issues: what could not be converted mechanically, by meta.yaml line.
        differences: where the two recipes render differently (empty: proven).
        recipe_text: the converted recipe.yaml ("" with ``verify_only``).
        written: whether files were written (the caller then rerenders).
        matrix: when written, the build matrix of the feedstock as written, from the proof's
            render (the rerender reuses it); None when that recipe did not render.
    """

    feedstock: Path
    meta_path: Path
    issues: tuple[ConvertIssue, ...]
    differences: tuple[Difference, ...]
    recipe_text: str
    written: bool
    matrix: FeedstockMatrix | None = None

    @property
    def clean(self) -> bool:
        """Nothing left to convert by hand and nothing rendering differently."""
        return not self.issues and not self.differences


def _verify_only(
    root: Path, recipe_dir: Path, config: FeedstockConfig, render: RenderFn
) -> ConvertReport:
    from smithy.convert.check import verify_existing

    for name in (RECIPE, META):
        if not (recipe_dir / name).is_file():
            hint = " (convert with --keep-meta)" if name == META else ""
            raise SmithyError(f"no {name} to compare{hint}", Span(str(recipe_dir / name)))
    found = verify_existing(root, recipe_dir, config, render)
    return ConvertReport(root, recipe_dir / META, (), found, "", written=False)


def run_conversion(root: Path, options: ConvertOptions, render: RenderFn) -> ConvertReport:
    """Convert (or, with ``verify_only``, compare) the feedstock at ``root``.

    Args:
        root: the feedstock root.
        options: the command's switches.
        render: renders a recipe in the feedstock (both recipes go through the same function).

    Raises:
        SmithyError: bad input; nothing is written then.
    """
    from smithy.convert.check import verify_conversion
    from smithy.convert.feedstock import apply_conversion, plan_conversion
    from smithy.matrix.space import config_in

    config = config_in(root)
    recipe_dir = root / config.recipe_dir
    if options.verify_only:
        return _verify_only(root, recipe_dir, config, render)
    plan = plan_conversion(root, recipe_dir)
    if not plan.recipe_text:
        # Nothing converted: when meta.yaml itself does not render (empty, not a mapping, an
        # alias bomb), that is bad input, reported as rerender reports it; else the issues.
        render(root, plan.meta_recipe, config)
        return ConvertReport(root, plan.meta_path, plan.issues, (), "", written=False)
    verified = verify_conversion(plan, config, render, plan.recipe_text)
    differences, recipe_text = verified.differences, verified.recipe_text
    issues = tuple(sorted(plan.issues + verified.issues, key=lambda issue: issue.line))
    clean = not issues and not differences
    if options.dry_run or not (clean or options.force):
        return ConvertReport(root, plan.meta_path, issues, differences, recipe_text, written=False)
    apply_conversion(plan, recipe_text, keep_meta=options.keep_meta)
    matrix = verified.after.matrix if verified.after is not None else None
    return ConvertReport(root, plan.meta_path, issues, differences, recipe_text, True, matrix)


def convert(
    feedstock_dir: Path,
    *,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    dry_run: bool = False,
    force: bool = False,
    keep_meta: bool = False,
    verify_only: bool = False,
) -> ConvertReport:
    """Convert meta.yaml to recipe.yaml and prove both render the same (``smithy convert``).

    Nothing is written with issues or differences (unless ``force``), with ``dry_run`` or
    with ``verify_only`` (which compares an existing recipe.yaml instead); ``keep_meta``
    leaves meta.yaml in place. After a write the caller rerenders the feedstock.

    Raises:
        SmithyError: bad input (no meta.yaml, bad conda-forge.yml or pinning, the old recipe
            does not render); nothing is written then.
    """
    from smithy.convert.matrix_view import rendered_recipe
    from smithy.pinning.source import resolve_pinning

    if not feedstock_dir.is_dir():
        raise SmithyError("no such feedstock folder", Span(str(feedstock_dir)))
    source = resolve_pinning(pinning, environ or {})
    options = ConvertOptions(dry_run, force, keep_meta, verify_only)
    return run_conversion(
        feedstock_dir,
        options,
        lambda root, recipe, config: rendered_recipe(root, recipe, config, source),
    )
