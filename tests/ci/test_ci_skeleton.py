"""``smithy ci-skeleton`` in a project's own repository: files, .gitignore block, rerender."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy.cli import main
from tests.conftest import DATA

PINNING = str(DATA / "rerender_matrix" / "pinning")
README = "# my project\n"
LICENSE = "my licence text\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "README.md").write_text(README)
    (root / "LICENSE").write_text(LICENSE)
    (root / ".gitignore").write_text("node_modules/\n*.pyc")  # no final newline
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_skeleton_then_rerender_keeps_the_projects_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["ci-skeleton", "mypkg", "--feedstock-directory", str(project), "--pinning", PINNING]
    assert main(args) == 0
    assert (project / "README.md").read_text() == README
    assert (project / "LICENSE").read_text() == LICENSE
    gitignore = (project / ".gitignore").read_text()
    assert gitignore.startswith("node_modules/\n*.pyc\n\n# >>> conda-forge CI")
    assert "build_artifacts/\n" in gitignore and gitignore.endswith("<<<\n")
    config = (project / "conda-forge.yml").read_text()
    assert "recipe_dir: recipe\n" in config and "clone_depth: 0" in config
    assert "  - README.md\n" in config and "  - .gitignore\n" in config
    meta = (project / "recipe" / "meta.yaml").read_text()
    assert '{% set name = "mypkg" %}' in meta and "GIT_DESCRIBE_TAG" in meta
    assert sorted(p.name for p in (project / ".ci_support").glob("*.yaml")) == [
        "linux_64_.yaml",
        "osx_64_.yaml",
        "win_64_.yaml",
    ]
    assert (project / ".github" / "workflows" / "conda-build.yml").is_file()
    assert not (project / "build-locally.py").exists()  # skipped: the project's own business

    before = snapshot(project)
    capsys.readouterr()
    assert main(args) == 0
    assert snapshot(project) == before
    assert capsys.readouterr().out.count("exists, kept") == 3


def test_recipe_renders_its_version_from_the_git_tag(project: Path, capsys) -> None:
    assert (
        main(["ci-skeleton", "mypkg", "--feedstock_directory", str(project), "--no-rerender"]) == 0
    )
    assert not (project / ".ci_support").exists()
    capsys.readouterr()
    recipe = str(project / "recipe")
    assert main(["render", recipe, "--pinning", PINNING, "--format", "json"]) == 0
    rendered = json.dumps(json.loads(capsys.readouterr().out))
    assert '"mypkg"' in rendered and '"0.0.0"' in rendered  # no tag during a render pass


def test_outdated_gitignore_block_is_replaced_in_place(project: Path) -> None:
    (project / ".gitignore").write_text(
        "a\n# >>> conda-forge CI (smithy ci-skeleton) >>>\nold\n"
        "# <<< conda-forge CI (smithy ci-skeleton) <<<\nb\n"
    )
    assert main(["ci-skeleton", "p", "--feedstock-directory", str(project), "--no-rerender"]) == 0
    text = (project / ".gitignore").read_text()
    assert text.startswith("a\n# >>> conda-forge CI") and text.endswith("<<<\nb\n")
    assert "old" not in text and "build_artifacts/" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Name"], "is not a conda package name"),
        (["ok", "-r", "../outside"], "must be a folder inside the project"),
    ],
)
def test_bad_input_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["ci-skeleton", *args, "--feedstock-directory", str(project)]) == 3
    assert message in capsys.readouterr().err
    assert not (project / "conda-forge.yml").exists()
