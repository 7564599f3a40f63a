"""What a rerender did or would do: the value ``smithy.api.rerender`` returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from smithy.records import record

if TYPE_CHECKING:
    from pathlib import Path

    from smithy.matrix.render import FeedstockMatrix
    from smithy.pinning.model import PinningSource
    from smithy.recipe.unevaluated import RecipeWarning
    from smithy.rerender.writer import FileChange, RemovalNote

RerenderMode = Literal["write", "dry-run", "check"]


@record
class RerenderReport:
    """What ``smithy rerender`` did or would do.

    Attributes:
        feedstock: the feedstock root.
        pinning: where the global pinning came from.
        matrix: the build matrix (jobs per platform).
        changes: one entry per planned or removed file, sorted by path.
        mode: ``write`` (applied), ``dry-run`` or ``check`` (nothing written).
        warnings: calls in the recipe smithy does not evaluate (their values rendered empty).
        removal_notes: files in ``.ci_support/`` smithy did not write that are (to be)
            removed, with the reason.
    """

    feedstock: Path
    pinning: PinningSource
    matrix: FeedstockMatrix
    changes: tuple[FileChange, ...]
    mode: RerenderMode
    warnings: tuple[RecipeWarning, ...] = ()
    removal_notes: tuple[RemovalNote, ...] = ()

    @property
    def out_of_date(self) -> bool:
        """Whether the feedstock on disk differs from the plan."""
        return any(change.changes_anything for change in self.changes)

    @property
    def job_count(self) -> int:
        """How many job configs (``.ci_support`` files) the matrix has."""
        return len({job.config_name for job in self.matrix.jobs})
