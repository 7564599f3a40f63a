"""Render a recipe on every platform and collect the URL sources each platform selects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smithy.bump.errors import BumpError
from smithy.matrix.space import platform_space, recipe_inputs
from smithy.matrix.variant_render import render_platform_variants
from smithy.pinning.model import PinningSource
from smithy.platforms import MAIN_PLATFORMS
from smithy.recipe.model import RawRecipe


@dataclass(frozen=True, slots=True)
class SourceUse:
    """One URL source as one platform's variant selects it.

    Attributes:
        platform: the target platform.
        index: the source's position among that render's sources.
        urls: its URL and mirrors, rendered.
        sha256: its checksum as written (None when it has none).
    """

    platform: str
    index: int
    urls: tuple[str, ...]
    sha256: str | None


def source_uses(
    raw: RawRecipe, pinning: PinningSource, platforms: Sequence[str] = MAIN_PLATFORMS
) -> tuple[SourceUse, ...]:
    """Return every distinct URL source of ``raw`` per platform and variant, in render order.

    ``git``/``path`` sources are left out: they carry no checksum a bump could refresh.
    """
    inputs = recipe_inputs(raw, pinning.cbc)
    seen: dict[tuple[str, int, tuple[str, ...], str | None], None] = {}
    for platform in platforms:
        space, context = platform_space(inputs, platform)
        for render in render_platform_variants(raw, space, context).renders:
            for index, source in enumerate(render.sources):
                if source.url:
                    seen.setdefault((platform, index, source.url, source.sha256), None)
    return tuple(SourceUse(*key) for key in seen)


def pair_uses(
    old: Sequence[SourceUse], new: Sequence[SourceUse], raw: RawRecipe
) -> dict[str, tuple[str, ...]]:
    """Map each old checksum to the new URLs the same sources render to after the edit.

    Raises:
        BumpError: the sources do not line up (the edit changed which sources exist), a source
            has no sha256, or one checksum would need two different new values.
    """
    before = {(use.platform, use.index, use.sha256) for use in old}
    after: dict[tuple[str, int], set[tuple[str, ...]]] = {}
    for use in new:
        after.setdefault((use.platform, use.index), set()).add(use.urls)
    pairs: dict[str, set[tuple[str, ...]]] = {}
    for platform, index, sha in sorted(before, key=str):
        if not sha:
            raise BumpError(f"source {index + 1} on {platform} has no sha256 to update", raw.span())
        urls = after.get((platform, index))
        if not urls:
            raise BumpError(f"source {index + 1} on {platform} vanished after the edit", raw.span())
        pairs.setdefault(sha.lower(), set()).update(urls)
    result: dict[str, tuple[str, ...]] = {}
    for sha, url_sets in pairs.items():
        if len(url_sets) != 1:
            raise BumpError(
                f"sha256 {sha[:12]}... is shared by sources whose new URLs differ; "
                "give each its own checksum",
                raw.span(),
            )
        result[sha] = next(iter(url_sets))
    return result
