"""Tests of ``init_feedstock``: recipe copy, conda-forge.yml, git repository, first commit."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from smithy import __version__
from smithy.errors import ConfigError
from smithy.init_feedstock import InitError, conda_forge_yml, init_feedstock
from smithy.recipe.model import RecipeFormat

DATA = Path(__file__).resolve().parent / "data" / "rerender_files"

pytestmark = pytest.mark.usefixtures("git_identity")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_init_v0_copies_recipe_moves_config_and_commits(tmp_path: Path) -> None:
    seen: list[Path] = []

    def fake_rerender(feedstock: Path) -> None:
        seen.append(feedstock)
        assert (feedstock / ".git").is_dir()  # rerender runs inside the new repository
        (feedstock / "README.md").write_text("generated\n")

    target = tmp_path / "out" / "tiny-feedstock"
    result = init_feedstock(
        DATA / "recipe_v0", feedstock_dir=target, environ={}, rerender=fake_rerender
    )
    assert result.feedstock_name == "tiny-feedstock"  # from extra.feedstock-name
    assert result.recipe_format is RecipeFormat.V0
    assert result.rerendered
    assert seen == [target]
    assert (target / "recipe" / "meta.yaml").read_text() == (
        DATA / "recipe_v0" / "meta.yaml"
    ).read_text()
    assert (target / "recipe" / "build.sh").stat().st_mode & stat.S_IXUSR
    assert not (target / "recipe" / "conda-forge.yml").exists()
    config = (target / "conda-forge.yml").read_text()
    assert config == "# shipped with the recipe\nprovider:\n  linux_aarch64: default\n"

    assert (
        git(target, "log", "--format=%s") == f"Initial feedstock commit with smithy {__version__}"
    )
    assert git(target, "rev-parse", "HEAD") == result.commit
    assert git(target, "branch", "--show-current") == "main"
    tracked = git(target, "ls-files").splitlines()
    assert tracked == ["README.md", "conda-forge.yml", "recipe/build.sh", "recipe/meta.yaml"]
    assert git(target, "status", "--porcelain") == ""


def test_init_v1_defaults_to_package_name_and_rattler_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = init_feedstock(DATA / "recipe_v1", environ={})
    assert result.feedstock_dir == Path("pyhello-feedstock")
    assert not result.rerendered
    root = tmp_path / "pyhello-feedstock"
    assert (root / "conda-forge.yml").read_text() == "conda_build_tool: rattler-build\n"
    assert (root / "recipe" / "recipe.yaml").is_file()
    assert git(root, "ls-files").splitlines() == ["conda-forge.yml", "recipe/recipe.yaml"]


def test_init_refuses_non_empty_target_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine\n")
    with pytest.raises(InitError, match="not an empty folder") as caught:
        init_feedstock(DATA / "recipe_v0", feedstock_dir=target, environ={})
    assert caught.value.span is not None
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_init_accepts_an_empty_target_without_git(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    result = init_feedstock(DATA / "recipe_v1", feedstock_dir=target, environ={}, git=False)
    assert result.commit is None
    assert not (target / ".git").exists()
    assert (target / "recipe" / "recipe.yaml").is_file()


def test_init_refuses_target_inside_the_recipe(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "recipe.yaml").write_text((DATA / "recipe_v1" / "recipe.yaml").read_text())
    with pytest.raises(InitError, match="inside the recipe folder"):
        init_feedstock(recipe, feedstock_dir=recipe / "fs", environ={})
    assert not (recipe / "fs").exists()


def test_git_failure_is_reported_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{role}_NAME")
        monkeypatch.delenv(f"GIT_{role}_EMAIL")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.useConfigOnly")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    with pytest.raises(InitError, match=r"git commit failed.*user\.name and user\.email"):
        init_feedstock(DATA / "recipe_v1", feedstock_dir=tmp_path / "fs", environ={})


@pytest.mark.parametrize(
    ("fmt", "shipped", "expected"),
    [
        (RecipeFormat.V0, None, "{}\n"),
        (RecipeFormat.V0, "{}\n", "{}\n"),
        (RecipeFormat.V1, None, "conda_build_tool: rattler-build\n"),
        (RecipeFormat.V1, "conda_build_tool: conda-build\n", "conda_build_tool: conda-build\n"),
        (
            RecipeFormat.V1,
            "# keep me\nbot:\n  automerge: true\n",
            "# keep me\nconda_build_tool: rattler-build\nbot:\n  automerge: true\n",
        ),
    ],
)
def test_conda_forge_yml(fmt: RecipeFormat, shipped: str | None, expected: str) -> None:
    assert conda_forge_yml(fmt, shipped) == expected


def test_conda_forge_yml_rejects_bad_yaml() -> None:
    with pytest.raises(ConfigError):
        conda_forge_yml(RecipeFormat.V0, "provider: [unclosed\n")
