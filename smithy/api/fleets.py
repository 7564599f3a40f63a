"""Many feedstocks at once: ``api.fleet`` is :mod:`smithy.fleet.usecases` (``api.fleet.run``)."""

from __future__ import annotations

from smithy.fleet import usecases as fleet

__all__ = ["fleet"]
