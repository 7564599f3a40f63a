"""Values a rerender passes between its steps: CI jobs, planned files and the feedstock plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any, Literal

from smithy.records import record

FileStatus = Literal["create", "update", "identical", "remove"]

EXECUTABLE = 0o755
REGULAR = 0o644


@record
class PlannedFile:
    """A file a rerender wants on disk.

    Attributes:
        content: exact bytes.
        mode: permission bits (``EXECUTABLE`` for scripts).
    """

    content: bytes
    mode: int = REGULAR


@record
class FeedstockPlan:
    """Everything a rerender wants to change, computed before anything is written.

    Attributes:
        files: path relative to the feedstock root -> wanted content.
        remove: paths (relative) to delete; only files smithy or conda-smithy generated.
        pinning: "<source> <version>" of the pinning used, recorded in the manifest.
    """

    files: Mapping[str, PlannedFile] = field(default_factory=dict)
    remove: tuple[str, ...] = ()
    pinning: str = ""


@record
class FeedstockFacts:
    """What the generated README, CODEOWNERS and workflows need to know about the recipe.

    Attributes:
        name: the recipe's package name (top level, or the first output's).
        version: the recipe's version.
        outputs: names of every package built on any platform, sorted.
        feedstock_name: repository name, e.g. ``zlib-feedstock``.
        recipe_file: ``meta.yaml`` or ``recipe.yaml``.
        recipe_dir: the recipe folder relative to the feedstock root (``recipe``).
        about: the recipe's ``about`` section (summary, license, home, ...), rendered.
        maintainers: GitHub handles from ``extra.recipe-maintainers``, in recipe order.
        noarch_python: every output is ``noarch: python``.
    """

    name: str
    version: str
    outputs: tuple[str, ...]
    feedstock_name: str
    recipe_file: str
    recipe_dir: str = "recipe"
    about: Mapping[str, Any] = field(default_factory=dict)
    maintainers: tuple[str, ...] = ()
    noarch_python: bool = False
