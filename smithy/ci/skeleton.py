"""``ci-skeleton``: conda-forge-style CI for a project's own repository.

The recipe lives inside the project (``recipe/`` by default) and builds the project's own
source, versioned by its latest git tag; ``conda-forge.yml`` points the rerender at that
folder and keeps it away from the project's own README, LICENSE and git settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.github.model import Change, StepResult
from smithy.rerender.writer import FileChange, apply
from smithy.textfile import read_user_text

# Files a project already has (or wants to write itself): the rerender must not touch them.
SKIP_RENDER = (
    ".gitattributes",
    ".github/CODEOWNERS",
    ".github/CONTRIBUTING.md",
    ".github/ISSUE_TEMPLATE.md",
    ".github/PULL_REQUEST_TEMPLATE.md",
    ".gitignore",
    "LICENSE",
    "LICENSE.txt",
    "README.md",
    "build-locally.py",
)
GITIGNORE_BEGIN = "# >>> conda-forge CI (smithy ci-skeleton) >>>"
GITIGNORE_END = "# <<< conda-forge CI (smithy ci-skeleton) <<<"
_IGNORED = ("build_artifacts/", "miniforge3/", "/.pixi/")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")

_META = """\
{{% set name = "{name}" %}}
{{# The version is the project's latest git tag; builds between tags count up. #}}
{{% set version = (GIT_DESCRIBE_TAG or "0.0.0") | replace("-", "_") %}}
{{% set build_number = GIT_DESCRIBE_NUMBER or 0 %}}

package:
  name: {{{{ name }}}}
  version: {{{{ version }}}}

source:
  path: ..

build:
  number: {{{{ build_number }}}}
  # Describe how to build the project, e.g. for a Python package:
  # script: {{{{ PYTHON }}}} -m pip install . -vv --no-deps --no-build-isolation

requirements:
  build: []
  host: []
  run: []

test:
  commands:
    - echo "add a test of {{{{ name }}}} here"

about:
  summary: {name}, built with conda-forge's CI
  license: LicenseRef-TODO
  license_file: LICENSE

extra:
  recipe-maintainers: []
"""


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What ``ci-skeleton`` writes into a project.

    Attributes:
        package: the conda package name.
        recipe_dir: the recipe folder, relative to the project root (POSIX).
    """

    package: str
    recipe_dir: str = "recipe"


def _check(root: Path, skeleton: Skeleton) -> None:
    if not root.is_dir():
        raise SmithyError("no such project folder", Span(str(root)))
    if not _NAME.match(skeleton.package):
        raise SmithyError(
            f"'{skeleton.package}' is not a conda package name (lower-case letters, digits, "
            "'-', '_', '.')"
        )
    parts = Path(skeleton.recipe_dir).parts
    if not parts or Path(skeleton.recipe_dir).is_absolute() or ".." in parts:
        raise SmithyError(
            f"--recipe-directory must be a folder inside the project: {skeleton.recipe_dir}"
        )


def config_text(skeleton: Skeleton) -> str:
    """The project's conda-forge.yml."""
    skipped = "".join(f"  - {path}\n" for path in SKIP_RENDER)
    return (
        "# conda-forge CI for this repository (smithy ci-skeleton); run 'smithy rerender'.\n"
        "clone_depth: 0  # the whole history, so the version can come from git tags\n"
        f"recipe_dir: {skeleton.recipe_dir}\n"
        f"skip_render:\n{skipped}"
    )


def gitignore_text(current: str) -> str:
    """``current`` with smithy's delimited block added, or replaced when it is there."""
    block = "\n".join((GITIGNORE_BEGIN, *_IGNORED, GITIGNORE_END)) + "\n"
    pattern = re.compile(
        re.escape(GITIGNORE_BEGIN) + ".*?" + re.escape(GITIGNORE_END) + "\n?", re.S
    )
    if pattern.search(current):
        return pattern.sub(lambda _: block, current, count=1)
    if current and not current.endswith("\n"):
        current += "\n"
    return current + ("\n" if current else "") + block


def _planned(root: Path, skeleton: Skeleton) -> list[tuple[str, bytes, bool]]:
    """(path, wanted bytes, may replace an existing file) for each file the skeleton owns."""
    gitignore = root / ".gitignore"
    current = read_user_text(gitignore, ".gitignore") if gitignore.exists() else ""
    recipe = f"{skeleton.recipe_dir}/meta.yaml"
    return [
        ("conda-forge.yml", config_text(skeleton).encode(), False),
        (recipe, _META.format(name=skeleton.package).encode(), False),
        (".gitignore", gitignore_text(current).encode(), True),
    ]


def write_skeleton(root: Path, skeleton: Skeleton, *, dry_run: bool = False) -> list[StepResult]:
    """Write conda-forge.yml, the recipe skeleton and the .gitignore block into ``root``.

    An existing conda-forge.yml or recipe is kept as it is (a rerun never clobbers edits);
    the .gitignore block is added or brought up to date. All files are written atomically.

    Raises:
        SmithyError: not a folder, a bad package name or recipe folder.
    """
    _check(root, skeleton)
    changes: list[FileChange] = []
    results: list[StepResult] = []
    for rel, wanted, replaceable in _planned(root, skeleton):
        path = root / rel
        old = path.read_bytes() if path.is_file() else None
        if old == wanted or (old is not None and not replaceable):
            results.append(StepResult("skeleton", Change.UNCHANGED, rel, "exists, kept"))
            continue
        changes.append(FileChange(rel, "create" if old is None else "update", old, wanted))
        change = Change.CREATED if old is None else Change.UPDATED
        results.append(StepResult("skeleton", change, rel))
    if changes and not dry_run:
        apply(root, changes)
    return results
