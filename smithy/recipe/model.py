"""The recipe model shared by both formats: raw (as read) and rendered (per platform + variant)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from enum import StrEnum
from pathlib import Path
from typing import Any

from smithy.errors import Span
from smithy.records import record


class RecipeFormat(StrEnum):
    """The two recipe formats: conda-build's meta.yaml (v0) and rattler-build's recipe.yaml (v1)."""

    V0 = "meta.yaml"
    V1 = "recipe.yaml"


@record
class RawRecipe:
    """A recipe file as read from disk, before selectors, jinja or variants are applied.

    Attributes:
        path: the recipe file (``.../recipe/meta.yaml`` or ``.../recipe/recipe.yaml``).
        format: which of the two formats it is.
        text: the file's text.
        display_path: how to name the file in messages (relative where possible).
    """

    path: Path
    format: RecipeFormat
    text: str
    display_path: str

    @property
    def recipe_dir(self) -> Path:
        """The folder holding the recipe (jinja file functions may read only inside it)."""
        return self.path.parent

    def span(self, line: int = 0, column: int = 0) -> Span:
        """Return a span in this recipe file."""
        return Span(self.display_path, line, column)


@record
class Dependency:
    """One requirement line, rendered: ``spec`` as written after jinja (``numpy >=1.26``)."""

    spec: str
    span: Span

    @property
    def name(self) -> str:
        """The package name: the first word of the spec, without a channel prefix."""
        first = self.spec.split(None, 1)[0] if self.spec.strip() else ""
        return first.rsplit("::", 1)[-1]


@record
class Requirements:
    """Requirements of one output, by section."""

    build: tuple[Dependency, ...] = ()
    host: tuple[Dependency, ...] = ()
    run: tuple[Dependency, ...] = ()
    run_constrained: tuple[Dependency, ...] = ()

    def section(self, name: str) -> tuple[Dependency, ...]:
        """Return one section by name (``build``, ``host``, ``run``, ``run_constrained``)."""
        value: tuple[Dependency, ...] = getattr(self, name)
        return value

    SECTIONS = ("build", "host", "run", "run_constrained")


@record
class Source:
    """A source entry: URL(s) or git/path, with its hash."""

    url: tuple[str, ...] = ()
    git: str | None = None
    path: str | None = None
    sha256: str | None = None
    md5: str | None = None
    span: Span | None = None


@record
class RenderedOutput:
    """One package a recipe produces, rendered for one platform and variant.

    Attributes:
        name: package name.
        version: package version as a string.
        build_number: ``build.number`` (0 when absent).
        build_string: explicit ``build.string`` or None.
        noarch: ``"python"``, ``"generic"`` or None.
        skip: True when ``build.skip`` holds for this platform and variant.
        script: build script text or file name (None means the default build.sh/bld.bat).
        requirements: the four requirement sections.
        run_exports: run_exports by kind (``weak``, ``strong``, ...; a plain list is ``weak``).
        ignore_run_exports: names and ``from_package`` entries whose run_exports are ignored.
        tests: the test section(s) as plain data.
        is_staging: True for a v1 staging/cache output, which produces no package.
        span: where the output is declared.
        used_variables: the variant keys this output uses (its own sections, the top level
            and any staging output it inherits), when the renderer tracks them per output;
            None means "see the recipe's ``used_variables``".
    """

    name: str
    version: str
    build_number: int
    span: Span
    build_string: str | None = None
    noarch: str | None = None
    skip: bool = False
    script: str | None = None
    requirements: Requirements = field(default_factory=Requirements)
    run_exports: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ignore_run_exports: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tests: tuple[Any, ...] = ()
    is_staging: bool = False
    used_variables: frozenset[str] | None = None


@record
class RenderedRecipe:
    """A recipe rendered for one target platform and one variant.

    Attributes:
        raw: the recipe it came from.
        name: the top-level name (``package.name``, v1 ``recipe.name`` or the single output's).
        version: the top-level version.
        platform: the target platform (subdir).
        build_platform: the platform the build runs on.
        variant: the variant values used.
        outputs: the outputs in recipe order (top-level package first for single-output recipes).
        sources: the top-level sources.
        about: the ``about`` section as plain data.
        extra: the ``extra`` section as plain data.
        used_variables: variant keys the recipe read while rendering (jinja, selectors, ``if:``).
        data: the rendered document as plain data (what a linter reads beside the typed fields).
        selected_text: meta.yaml only: the recipe text after line selectors, before jinja (what
            conda-build's used-variable scan reads); empty for recipe.yaml.
    """

    raw: RawRecipe
    name: str
    version: str
    platform: str
    build_platform: str
    variant: Mapping[str, str]
    outputs: tuple[RenderedOutput, ...]
    sources: tuple[Source, ...] = ()
    about: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    used_variables: frozenset[str] = frozenset()
    data: Mapping[str, Any] = field(default_factory=dict)
    selected_text: str = ""

    @property
    def maintainers(self) -> tuple[str, ...]:
        """``extra.recipe-maintainers``."""
        value = self.extra.get("recipe-maintainers") or ()
        return tuple(str(name) for name in value)

    @property
    def feedstock_name(self) -> str:
        """``extra.feedstock-name``, else ``extra.parent_recipe.name``, else the top-level name."""
        explicit = self.extra.get("feedstock-name")
        if explicit:
            return str(explicit)
        parent = self.extra.get("parent_recipe")
        if isinstance(parent, Mapping) and parent.get("name"):
            return str(parent["name"])
        return self.name


@record
class RenderContext:
    """What a recipe is rendered against.

    Attributes:
        platform: the target platform (subdir), e.g. ``linux-aarch64``.
        build_platform: where the build runs (differs when cross-compiling).
        variant: one value per variant key, as strings (``python: "3.12.* *_cpython"``).
        env: the explicit environment ``os.environ.get``/``environ.get``/``env.get`` read;
            never the process environment.
        known_variables: every key any variant file defines on any platform. A selector or
            jinja name in this set that the variant lacks reads as undefined (False), as in
            conda-build; a name in neither set is an error.
    """

    platform: str
    build_platform: str
    variant: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    known_variables: frozenset[str] = frozenset()
