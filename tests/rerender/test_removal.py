"""Which existing files a rerender removes: the manifest when present, the legacy list otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.rerender.removal import (
    OBSOLETE_PATHS,
    is_skipped,
    obsolete_paths,
    path_matches,
    paths_to_remove,
    stale_generated_paths,
)


def touch(root: Path, *paths: str) -> None:
    for rel in paths:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x\n")


@pytest.mark.parametrize(
    ("path", "skip", "expected"),
    [
        ("README.md", ["README.md"], True),
        (".github/workflows/main.yml", [".github"], True),
        (".github/workflows/main.yml", ["./.github/workflows/"], True),
        (".github/CODEOWNERS", [".github/workflows"], False),
        ("README.md.bak", ["README.md"], False),
        ("LICENSE.txt", [], False),
        ("LICENSE.txt", [""], False),
    ],
)
def test_is_skipped(path: str, skip: list[str], expected: bool) -> None:
    assert is_skipped(path, skip) is expected


def test_path_matches_does_not_cross_folders() -> None:
    assert path_matches(".ci_support/linux_64_.yaml", ".ci_support/*.yaml")
    assert not path_matches(".ci_support/migrations/python314.yaml", ".ci_support/*.yaml")


OBSOLETE_FILES = (
    "circle.yml",
    "appveyor.yml",
    "LICENSE",
    ".github/CONTRIBUTING.md",
    ".github/workflows/main.yml",
    ".github/workflows/automerge.yml",
    ".github/workflows/webservices.yml",
    "ci_support/run_docker_build.sh",
    "__pycache__/a.pyc",
    "__pycache__/sub/b.pyc",
)


def test_obsolete_files_removed_and_user_files_kept(tmp_path: Path) -> None:
    touch(
        tmp_path,
        *OBSOLETE_FILES,
        # user files and current files: never on the list
        ".github/workflows/custom.yml",
        "recipe/patches/fix.patch",
        "LICENSE.txt",
        "README.md",
    )
    removed = obsolete_paths(tmp_path)
    assert removed == tuple(sorted(removed))
    assert set(removed) == set(OBSOLETE_FILES)
    assert len(OBSOLETE_PATHS) == 15


def test_obsolete_honours_skip_render_and_plan(tmp_path: Path) -> None:
    touch(tmp_path, "LICENSE", ".github/workflows/main.yml", "appveyor.yml")
    kept = obsolete_paths(tmp_path, skip_render=[".github", "LICENSE"], planned={"appveyor.yml"})
    assert kept == ()


def test_retired_providers_removed_unless_in_use(tmp_path: Path) -> None:
    touch(tmp_path, ".travis.yml", ".circleci/config.yml", ".drone.yml", ".appveyor.yml")
    assert obsolete_paths(tmp_path) == (
        ".appveyor.yml",
        ".circleci/config.yml",
        ".drone.yml",
        ".travis.yml",
    )
    assert obsolete_paths(tmp_path, providers={"travis", "circle"}) == (
        ".appveyor.yml",
        ".drone.yml",
    )


def test_stale_generated_paths(tmp_path: Path) -> None:
    touch(
        tmp_path,
        ".ci_support/linux_64_.yaml",
        ".ci_support/osx_64_.yaml",
        ".ci_support/migrations/python314.yaml",
        ".ci_support/README",
        ".scripts/run_osx_build.sh",
        ".scripts/my_helper.sh",
        "pixi.toml",
        ".github/CODEOWNERS",
        ".azure-pipelines/azure-pipelines-osx.yml",
    )
    planned = {".ci_support/linux_64_.yaml", ".ci_support/README"}
    stale = stale_generated_paths(tmp_path, planned=planned, skip_render=["pixi.toml"])
    assert stale == (
        ".azure-pipelines/azure-pipelines-osx.yml",
        ".ci_support/osx_64_.yaml",
        ".github/CODEOWNERS",
        ".scripts/run_osx_build.sh",
    )


MANIFEST, LEGACY = "manifest", "legacy"
GENERATED = [".ci_support/linux_64_.yaml", ".scripts/build_steps.sh"]


# (mode, files on disk, paths the previous manifest lists, planned, skip_render, providers,
#  expected removals). In manifest mode the manifest lists GENERATED plus ``listed``.
REMOVAL_CASES = {
    "manifest: a generated file no longer planned goes": (
        MANIFEST,
        [".ci_support/linux_64_.yaml"],
        [],
        [],
        [],
        [],
        [".ci_support/linux_64_.yaml"],
    ),
    "manifest: a planned file stays": (
        MANIFEST,
        [".ci_support/linux_64_.yaml"],
        [],
        [".ci_support/linux_64_.yaml"],
        [],
        [],
        [],
    ),
    "manifest: a user file in .ci_support stays": (
        MANIFEST,
        [".ci_support/notes.yaml"],
        [],
        [],
        [],
        [],
        [],
    ),
    "manifest: a user script in .scripts stays": (
        MANIFEST,
        [".scripts/my_helper.sh"],
        [],
        [],
        [],
        [],
        [],
    ),
    "manifest: a user workflow stays": (
        MANIFEST,
        [".github/workflows/custom.yml"],
        [],
        [],
        [],
        [],
        [],
    ),
    "manifest: a listed recipe file stays": (
        MANIFEST,
        ["recipe/meta.yaml"],
        ["recipe/meta.yaml"],
        [],
        [],
        [],
        [],
    ),
    "manifest: a listed path escaping with .. stays": (
        MANIFEST,
        ["recipe/meta.yaml"],
        [".ci_support/../recipe/meta.yaml"],
        [],
        [],
        [],
        [],
    ),
    "manifest: a listed path escaping with backslashes stays": (
        MANIFEST,
        ["recipe/meta.yaml"],
        [".ci_support\\..\\recipe\\meta.yaml"],
        [],
        [],
        [],
        [],
    ),
    "manifest: a ./ form is the same file": (
        MANIFEST,
        [".scripts/run_osx_build.sh"],
        ["./.scripts/run_osx_build.sh"],
        [],
        [],
        [],
        [".scripts/run_osx_build.sh"],
    ),
    "manifest: a backslash form is the same file": (
        MANIFEST,
        [".scripts/run_osx_build.sh"],
        [".scripts\\run_osx_build.sh"],
        [],
        [],
        [],
        [".scripts/run_osx_build.sh"],
    ),
    "manifest: a skipped file stays": (
        MANIFEST,
        [".scripts/build_steps.sh"],
        [],
        [],
        ["./.scripts/"],
        [],
        [],
    ),
    "manifest: a legacy file it never generated stays": (
        MANIFEST,
        ["LICENSE", ".travis.yml", "circle.yml"],
        [],
        [],
        [],
        [],
        [],
    ),
    "manifest: a listed file that is gone is not removed": (MANIFEST, [], [], [], [], [], []),
    "legacy: an old job file goes": (
        LEGACY,
        [".ci_support/linux_64_.yaml"],
        [],
        [],
        [],
        [],
        [".ci_support/linux_64_.yaml"],
    ),
    "legacy: migrations below .ci_support stay": (
        LEGACY,
        [".ci_support/migrations/python314.yaml"],
        [],
        [],
        [],
        [],
        [],
    ),
    "legacy: a user script in .scripts stays": (
        LEGACY,
        [".scripts/my_helper.sh"],
        [],
        [],
        [],
        [],
        [],
    ),
    "legacy: conda-smithy's scripts go": (
        LEGACY,
        [".scripts/run_osx_build.sh"],
        [],
        [],
        [],
        [],
        [".scripts/run_osx_build.sh"],
    ),
    "legacy: a user workflow stays": (LEGACY, [".github/workflows/custom.yml"], [], [], [], [], []),
    "legacy: recipe files stay": (
        LEGACY,
        ["recipe/meta.yaml", "recipe/build.sh"],
        [],
        [],
        [],
        [],
        [],
    ),
    "legacy: files conda-smithy retired go": (
        LEGACY,
        ["LICENSE", "circle.yml"],
        [],
        [],
        [],
        [],
        ["LICENSE", "circle.yml"],
    ),
    "legacy: a provider still running jobs keeps its files": (
        LEGACY,
        [".travis.yml"],
        [],
        [],
        [],
        ["travis"],
        [],
    ),
    "legacy: a retired provider's files go": (
        LEGACY,
        [".travis.yml", ".travis/run_docker_build.sh"],
        [],
        [],
        [],
        [],
        [".travis.yml", ".travis/run_docker_build.sh"],
    ),
    "legacy: a skipped folder stays, in any spelling": (
        LEGACY,
        [".ci_support/linux_64_.yaml", "LICENSE"],
        [],
        [],
        [".\\.ci_support\\", "./LICENSE"],
        [],
        [],
    ),
    "legacy: a planned file stays": (LEGACY, ["README.md"], [], ["README.md"], [], [], []),
    "legacy: only job names go from .ci_support, a user's own yaml stays": (
        LEGACY,
        [
            ".ci_support/mine.yaml",
            ".ci_support/notes_linux.yaml",
            ".ci_support/linux_aarch64_python3.9.yaml",
            ".ci_support/osx_python3.6.yaml",
            ".ci_support/win_64_.yaml",
            ".ci_support/emscripten_wasm32_.yaml",
        ],
        [],
        [],
        [],
        [],
        [
            ".ci_support/linux_aarch64_python3.9.yaml",
            ".ci_support/osx_python3.6.yaml",
            ".ci_support/win_64_.yaml",
            ".ci_support/emscripten_wasm32_.yaml",
        ],
    ),
    "manifest: a user's own yaml in .ci_support stays": (
        MANIFEST,
        [".ci_support/mine.yaml"],
        [],
        [],
        [],
        [],
        [],
    ),
}


@pytest.mark.parametrize(
    ("mode", "files", "listed", "planned", "skip", "providers", "expected"),
    list(REMOVAL_CASES.values()),
    ids=list(REMOVAL_CASES),
)
def test_paths_to_remove(
    tmp_path: Path,
    mode: str,
    files: list[str],
    listed: list[str],
    planned: list[str],
    skip: list[str],
    providers: list[str],
    expected: list[str],
) -> None:
    touch(tmp_path, *files)
    removed = paths_to_remove(
        tmp_path,
        planned=set(planned),
        generated_before=[*GENERATED, *listed] if mode == MANIFEST else None,
        skip_render=skip,
        providers=set(providers),
        ci_paths=[".scripts/run_osx_build.sh", ".scripts/build_steps.sh"],
    )
    assert removed == tuple(sorted(expected))
    for path in files:  # the decision only reads the feedstock
        assert (tmp_path / path).is_file()


@pytest.mark.parametrize("mode", [MANIFEST, LEGACY])
def test_finished_migrations_go_in_both_modes(tmp_path: Path, mode: str) -> None:
    migration = ".ci_support/migrations/python313.yaml"
    touch(tmp_path, migration)
    removed = paths_to_remove(
        tmp_path,
        planned=set(),
        generated_before=[] if mode == MANIFEST else None,
        finished_migrations=[migration],
    )
    assert removed == (migration,)
