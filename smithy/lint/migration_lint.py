"""``smithy migration lint``'s use case: the migration rules, against the chosen pinning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smithy.lint.engine import LintResult


def run(
    paths: Sequence[Path],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> LintResult:
    """Lint migration files with the migration rules (what ``smithy migration lint`` reports).

    Args:
        paths: migration files.
        select: rule code prefixes or names to run (all migration rules when empty).
        ignore: rule code prefixes or names not to run.
        pinning: ``--pinning`` value: its keys and zip_keys are checked against.
        environ: the process environment, for the pinning lookup.

    Raises:
        SmithyError: a ``select``/``ignore`` word matches no rule, the pinning or a file
            cannot be read.
    """
    from smithy.lint.migration_engine import lint_migration_files
    from smithy.lint.registry import check_patterns
    from smithy.pinning.source import resolve_pinning
    from smithy.variants.pinning import all_keys, load_variant_file

    check_patterns([*select, *ignore])
    source = resolve_pinning(pinning, dict(environ or {}))
    zips = load_variant_file(source.cbc, platform="linux-64", env={}).zip_keys
    return lint_migration_files(
        paths,
        select=select,
        ignore=ignore,
        pinning_keys=all_keys(source.cbc),
        pinning_zips=zips,
    )
