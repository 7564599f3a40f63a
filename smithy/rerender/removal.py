"""The one authority on which existing feedstock files a rerender removes.

With smithy's manifest (``.smithy/manifest.json``), the previous rerender's own list decides:
a file it generated, in a place a rerender writes, that the new plan no longer has. Without
one (a feedstock last rerendered by conda-smithy), the documented legacy list below decides:
files conda-smithy generates or generated, and files of CI providers no job runs on. Finished
migration files go in both cases. Never removed: a planned path, a path in or below a
``skip_render`` entry, a path outside the feedstock's generated places.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from smithy.platforms import OS_NAMES

# Files an older conda-smithy wrote and every newer release deletes on rerender (its
# "legacy compatibility" list), plus the GitHub service workflows it retired later.
OBSOLETE_PATHS: tuple[str, ...] = (
    "disabled_appveyor.yml",
    "ci_support/upload_or_check_non_existence.py",
    "circle.yml",
    "appveyor.yml",
    "ci_support/checkout_merge_commit.sh",
    "ci_support/fast_finish_ci_pr_build.sh",
    "ci_support/run_docker_build.sh",
    "LICENSE",
    "__pycache__",
    ".github/CONTRIBUTING.md",
    ".github/ISSUE_TEMPLATE.md",
    ".github/PULL_REQUEST_TEMPLATE.md",
    ".github/workflows/main.yml",
    ".github/workflows/automerge.yml",
    ".github/workflows/webservices.yml",
)

# Build scripts older conda-smithy releases kept in each provider's own folder.
_OLD_SCRIPT_NAMES = (
    "run_docker_build.sh",
    "build_steps.sh",
    "run_osx_build.sh",
    "run_win_build.bat",
    "create_conda_build_artifacts.bat",
    "create_conda_build_artifacts.sh",
    "create_pagefile.bat",
    "create_pagefile.sh",
    "SetPageFileSize.ps1",
    "free_disk_space.sh",
)
OLD_SCRIPT_PATHS: tuple[str, ...] = (
    ".circleci/checkout_merge_commit.sh",
    ".circleci/fast_finish_ci_pr_build.sh",
    *(
        f"{folder}/{name}"
        for folder in (".azure-pipelines", ".circleci", ".drone", ".travis")
        for name in _OLD_SCRIPT_NAMES
    ),
)

# CI providers smithy does not generate (all deprecated in conda-smithy): their files are
# removed unless a job of the feedstock still runs on that provider.
RETIRED_PROVIDER_PATHS: dict[str, tuple[str, ...]] = {
    "travis": (".travis.yml", ".travis/*"),
    "circle": (".circleci/*",),
    "appveyor": (".appveyor.yml",),
    "drone": (".drone.yml", ".drone/*"),
    "woodpecker": (".woodpecker.yml",),
}

# Script names conda-smithy writes into its script folders (it clears them before rendering).
_SCRIPT_NAMES = (
    "run_docker_build.sh",
    "build_steps.sh",
    "run_osx_build.sh",
    "run_win_build.bat",
    "create_conda_build_artifacts.bat",
    "create_conda_build_artifacts.sh",
    "create_pagefile.sh",
    "create_pagefile.bat",
    "SetPageFileSize.ps1",
    "free_disk_space.sh",
    "logging_utils.sh",
)

# Paths the current conda-smithy generates. On a feedstock without smithy's manifest, a
# file matching one of these that the new plan does not contain is stale.
CONDA_SMITHY_GENERATED: tuple[str, ...] = (
    "README.md",
    "LICENSE.txt",
    ".gitattributes",
    ".gitignore",
    "build-locally.py",
    "pixi.toml",
    ".github/CODEOWNERS",
    ".github/workflows/conda-build.yml",
    ".ci_support/README",
    # Job files only: every name conda-smithy gives one starts with its platform's OS
    # (linux_64_..., osx_arm64_..., win_...). A user's own .ci_support/notes.yaml is kept.
    *(f".ci_support/{os_name}_*.yaml" for os_name in OS_NAMES),
    "azure-pipelines.yml",
    ".azure-pipelines/azure-pipelines-linux.yml",
    ".azure-pipelines/azure-pipelines-osx.yml",
    ".azure-pipelines/azure-pipelines-win.yml",
    *(f".scripts/{name}" for name in _SCRIPT_NAMES),
)


def normalise_entry(entry: str) -> str:
    """Return a ``skip_render`` entry as a clean relative POSIX path (``./a/b/`` -> ``a/b``)."""
    text = entry.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text.strip("/")


def is_skipped(path: str, skip_render: Iterable[str]) -> bool:
    """Return whether ``path`` or one of its parent folders is listed in ``skip_render``.

    Args:
        path: a path relative to the feedstock root, with ``/`` separators.
        skip_render: the ``skip_render`` entries of conda-forge.yml.
    """
    entries = {normalise_entry(entry) for entry in skip_render} - {""}
    if not entries:
        return False
    pure = PurePosixPath(normalise_entry(path))
    candidates = {pure.as_posix(), *(parent.as_posix() for parent in pure.parents)}
    return not entries.isdisjoint(candidates)


def path_matches(path: str, pattern: str) -> bool:
    """Match a relative path against a pattern whose ``*`` never crosses a ``/``."""
    parts = path.split("/")
    wanted = pattern.split("/")
    return len(parts) == len(wanted) and all(
        fnmatchcase(part, want) for part, want in zip(parts, wanted, strict=True)
    )


def _existing_files(feedstock_dir: Path, rel: str) -> list[str]:
    target = feedstock_dir / rel
    if target.is_symlink() or target.is_file():
        return [rel]
    if not target.is_dir():
        return []
    found = [p for p in target.rglob("*") if p.is_file() or p.is_symlink()]
    return [p.relative_to(feedstock_dir).as_posix() for p in found]


def _files_matching(feedstock_dir: Path, pattern: str) -> list[str]:
    if "*" not in pattern:
        return _existing_files(feedstock_dir, pattern)
    folder, _, name = pattern.rpartition("/")
    base = feedstock_dir / folder if folder else feedstock_dir
    if not base.is_dir():
        return []
    return [
        (f"{folder}/{entry.name}" if folder else entry.name)
        for entry in base.iterdir()
        if (entry.is_file() or entry.is_symlink()) and fnmatchcase(entry.name, name)
    ]


def obsolete_paths(
    feedstock_dir: Path,
    *,
    skip_render: Sequence[str] = (),
    providers: Collection[str] = (),
    planned: Collection[str] = (),
) -> tuple[str, ...]:
    """Return the existing files a rerender deletes because conda-smithy no longer writes them.

    Folders on the list (``__pycache__``) are returned as the files inside them.

    Args:
        feedstock_dir: the feedstock root.
        skip_render: conda-forge.yml's ``skip_render``; listed paths are kept.
        providers: CI providers that still run jobs; their files are kept.
        planned: paths the rerender writes; never returned.
    """
    patterns = [*OBSOLETE_PATHS, *OLD_SCRIPT_PATHS]
    for provider, paths in sorted(RETIRED_PROVIDER_PATHS.items()):
        if provider not in providers:
            patterns.extend(paths)
    return _filtered(feedstock_dir, patterns, skip_render, planned)


def stale_generated_paths(
    feedstock_dir: Path,
    *,
    planned: Collection[str],
    skip_render: Sequence[str] = (),
) -> tuple[str, ...]:
    """Return existing files conda-smithy generates that the new plan no longer contains.

    Use this for a feedstock without smithy's manifest; with one, the manifest's list of
    generated paths is the authority.

    Args:
        feedstock_dir: the feedstock root.
        planned: paths the rerender writes.
        skip_render: conda-forge.yml's ``skip_render``; listed paths are kept.
    """
    return _filtered(feedstock_dir, CONDA_SMITHY_GENERATED, skip_render, planned)


def _filtered(
    feedstock_dir: Path,
    patterns: Iterable[str],
    skip_render: Sequence[str],
    planned: Collection[str],
) -> tuple[str, ...]:
    found: set[str] = set()
    for pattern in patterns:
        found.update(_files_matching(feedstock_dir, pattern))
    keep = set(planned)
    return tuple(
        sorted(path for path in found if path not in keep and not is_skipped(path, skip_render))
    )


# Where a rerender writes. The manifest is committed, so a pull request can edit it: a listed
# path outside these places (recipe/meta.yaml, a user's file) is never removed on its word.
_GENERATED_FOLDERS = (".ci_support/", ".scripts/", ".azure-pipelines/", ".github/", ".smithy/")
_GENERATED_FILES = frozenset(
    {
        "README.md",
        "LICENSE.txt",
        ".gitattributes",
        ".gitignore",
        "build-locally.py",
        "pixi.toml",
        "azure-pipelines.yml",
    }
)


def in_generated_area(path: str) -> bool:
    """Whether ``path`` (relative, ``/`` separators) lies where a rerender writes."""
    return path in _GENERATED_FILES or path.startswith(_GENERATED_FOLDERS)


def paths_to_remove(
    feedstock_dir: Path,
    *,
    planned: Collection[str],
    generated_before: Collection[str] | None,
    skip_render: Sequence[str] = (),
    providers: Collection[str] = (),
    ci_paths: Iterable[str] = (),
    finished_migrations: Iterable[str] = (),
) -> tuple[str, ...]:
    """Return, sorted, the existing files a rerender of ``feedstock_dir`` removes.

    Args:
        feedstock_dir: the feedstock root.
        planned: every path the rerender writes.
        generated_before: the paths the previous manifest lists; None when the feedstock has
            no manifest (then the legacy lists decide).
        skip_render: conda-forge.yml's ``skip_render``; those paths and folders are kept.
        providers: CI providers that still run jobs (their retired files are kept).
        ci_paths: every path smithy's CI providers and scripts may write (legacy mode only).
        finished_migrations: feedstock migration files the pinning no longer has.
    """
    candidates = set(finished_migrations)
    if generated_before is not None:
        listed = (normalise_entry(path) for path in generated_before)
        candidates.update(p for p in listed if _inside(p) and in_generated_area(p))
    else:
        patterns = [*CONDA_SMITHY_GENERATED, *ci_paths]
        candidates.update(_filtered(feedstock_dir, patterns, skip_render, planned))
        candidates.update(
            obsolete_paths(
                feedstock_dir, skip_render=skip_render, providers=providers, planned=planned
            )
        )
    keep = set(planned)
    return tuple(
        sorted(
            path
            for path in candidates
            if path not in keep
            and not is_skipped(path, skip_render)
            and _is_file(feedstock_dir, path)
        )
    )


def _inside(path: str) -> bool:
    """A clean relative path: no ``..``, no empty or absolute part (a manifest is user input)."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _is_file(feedstock_dir: Path, rel: str) -> bool:
    target = feedstock_dir / rel
    return target.is_symlink() or target.is_file()
