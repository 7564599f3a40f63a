"""The one place the conversion reads a feedstock's build matrix (``smithy.matrix``)."""

from __future__ import annotations

from pathlib import Path

from smithy.convert.verify import RenderedFeedstock
from smithy.pinning.model import PinningSource


def rendered_feedstock(root: Path, pinning: PinningSource) -> RenderedFeedstock:
    """The feedstock's renders per target platform and its ``.ci_support`` job configs."""
    from smithy.matrix.render import render_feedstock

    matrix = render_feedstock(root, pinning)
    renders = {p.target.platform: p.rendered.renders for p in matrix.platforms}
    return RenderedFeedstock(renders, {job.ci_support_path: job.config for job in matrix.jobs})
