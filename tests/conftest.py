"""Shared fixtures: paths to test data and small-tree builders."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time, so a red build is always reproducible. Neither
# profile has a per-example deadline: on a loaded machine (pytest -n 2 beside other work) an
# example took 546 ms against hypothesis's default 200 ms, a failure that says nothing.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("local", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of committed test fixtures."""
    return DATA


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``{relative path: text}`` below ``root`` and return ``root``."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def build_tree(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    """Return a function writing a small file tree into a fresh temporary folder."""

    def build(files: Mapping[str, str]) -> Path:
        return write_tree(tmp_path, files)

    return build


@pytest.fixture
def git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A git that ignores the user's config and commits as a fixed test identity."""
    empty = tmp_path_factory.mktemp("gitconfig") / "config"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Smithy Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")


@pytest.fixture
def embedded_pinning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render with the embedded default pinning whatever ``$SMITHY_PINNING`` says."""
    monkeypatch.delenv("SMITHY_PINNING", raising=False)


@pytest.fixture
def disk_full_on(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Arm a full disk: every rename onto a file named ``name`` fails with ENOSPC."""

    def arm(name: str) -> None:
        real_replace = os.replace

        def replace(source: object, target: object) -> None:
            if Path(str(target)).name == name:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
            real_replace(source, target)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "replace", replace)

    return arm
