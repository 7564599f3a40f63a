"""Create a new feedstock from a recipe folder: copy, conda-forge.yml, git, rerender, commit."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from smithy import __version__
from smithy.config.load import parse_config
from smithy.errors import ConfigError, SmithyError, Span
from smithy.matrix.recipe_render import render_recipe
from smithy.pinning.source import resolve_pinning
from smithy.recipe.load import display_path, load_recipe
from smithy.recipe.model import RecipeFormat
from smithy.textfile import read_user_text

Rerender = Callable[[Path], object]
"""Rerenders the feedstock at the given root in place (a rerender in write mode)."""

COMMIT_MESSAGE = f"Initial feedstock commit with smithy {__version__}"
_COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".git", "build_artifacts")


class InitError(SmithyError):
    """A feedstock cannot be created where asked, or git failed while creating it."""


@dataclass(frozen=True, slots=True)
class InitResult:
    """What ``init_feedstock`` did.

    Attributes:
        feedstock_dir: the new feedstock's root.
        feedstock_name: its name, ``<name>-feedstock``.
        recipe_format: the recipe's format (decides ``conda_build_tool``).
        rerendered: whether the rerender ran.
        commit: the hash of the first commit, None without git.
    """

    feedstock_dir: Path
    feedstock_name: str
    recipe_format: RecipeFormat
    rerendered: bool
    commit: str | None


def recipe_feedstock_name(
    recipe_path: Path, *, pinning: str | None, environ: Mapping[str, str]
) -> str:
    """Return the feedstock name without ``-feedstock``: ``extra.feedstock-name`` or the name.

    The recipe is rendered for linux-64 with the chosen pinning, since its name may use jinja
    variables or variant values.
    """
    report = render_recipe(recipe_path, resolve_pinning(pinning, environ), ("linux-64",))
    renders = report.platforms[0].renders if report.platforms else ()
    if not renders:
        raise InitError(
            "the recipe renders to nothing on linux-64", Span(display_path(recipe_path))
        )
    return renders[0].feedstock_name


_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._+-]*")


def _undo(target: Path, created: bool) -> None:
    """Remove what a failed init wrote: the folder it created, or the contents of the empty one."""
    if created:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _cannot_create(target: Path, exc: OSError) -> InitError:
    where = display_path(Path(exc.filename)) if exc.filename else display_path(target)
    return InitError(f"cannot create the feedstock ({exc.strerror or exc})", Span(where))


def _check_target(target: Path, recipe_dir: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(
            "target exists and is not an empty folder; pass another --feedstock-dir or remove it",
            Span(display_path(target)),
        )
    resolved, source = target.resolve(), recipe_dir.resolve()
    if resolved == source or source in resolved.parents:
        raise InitError(
            "the feedstock cannot be created inside the recipe folder; pass --feedstock-dir",
            Span(display_path(target)),
        )


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def conda_forge_yml(recipe_format: RecipeFormat, recipe_config: str | None) -> str:
    """Return the new feedstock's conda-forge.yml text.

    A ``conda-forge.yml`` shipped beside the recipe is kept (comments included); a
    ``recipe.yaml`` recipe gets ``conda_build_tool: rattler-build`` unless it sets one.
    """
    loaded: object = None
    if recipe_config is not None:
        parse_config(recipe_config, display_path="recipe/conda-forge.yml")  # errors with spans
        try:
            loaded = _yaml().load(recipe_config)
        except YAMLError as exc:
            raise ConfigError(f"invalid YAML: {exc}", Span("recipe/conda-forge.yml")) from None
    document = loaded if isinstance(loaded, CommentedMap) else CommentedMap()
    if recipe_format is RecipeFormat.V1 and "conda_build_tool" not in document:
        document.insert(0, "conda_build_tool", "rattler-build")
    if not document:
        return "{}\n"
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def copy_recipe(recipe_dir: Path, target: Path, recipe_format: RecipeFormat) -> None:
    """Copy the recipe to ``<target>/recipe`` and write ``<target>/conda-forge.yml``."""
    dest = target / "recipe"
    shutil.copytree(recipe_dir, dest, ignore=_COPY_IGNORE, symlinks=True)
    shipped = dest / "conda-forge.yml"
    recipe_config = None
    if shipped.is_file():
        recipe_config = read_user_text(shipped, "recipe/conda-forge.yml", ConfigError)
        shipped.unlink()  # its settings move to the feedstock root, where they are read
    text = conda_forge_yml(recipe_format, recipe_config)
    (target / "conda-forge.yml").write_text(text, encoding="utf-8")


def _git(target: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=target, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise InitError("git is not installed; install it or pass --no-git") from None
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split()) or f"exit {done.returncode}"
        hint = ""
        if "user.email" in detail or "user.name" in detail or "identity" in detail:
            hint = " (set git's user.name and user.email, or pass --no-git)"
        raise InitError(f"git {args[0]} failed: {detail}{hint}", Span(display_path(target)))
    return done.stdout.strip()


def _commit(target: Path) -> str:
    _git(target, "add", "--all", ".")
    _git(target, "commit", "--quiet", "--no-verify", "-m", COMMIT_MESSAGE)
    return _git(target, "rev-parse", "HEAD")


def init_feedstock(
    recipe_path: Path,
    *,
    feedstock_dir: Path | None = None,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    rerender: Rerender | None = None,
    git: bool = True,
) -> InitResult:
    """Create ``<name>-feedstock/`` from a recipe, as conda-forge's staged-recipes does.

    Steps: copy the recipe folder to ``recipe/``; write ``conda-forge.yml``; ``git init -b
    main``; run ``rerender`` on the new root (when given); commit everything as
    "Initial feedstock commit with smithy <version>".

    Args:
        recipe_path: a recipe folder (or its recipe file).
        feedstock_dir: where to create the feedstock; default ``./<name>-feedstock``.
        pinning: ``--pinning`` value, used to render the recipe's name.
        environ: the process environment (read for the pinning search only).
        rerender: rerenders a feedstock root in place; None to skip the rerender.
        git: create a git repository and commit.

    Raises:
        InitError: the target exists and is not empty, lies inside the recipe, or git failed.
        SmithyError: the recipe or its conda-forge.yml is invalid.
    """
    raw = load_recipe(recipe_path)
    name = recipe_feedstock_name(raw.path, pinning=pinning, environ=environ or {})
    if not _SAFE_NAME.fullmatch(name):
        # The name comes from the recipe and becomes a folder: "../x" or "a/b" must not.
        raise InitError(
            f"the recipe's name {name!r} is not a package name (letters, digits, '._+-')",
            Span(raw.display_path),
        )
    feedstock_name = f"{name}-feedstock"
    target = feedstock_dir if feedstock_dir is not None else Path(feedstock_name)
    _check_target(target, raw.recipe_dir)
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_create(target, exc) from None
    try:
        copy_recipe(raw.recipe_dir, target, raw.format)
        if git:
            _git(target, "init", "--quiet", "--initial-branch=main")
        if rerender is not None:
            rerender(target)
        commit = _commit(target) if git else None
    except OSError as exc:
        _undo(target, created)
        raise _cannot_create(target, exc) from None
    except BaseException:
        _undo(target, created)  # a failed init leaves nothing a rerun would refuse
        raise
    return InitResult(
        feedstock_dir=target,
        feedstock_name=feedstock_name,
        recipe_format=raw.format,
        rerendered=rerender is not None,
        commit=commit,
    )
