"""Read what registration needs from a feedstock's recipe: the feedstock name and maintainers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from smithy.errors import RecipeParseError
from smithy.matrix.recipe_render import render_recipe
from smithy.pinning.source import resolve_pinning

# Registration does not depend on the variant: one platform's first render is enough.
_PLATFORM = "linux-64"


@dataclass(frozen=True, slots=True)
class FeedstockInfo:
    """The recipe facts GitHub registration uses.

    Attributes:
        name: the feedstock name without ``-feedstock`` (``extra.feedstock-name``, else
            ``extra.parent_recipe.name``, else the package name).
        maintainers: ``extra.recipe-maintainers`` as written (users and ``org/team`` entries).
        recipe_path: the recipe file, as shown in messages.
    """

    name: str
    maintainers: tuple[str, ...]
    recipe_path: str

    @property
    def repo_name(self) -> str:
        """The repository name, ``<name>-feedstock``."""
        return f"{self.name}-feedstock"


def read_feedstock(
    path: Path, environ: Mapping[str, str], pinning: str | None = None
) -> FeedstockInfo:
    """Render the recipe at ``path`` once (linux-64, first variant) and return its identity.

    Args:
        path: the feedstock root, a recipe folder or a recipe file.
        environ: the process environment, read only for the pinning search.
        pinning: ``--pinning`` value; None to use the default search.

    Raises:
        SmithyError: the recipe cannot be read or rendered.
    """
    report = render_recipe(path, resolve_pinning(pinning, environ), (_PLATFORM,))
    renders = report.platforms[0].renders if report.platforms else ()
    if not renders:
        raise RecipeParseError("the recipe renders no package", report.recipe.span())
    first = renders[0]
    if not first.feedstock_name:
        raise RecipeParseError("the recipe has no package name", report.recipe.span())
    listed = first.extra.get("recipe-maintainers")
    if listed is not None and not isinstance(listed, list | tuple):
        raise RecipeParseError(
            "extra.recipe-maintainers must be a list of GitHub logins", report.recipe.span()
        )
    return FeedstockInfo(
        name=first.feedstock_name,
        maintainers=first.maintainers,
        recipe_path=report.recipe.display_path,
    )
