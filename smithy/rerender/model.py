"""Values a rerender passes between its steps: CI jobs, planned files and the feedstock plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

FileStatus = Literal["create", "update", "identical", "remove"]

EXECUTABLE = 0o755
REGULAR = 0o644


@dataclass(frozen=True, slots=True)
class CiJob:
    """One CI job: one ``.ci_support/<config_name>.yaml`` file and the job that builds it.

    Attributes:
        config_name: file stem, e.g. ``linux_64_python3.12.____cpython``.
        config_name_short: ``config_name`` or its ``<40 chars>_h<sha8>`` form (artifact names).
        platform: target subdir, e.g. ``linux-aarch64``.
        build_platform: subdir of the machine that runs the job (differs when cross-compiling).
        provider: CI provider running the job (``github_actions``, ``azure``, ...).
        upload: whether the job uploads packages (the provider's ``upload_packages``).
        config: the variant mapping written to the ``.ci_support`` file (keys sorted on dump).
    """

    config_name: str
    config_name_short: str
    platform: str
    build_platform: str
    provider: str
    upload: bool
    config: Mapping[str, Any]

    @property
    def ci_support_path(self) -> str:
        """Path of the job's variant file relative to the feedstock root."""
        return f".ci_support/{self.config_name}.yaml"

    @property
    def docker_image(self) -> str | None:
        """The job's docker image (linux build platforms), None when the config has none."""
        images = self.config.get("docker_image")
        return str(images[0]) if images else None

    @property
    def runs_on(self) -> tuple[str, ...]:
        """Runner labels from the variant's ``github_actions_labels``; empty for the default."""
        return tuple(str(label) for label in self.config.get("github_actions_labels", ()))


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """A file a rerender wants on disk.

    Attributes:
        content: exact bytes.
        mode: permission bits (``EXECUTABLE`` for scripts).
    """

    content: bytes
    mode: int = REGULAR


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
