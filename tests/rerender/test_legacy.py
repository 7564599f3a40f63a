"""Tests of the removal of files conda-smithy generated and smithy no longer writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.rerender.legacy import (
    OBSOLETE_PATHS,
    is_skipped,
    obsolete_paths,
    path_matches,
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


def test_obsolete_files_removed_and_user_files_kept(tmp_path: Path) -> None:
    touch(
        tmp_path,
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
        # user files and current files: never on the list
        ".github/workflows/custom.yml",
        "recipe/patches/fix.patch",
        "LICENSE.txt",
        "README.md",
    )
    removed = obsolete_paths(tmp_path)
    assert removed == tuple(sorted(removed))
    assert set(removed) == {
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
    }
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
