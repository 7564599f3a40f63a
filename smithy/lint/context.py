"""LintContext: one recipe's inputs, each read or computed once, on first use by a rule."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.config.load import load_config
from smithy.config.schema import FeedstockConfig
from smithy.errors import SmithyError
from smithy.feedstock import config_file, feedstock_root
from smithy.lint.finding import Problem
from smithy.lint.online import GITHUB_API_URL, PINNING_RAW_URL, OnlineSession
from smithy.lint.tree import (
    Unit,
    YMap,
    YScalar,
    output_units,
    package_units,
    parse_lint_tree,
    top_unit,
    walk,
)
from smithy.pinning.source import resolve_pinning
from smithy.recipe.load import display_path
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderedRecipe
from smithy.records import frozen_record

if TYPE_CHECKING:
    from smithy.matrix.render import FeedstockMatrix

# Bigger files are not build scripts; reading them would only slow the linter down.
_MAX_FILE_BYTES = 2_000_000


@frozen_record
class LintOptions:
    """How to lint.

    Attributes:
        conda_forge: also run conda-forge's own rules.
        online: also run rules that need the network (with ``conda_forge``: maintainers on
            GitHub, the pinning feedstock's package hints).
        pinning: ``--pinning`` value for rendering, or None for the default search.
        environ: the process environment, read to find the pinning, the GitHub token
            (``GITHUB_TOKEN``, then ``GH_TOKEN``) and proxies.
        github_url: the GitHub REST API the online rules ask (GitHub Enterprise, tests).
        pinning_url: where the pinning feedstock's files are served (raw GitHub by default).
        render_helpers: forked processes rendering a feedstock's platforms alongside this one.
        session: the network state every recipe of the run shares; made from the fields above.
    """

    conda_forge: bool = False
    online: bool = False
    pinning: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)  # holds tokens
    github_url: str = GITHUB_API_URL
    pinning_url: str = PINNING_RAW_URL
    render_helpers: int = 0
    session: OnlineSession = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # One session per options object: one client and one cache for the whole run.
        session = OnlineSession(self.github_url, self.pinning_url, self.environ)
        object.__setattr__(self, "session", session)


def _problem(exc: SmithyError, fallback: str) -> Problem:
    span = exc.span
    message = " ".join(exc.message.split())
    if span is None:
        return Problem(message, path=fallback)
    return Problem(message, span.line, span.column, span.path or fallback)


def _read_small(path: Path) -> str | None:
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class LintContext:
    """Everything rules read about one recipe; each input is prepared at most once."""

    def __init__(self, raw: RawRecipe, options: LintOptions) -> None:
        self.raw = raw
        self.options = options
        self.format: RecipeFormat = raw.format
        self.path = raw.display_path
        self.recipe_dir = raw.recipe_dir
        self.feedstock_dir = feedstock_root(raw.recipe_dir)
        self.tree_error: Problem | None = None
        self.render_error: Problem | None = None
        self.config_error: Problem | None = None
        self._files: dict[Path, str | None] = {}

    @property
    def network(self) -> OnlineSession:
        """The run's network session: GitHub verdicts and package hints, cached for the run."""
        return self.options.session

    @functools.cached_property
    def lines(self) -> tuple[str, ...]:
        """The recipe's lines without line breaks; ``lines[0]`` is line 1."""
        return tuple(self.raw.text.split("\n"))

    def line(self, number: int) -> str:
        """Return line ``number`` (1-based) of the recipe, or ``""``."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @functools.cached_property
    def tree(self) -> YMap | None:
        """The recipe as written (None when it is not a YAML mapping; see ``tree_error``)."""
        try:
            tree = parse_lint_tree(self.raw.text, self.format, self.path)
        except SmithyError as exc:
            self.tree_error = _problem(exc, self.path)
            return None
        if not isinstance(tree, YMap):
            self.tree_error = Problem("the recipe must be a mapping of sections", 1, 1)
            return None
        return tree

    @functools.cached_property
    def node_columns(self) -> dict[int, int]:
        """Line -> the column of the first key or scalar written on it (empty: no tree)."""
        columns: dict[int, int] = {}

        def note(line: int, column: int) -> None:
            if column > 0 and column < columns.get(line, column + 1):
                columns[line] = column

        for node in walk(self.tree):
            if isinstance(node, YMap):
                for key, line in node.key_lines.items():
                    note(line, node.key_columns.get(key, 0))
            elif isinstance(node, YScalar):
                note(node.line, node.column)
        return columns

    @functools.cached_property
    def matrix(self) -> FeedstockMatrix | None:
        """The recipe rendered exactly as a rerender renders it (None: see ``render_error``)."""
        # Imported here: rules that do not read renders should not pay for the matrix's imports.
        from smithy.matrix.render import render_matrix

        try:
            pinning = resolve_pinning(self.options.pinning, self.options.environ)
            return render_matrix(
                self.raw,
                self.config,
                pinning,
                feedstock=self.feedstock_dir,
                helpers=self.options.render_helpers,
            )
        except SmithyError as exc:
            if exc.unreadable:  # a variant or pinning file that is not text: bad input
                raise
            self.render_error = _problem(exc, self.path)
            return None

    @property
    def rendered(self) -> tuple[RenderedRecipe, ...]:
        """Every variant of the recipe the feedstock's platforms build, rendered."""
        return () if self.matrix is None else self.matrix.renders

    @functools.cached_property
    def config(self) -> FeedstockConfig:
        """The feedstock's conda-forge.yml (defaults when absent or unreadable)."""
        path = self.config_path
        if path is None:
            return load_config(None)
        try:
            return load_config(path, display_path=display_path(path))
        except SmithyError as exc:
            if exc.unreadable:  # not text at all: bad input, not a finding about its keys
                raise
            self.config_error = _problem(exc, display_path(path))
            return load_config(None)

    @property
    def config_path(self) -> Path | None:
        """The feedstock's conda-forge.yml, if there is one."""
        return config_file(self.recipe_dir)

    @functools.cached_property
    def scripts(self) -> tuple[Path, ...]:
        """Build scripts beside the recipe (``*.sh``, ``*.bat``), sorted by name."""
        found = [
            p for p in self.recipe_dir.iterdir() if p.suffix in (".sh", ".bat") and p.is_file()
        ]
        return tuple(sorted(found))

    def read(self, path: Path) -> str | None:
        """Return a small feedstock file's text, or None when missing, huge or unreadable.

        Each file is read once per recipe: several rules look at the same variant file.
        """
        if path not in self._files:
            self._files[path] = _read_small(path)
        return self._files[path]

    def show(self, path: Path) -> str:
        """How to name a feedstock file in findings."""
        return display_path(path)

    @property
    def top(self) -> Unit | None:
        """The recipe's top level, or None when it did not parse."""
        return None if self.tree is None else top_unit(self.tree, self.format)

    @property
    def outputs(self) -> list[Unit]:
        """The recipe's outputs (empty for a single-output recipe)."""
        return [] if self.tree is None else output_units(self.tree, self.format)

    @property
    def packages(self) -> list[Unit]:
        """The units that build packages: the outputs, or the top level."""
        return [] if self.tree is None else package_units(self.tree, self.format)

    def units(self) -> Iterator[Unit]:
        """The top level, then every output."""
        if self.top is not None:
            yield self.top
            yield from self.outputs

    def line_of_key(self, key: str) -> int:
        """The line of a top-level key, or 1."""
        tree = self.tree
        return tree.key_lines.get(key, 1) if tree is not None else 1
