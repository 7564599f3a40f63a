"""A generated ecosystem of feedstocks in real git repositories, rerendered and committed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from smithy import api
from tests.bot.ecosystem import commit_all, write_ecosystem


@pytest.fixture(scope="session")
def _pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Built once: rerendering thirty feedstocks is the slow part, copying them is not."""
    root = tmp_path_factory.mktemp("ecosystem")
    with pytest.MonkeyPatch.context() as patch:
        _identity(patch, tmp_path_factory)
        pinning, folder = write_ecosystem(root)
        for feedstock in sorted(folder.iterdir()):
            api.rerender(feedstock, pinning=str(pinning), environ={})
            commit_all(feedstock, "initial")
    yield root


def _identity(patch: pytest.MonkeyPatch, factory: pytest.TempPathFactory) -> None:
    empty = factory.mktemp("gitconfig") / "config"
    empty.write_text("")
    patch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        patch.setenv(f"GIT_{role}_NAME", "Smithy Test")
        patch.setenv(f"GIT_{role}_EMAIL", "test@example.org")


@pytest.fixture
def ecosystem(_pristine: Path, tmp_path: Path, git_identity: None) -> tuple[Path, Path]:
    """(pinning, feedstocks folder): a fresh copy, every feedstock committed on main."""
    shutil.copytree(_pristine, tmp_path / "eco", symlinks=True)
    return tmp_path / "eco" / "pin", tmp_path / "eco" / "fs"
