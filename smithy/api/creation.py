"""New feedstocks: ``<name>-feedstock/`` from a recipe, as conda-forge's staged-recipes does."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.api.rerendering import rerender

if TYPE_CHECKING:
    from smithy.init_feedstock import InitResult


def init_feedstock(
    recipe_dir: Path,
    *,
    feedstock_dir: Path | None = None,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    rerender_it: bool = True,
    git: bool = True,
) -> InitResult:
    """Copy the recipe to ``recipe/``, write conda-forge.yml, rerender, commit on ``main``.

    Args:
        recipe_dir: the recipe file or folder.
        feedstock_dir: where to create the feedstock; ``<name>-feedstock`` next to it if None.
        pinning: ``--pinning`` value for the rerender.
        environ: the process environment (pinning search, git identity).
        rerender_it: rerender the new feedstock before the commit.
        git: ``git init`` and commit.

    Raises:
        SmithyError: the recipe cannot be read, the folder exists, or git fails.
    """
    from smithy.init_feedstock import init_feedstock as create

    env = environ or {}

    def run(root: Path) -> object:
        return rerender(root, pinning=pinning, environ=env, mode="write")

    return create(
        recipe_dir,
        feedstock_dir=feedstock_dir,
        pinning=pinning,
        environ=env,
        rerender=run if rerender_it else None,
        git=git,
    )
