"""Turn command-line arguments (feedstocks, folders of feedstocks, list files) into feedstocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.graph.model import feedstock_name_of
from smithy.platforms import MAIN_PLATFORMS, is_known_platform
from smithy.textfile import read_user_text

_RECIPE_NAMES = ("recipe.yaml", "meta.yaml")


@dataclass(frozen=True, slots=True)
class FeedstockDir:
    """A feedstock found on disk.

    Attributes:
        name: feedstock name (folder name without ``-feedstock``).
        path: the feedstock folder (absolute).
    """

    name: str
    path: Path


def has_recipe(folder: Path) -> bool:
    """Return whether ``folder`` is a feedstock root or a recipe folder."""
    return any(
        (place / name).is_file() for place in (folder, folder / "recipe") for name in _RECIPE_NAMES
    )


def _name_of(folder: Path) -> str:
    # A bare recipe folder inside a feedstock is named after the feedstock.
    if folder.name == "recipe" and folder.parent.name:
        return feedstock_name_of(folder.parent.name)
    return feedstock_name_of(folder.name)


def _from_list_file(path: Path) -> list[Path]:
    folders = []
    for number, line in enumerate(read_user_text(path, str(path), capped=False).splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if "\0" in entry:
            # The OS cannot take such a name; say where it is instead of failing inside stat().
            raise SmithyError("a NUL character cannot be in a folder name", Span(str(path), number))
        if entry:
            folders.append((path.parent / entry).resolve())
    return folders


def _expand(arg: Path) -> list[Path]:
    if arg.is_file():
        return _from_list_file(arg)
    if not arg.is_dir():
        raise SmithyError("no such feedstock, folder or list file", Span(str(arg)))
    if has_recipe(arg):
        return [arg.resolve()]
    children = sorted(child for child in arg.iterdir() if child.is_dir() and has_recipe(child))
    if not children:
        raise SmithyError(
            "no feedstock here (expected recipe/ or folders holding one)", Span(str(arg))
        )
    return [child.resolve() for child in children]


def discover_feedstocks(args: Iterable[Path]) -> tuple[FeedstockDir, ...]:
    """Find the feedstocks named by ``args``, sorted by name.

    Each argument is a feedstock (a folder holding ``recipe/`` or a recipe file), a folder
    whose sub-folders are feedstocks, or a text file listing such folders one per line
    (relative to the file; ``#`` starts a comment).

    Raises:
        SmithyError: an argument names nothing usable, or two folders give one name.
    """
    found: dict[str, FeedstockDir] = {}
    for arg in args:
        for folder in _expand(arg):
            if not folder.is_dir() or not has_recipe(folder):
                raise SmithyError("not a feedstock (no recipe found)", Span(str(folder)))
            name = _name_of(folder)
            known = found.get(name)
            if known is not None and known.path != folder:
                raise SmithyError(
                    f"two feedstocks are named '{name}': {known.path} and {folder}",
                    Span(str(folder)),
                )
            found[name] = FeedstockDir(name, folder)
    return tuple(found[name] for name in sorted(found))


def ci_support_platforms(folder: Path) -> tuple[str, ...]:
    """The platforms a feedstock's ``.ci_support/*.yaml`` files build for, in smithy's order.

    File names start with ``<os>_<arch>_`` (``linux_64_python3.12.yaml``, ``osx_arm64_.yaml``).
    Returns an empty tuple when the feedstock has no such files.
    """
    found: set[str] = set()
    support = folder / ".ci_support"
    if support.is_dir():
        for path in support.glob("*.yaml"):
            parts = path.name.split("_", 2)
            if len(parts) >= 2:
                platform = f"{parts[0]}-{parts[1]}"
                if is_known_platform(platform) and platform != "noarch":
                    found.add(platform)
    return tuple(sorted(found))


def platforms_for(folder: Path, requested: tuple[str, ...]) -> tuple[str, ...]:
    """Platforms to render a feedstock for: ``requested`` if given, else its CI's platforms.

    Without ``.ci_support`` files the six main conda-forge platforms are used.
    """
    if requested:
        return requested
    return ci_support_platforms(folder) or MAIN_PLATFORMS
