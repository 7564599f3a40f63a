"""A feedstock's conversion: plan the new files in memory, then write what was proven."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from smithy import yaml
from smithy.atomic.journal import Step, apply_steps
from smithy.config.load import parse_config, refuse_invalid
from smithy.config.schema import FeedstockConfig
from smithy.convert.model import META, RECIPE, ConvertIssue
from smithy.convert.recipe_text import convert_recipe_text
from smithy.convert.round_trip import round_trip_yaml
from smithy.errors import ConfigError, RecipeParseError, Span
from smithy.recipe.load import display_path
from smithy.recipe.model import RawRecipe, RecipeFormat
from smithy.textfile import read_user_text

CONFIG_FILE = "conda-forge.yml"


@dataclass(frozen=True, slots=True)
class ConversionPlan:
    """The files a conversion writes.

    Attributes:
        root: the feedstock root.
        recipe_dir: the recipe folder.
        meta_text: meta.yaml as read.
        recipe_text: the new recipe.yaml (empty when meta.yaml could not be read as YAML).
        config_text: conda-forge.yml with ``conda_build_tool: rattler-build``.
        issues: what cannot be converted mechanically, by meta.yaml line.
    """

    root: Path
    recipe_dir: Path
    meta_text: str
    recipe_text: str
    config_text: str
    issues: tuple[ConvertIssue, ...]

    @property
    def meta_path(self) -> Path:
        """The recipe being converted."""
        return self.recipe_dir / META

    @property
    def meta_recipe(self) -> RawRecipe:
        """meta.yaml as the renderer reads it (from the text already read)."""
        return in_recipe_dir(self.recipe_dir, META, self.meta_text)

    def recipe_in_place(self, text: str) -> RawRecipe:
        """The converted recipe.yaml ``text`` as if written into the recipe folder."""
        return in_recipe_dir(self.recipe_dir, RECIPE, text)

    def written_config(self) -> FeedstockConfig:
        """The planned conda-forge.yml as rerender will read it once written.

        Raises:
            ConfigError: a value conda-smithy's schema refuses.
        """
        path = self.root / CONFIG_FILE
        shown = display_path(path)
        return refuse_invalid(
            parse_config(self.config_text, display_path=shown, source_path=str(path))
        )


def in_recipe_dir(recipe_dir: Path, name: str, text: str) -> RawRecipe:
    """``text`` as the recipe file ``name`` of ``recipe_dir``, rendered without being written.

    The renderer reads only the folder of a recipe (its other files), never the recipe file
    again, so a converted recipe is proven in place: no copy of the feedstock is made.
    """
    path = recipe_dir.resolve() / name
    fmt = RecipeFormat.V1 if name == RECIPE else RecipeFormat.V0
    return RawRecipe(path=path, format=fmt, text=text, display_path=display_path(path))


def rattler_build_config(text: str, shown: str) -> str:
    """conda-forge.yml ``text`` switched to rattler-build (comments and order kept).

    Raises:
        ConfigError: the text is not a YAML mapping.
    """
    try:
        # smithy's reader first: its errors name the line (ruamel's span several lines).
        yaml.compose(text, shown)
    except yaml.YamlError as error:
        raise ConfigError(error.message, error.span) from None
    try:
        loaded = round_trip_yaml().load(text) if text.strip() else CommentedMap()
    except (YAMLError, ValueError, RecursionError) as error:
        # ValueError, RecursionError: ruamel's constructors (huge integer, deep nesting)
        raise ConfigError(f"invalid YAML: {error}", Span(shown)) from None
    if loaded is None:
        loaded = CommentedMap()
    if not isinstance(loaded, CommentedMap):
        raise ConfigError("conda-forge.yml is not a mapping", Span(shown))
    if "conda_build_tool" in loaded:
        loaded["conda_build_tool"] = "rattler-build"
    else:
        loaded.insert(0, "conda_build_tool", "rattler-build")
    stream = io.StringIO()
    round_trip_yaml().dump(loaded, stream)
    return stream.getvalue()


def plan_conversion(root: Path, recipe_dir: Path) -> ConversionPlan:
    """Convert ``recipe_dir/meta.yaml`` and the feedstock's conda-forge.yml, in memory.

    Raises:
        RecipeParseError: there is no meta.yaml.
        ConfigError: conda-forge.yml is not a YAML mapping.
    """
    meta = recipe_dir / META
    if not meta.is_file():
        raise RecipeParseError("no meta.yaml to convert", Span(str(meta)))
    text = read_user_text(meta, str(meta), RecipeParseError)
    files = frozenset(path.name for path in recipe_dir.iterdir())
    converted = convert_recipe_text(text, files)
    config_path = root / CONFIG_FILE
    config = (
        read_user_text(config_path, str(config_path), ConfigError) if config_path.is_file() else ""
    )
    return ConversionPlan(
        root=root,
        recipe_dir=recipe_dir,
        meta_text=text,
        recipe_text=converted.text,
        config_text=rattler_build_config(config, str(config_path)),
        issues=converted.issues,
    )


def apply_conversion(plan: ConversionPlan, recipe_text: str, *, keep_meta: bool) -> list[Path]:
    """Write ``recipe_text`` and the planned conda-forge.yml; remove meta.yaml unless kept.

    The files change together through the feedstock's journal, as a rerender's do: a kill
    midway never leaves recipe.yaml beside a meta.yaml that was meant to go.
    """
    touched = [plan.recipe_dir / RECIPE, plan.root / CONFIG_FILE]
    steps = [
        _placed(plan.root, touched[0], recipe_text),
        _placed(plan.root, touched[1], plan.config_text),
    ]
    if not keep_meta:
        touched.append(plan.meta_path)
        steps.append(Step(plan.meta_path.relative_to(plan.root).as_posix(), None))
    apply_steps(plan.root, steps, what="the conversion")
    return touched


def _placed(root: Path, path: Path, text: str) -> Step:
    """A journal step writing ``text`` at ``path``, keeping an existing file's permissions."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    return Step(path.relative_to(root).as_posix(), text.encode("utf-8"), mode)
