"""Run the proof: render a copy with only meta.yaml and one with only recipe.yaml, compare.

The rendering itself (recipe x pinning x conda-forge.yml -> per-platform renders and
``.ci_support`` jobs) is passed in, so this package depends on no other consumer of the matrix.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from smithy.convert.feedstock import stage, write_new_files
from smithy.convert.model import META, RECIPE, Difference
from smithy.convert.verify import RenderedFeedstock, compare, deferred_pins, dropped_keys
from smithy.errors import SmithyError

RenderFn = Callable[[Path], RenderedFeedstock]


@dataclass(frozen=True, slots=True)
class Verified:
    """The comparison's result, with the recipe text it was made for."""

    differences: tuple[Difference, ...]
    recipe_text: str


def _render_after(render: RenderFn, root: Path) -> RenderedFeedstock | Difference:
    try:
        return render(root)
    except SmithyError as error:
        return Difference("*", "*", "render", "ok", f"recipe.yaml: {error.message}")


def verify_existing(root: Path, recipe_dir: Path, render: RenderFn) -> tuple[Difference, ...]:
    """Compare the recipe.yaml beside meta.yaml with it (a conversion done by any tool)."""
    with tempfile.TemporaryDirectory(prefix="smithy-convert-") as scratch:
        before = render(stage(root, Path(scratch) / "a", keep=META, recipe_dir=recipe_dir))
        after_root = stage(root, Path(scratch) / "b", keep=RECIPE, recipe_dir=recipe_dir)
        after = _render_after(render, after_root)
    if isinstance(after, Difference):
        return (after,)
    text = (recipe_dir / RECIPE).read_text(encoding="utf-8", errors="replace")
    return compare(before, after, deferred_pins(text))


def verify_conversion(
    root: Path, recipe_dir: Path, render: RenderFn, recipe_text: str, config_text: str
) -> Verified:
    """Verify the converted texts, keeping variant keys only conda-build's text scan used.

    conda-build counts a variant key as used when its name appears in the recipe (say
    ``vc`` in ``ignore_run_exports``); rattler-build only when it is a bare dependency or
    a jinja variable. Such keys are named in ``build.variant.use_keys`` so the CI matrix
    (and the package hashes) stay what they were; the comparison is then run again.
    """
    with tempfile.TemporaryDirectory(prefix="smithy-convert-") as scratch:
        before = render(stage(root, Path(scratch) / "a", keep=META, recipe_dir=recipe_dir))

        def after_for(text: str, name: str) -> RenderedFeedstock | Difference:
            after_root = stage(root, Path(scratch) / name, keep=RECIPE, recipe_dir=recipe_dir)
            write_new_files(
                after_root, after_root / recipe_dir.relative_to(root), text, config_text
            )
            return _render_after(render, after_root)

        after = after_for(recipe_text, "b")
        if isinstance(after, Difference):
            return Verified((after,), recipe_text)
        keys = dropped_keys(before, after)
        if keys:
            widened = with_use_keys(recipe_text, keys)
            retry = after_for(widened, "c")
            if not isinstance(retry, Difference):
                return Verified(compare(before, retry, deferred_pins(widened)), widened)
    return Verified(compare(before, after, deferred_pins(recipe_text)), recipe_text)


def with_use_keys(recipe_text: str, keys: set[str]) -> str:
    """recipe.yaml text with ``keys`` added to the top-level ``build.variant.use_keys``."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    document = yaml.load(recipe_text)
    build = document.get("build")
    if not isinstance(build, CommentedMap):
        build = CommentedMap()
        position = list(document).index("source") + 1 if "source" in document else 2
        document.insert(min(position, len(document)), "build", build)
    variant = build.setdefault("variant", CommentedMap())
    use = variant.setdefault("use_keys", CommentedSeq())
    use.extend(sorted(keys - set(use)))
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()
