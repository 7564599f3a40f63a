"""The source edits of a migration PR, on a scratch copy: migration file, patches, bump."""

from __future__ import annotations

import shutil
from pathlib import Path

from smithy.bot.bump import Bumped, bump_meta_yaml, bump_recipe_yaml
from smithy.bot.cfyml import patch_conda_forge_yml
from smithy.bot.migration import BotMigration
from smithy.errors import SmithyError, Span
from smithy.recipe.load import load_recipe


def scratch_copy(feedstock: Path, into: Path) -> Path:
    """Copy the feedstock (without ``.git``) to ``into/<same name>``: rendering reads disk."""
    target = into / feedstock.name
    shutil.copytree(feedstock, target, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    return target


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _recipe_file(feedstock: Path) -> Path:
    raw = load_recipe(feedstock)
    return Path(raw.path)


def bump_recipe(feedstock: Path, by: int) -> Bumped:
    """Raise the build number of the feedstock's recipe file in place."""
    path = _recipe_file(feedstock)
    text = path.read_text(encoding="utf-8")
    shown = str(path)
    bumped = (
        bump_recipe_yaml(text, by, shown)
        if path.name == "recipe.yaml"
        else bump_meta_yaml(text, by, shown)
    )
    path.write_text(bumped.text, encoding="utf-8")
    return bumped


def edit_sources(feedstock: Path, migration: BotMigration) -> Bumped | None:
    """What the bot writes before rerendering (the build number is bumped unless by 0).

    Raises:
        SmithyError: conda-forge.yml or the recipe cannot be edited.
    """
    copy = feedstock / ".ci_support" / "migrations" / f"{migration.name}.yaml"
    _write(copy, migration.raw.text)
    if migration.patches:
        config = feedstock / "conda-forge.yml"
        try:
            text = config.read_text(encoding="utf-8") if config.is_file() else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise SmithyError(f"cannot read: {exc}", Span(str(config))) from None
        _write(config, patch_conda_forge_yml(text, migration.patches, str(config)))
    if migration.bump == 0:
        return None
    return bump_recipe(feedstock, migration.bump)
