"""The global pinning a run uses, as every layer above sees it."""

from __future__ import annotations

from pathlib import Path

from smithy.records import frozen_record


@frozen_record
class PinningSource:
    """The global pinning chosen for a run.

    Attributes:
        path: the folder holding ``conda_build_config.yaml``.
        cbc: the ``conda_build_config.yaml`` file itself.
        migrations_dir: the pinning's migrations folder, None when it has none.
        origin: how it was found: ``--pinning``, ``SMITHY_PINNING``, ``conda prefix`` or
            ``embedded default``.
        version: the pinning's version when a version record was found, else ``unknown``.
    """

    path: Path
    cbc: Path
    migrations_dir: Path | None
    origin: str
    version: str
