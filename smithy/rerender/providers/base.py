"""The interface every CI provider implements, and helpers the providers share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.rerender.ci_views import JobView
from smithy.rerender.model import FeedstockFacts, PlannedFile


class CiProvider(ABC):
    """A CI service that runs a feedstock's jobs from files it generates.

    Attributes:
        name: the provider's name in conda-forge.yml and on ``CiJob.provider``.
        build_oses: the build OSes it can run (``linux``, ``osx``, ``win``).
    """

    name: str
    build_oses: tuple[str, ...]

    @abstractmethod
    def job_views(self, jobs: Sequence[CiJob], config: FeedstockConfig) -> tuple[JobView, ...]:
        """Return the views of this provider's ``jobs`` (runners, settings), in job order."""

    @abstractmethod
    def files(
        self,
        views: Sequence[JobView],
        config: FeedstockConfig,
        facts: FeedstockFacts,
        feedstock_dir: Path,
    ) -> dict[str, PlannedFile]:
        """Return the provider's workflow files for ``views`` (never empty ``views``)."""

    @abstractmethod
    def owned_paths(self) -> tuple[str, ...]:
        """Return every path the provider may generate; the unplanned ones are stale."""

    def disabled_files(
        self, config: FeedstockConfig, facts: FeedstockFacts, feedstock_dir: Path
    ) -> dict[str, PlannedFile]:
        """Return the files kept when the provider has no job (none unless overridden)."""
        del config, facts, feedstock_dir
        return {}
