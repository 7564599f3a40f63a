"""Run the proof: render meta.yaml and the converted recipe.yaml in the feedstock, compare.

Both recipes are rendered where they are (the converted one from memory, see
``feedstock.in_recipe_dir``): nothing is copied. The rendering itself (recipe x pinning x
conda-forge.yml -> per-platform renders and ``.ci_support`` jobs) is passed in, so this package
depends on no other consumer of the matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from smithy.config.schema import FeedstockConfig
from smithy.convert.feedstock import ConversionPlan
from smithy.convert.model import META, RECIPE, ConvertIssue, Difference
from smithy.convert.variant_keys import (
    KeyChanges,
    gained_on_some_platforms,
    key_changes,
    selected_line,
    with_key_changes,
)
from smithy.convert.verify import RenderedFeedstock, compare, spelling
from smithy.errors import SmithyError
from smithy.recipe.load import load_recipe
from smithy.recipe.model import RawRecipe

# (feedstock root, recipe, conda-forge.yml) -> the recipe's renders and CI jobs
RenderFn = Callable[[Path, RawRecipe, FeedstockConfig], RenderedFeedstock]


@dataclass(frozen=True, slots=True)
class Verified:
    """The comparison's result, with the recipe text it was made for.

    ``issues`` explain differences no spelling of recipe.yaml avoids, by meta.yaml line;
    ``after`` is that text's render (None when it did not render).
    """

    differences: tuple[Difference, ...]
    recipe_text: str
    issues: tuple[ConvertIssue, ...] = ()
    after: RenderedFeedstock | None = None


def _platform_key_issues(
    meta_text: str, gained: dict[str, tuple[str, ...]]
) -> tuple[ConvertIssue, ...]:
    return tuple(
        ConvertIssue(
            selected_line(meta_text, key),
            f"variant key '{key}' is used on some platforms only (a selected line); "
            "build.variant.use_keys cannot be conditional (rattler-build ignores if/then "
            f"items there), so recipe.yaml also uses it on {', '.join(platforms)}",
            "accept the extra CI key there with --force, or keep meta.yaml",
        )
        for key, platforms in gained.items()
    )


def _render_after(
    render: RenderFn, root: Path, recipe: RawRecipe, config: FeedstockConfig
) -> RenderedFeedstock | Difference:
    try:
        return render(root, recipe, config)
    except SmithyError as error:
        return Difference("*", "*", "render", "ok", f"recipe.yaml: {error.message}")


def verify_existing(
    root: Path, recipe_dir: Path, config: FeedstockConfig, render: RenderFn
) -> tuple[Difference, ...]:
    """Compare the recipe.yaml beside meta.yaml with it (a conversion done by any tool)."""
    meta = load_recipe(recipe_dir / META)
    before = render(root, meta, config)
    recipe = load_recipe(recipe_dir / RECIPE)
    after = _render_after(render, root, recipe, config)
    if isinstance(after, Difference):
        return (after,)
    return compare(before, after, spelling(meta.text, recipe.text))


def verify_conversion(
    plan: ConversionPlan, config: FeedstockConfig, render: RenderFn, recipe_text: str
) -> Verified:
    """Verify the converted texts, keeping the variant keys conda-build counted.

    ``config`` is the feedstock's conda-forge.yml as it is (meta.yaml renders with it; the
    converted recipe with the planned one). conda-build counts a variant key as used from
    its text scan of meta.yaml (say ``vc`` in ``ignore_run_exports``), rattler-build from the
    expressions it evaluates. Keys only one side counted are named in
    ``build.variant.use_keys``/``ignore_keys`` (see ``variant_keys``) so the CI matrix (and the
    package hashes) stay what they were; the comparison is then run again and the widened
    recipe kept if it differs less.

    Raises:
        SmithyError: meta.yaml does not render, or the planned conda-forge.yml is refused.
    """
    before = render(plan.root, plan.meta_recipe, config)
    written = plan.written_config()

    def after_for(text: str) -> RenderedFeedstock | Difference:
        recipe = plan.recipe_in_place(text)
        return _render_after(render, plan.root, recipe, written)

    after = after_for(recipe_text)
    if isinstance(after, Difference):
        return Verified((after,), recipe_text)
    found = compare(before, after, spelling(plan.meta_text, recipe_text))
    best = Verified(found, recipe_text, after=after)
    changes = key_changes(before.ci_files, after.ci_files)
    for widened in _widenings(recipe_text, changes):
        if not best.differences:
            break  # nothing to gain from widening a proven conversion
        retry = after_for(widened)
        if isinstance(retry, Difference):
            continue
        again = compare(before, retry, spelling(plan.meta_text, widened))
        if len(again) < len(best.differences):
            gained = gained_on_some_platforms(before.ci_files, retry.ci_files, changes.use)
            issues = _platform_key_issues(plan.meta_text, gained)
            best = Verified(again, widened, issues, retry)
    return best


def _widenings(recipe_text: str, changes: KeyChanges) -> Iterator[str]:
    """The recipe with ``changes`` written in, then with some kept keys at the top instead.

    The second text (made only when it differs) puts a kept key at the top level when each
    output pinning it is skipped on some platform: conda-build may count the key where that
    output is skipped (fftw) or not (zlib), and the proof decides. Each text is made only
    when the one before did not prove the conversion.
    """
    if not changes:
        return
    widened = with_key_changes(recipe_text, changes)
    yield widened
    other = with_key_changes(recipe_text, changes, skipped_to_top=True)
    if other != widened:
        yield other
