"""The one place the conversion reads a feedstock's build matrix.

The matrix (recipe x pinning x conda-forge.yml -> per-platform renders and CI jobs) is
computed by ``smithy.rerender.compute`` today; this adapter is the small, named interface
through which ``convert`` uses it (and the only line to change when it moves to a matrix layer).
"""

from __future__ import annotations

from pathlib import Path

from smithy.convert.verify import RenderedFeedstock
from smithy.variants.source import PinningSource


def rendered_feedstock(root: Path, pinning: PinningSource) -> RenderedFeedstock:
    """The feedstock's renders per target platform and its ``.ci_support`` job configs."""
    from smithy.rerender.compute import compute_matrix

    matrix = compute_matrix(root, pinning)
    renders = {p.target.platform: p.rendered.renders for p in matrix.platforms}
    return RenderedFeedstock(renders, {job.ci_support_path: job.config for job in matrix.jobs})
