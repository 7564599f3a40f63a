"""Staging generated paths: a path the feedstock's .gitignore excludes is skipped, not an error."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from smithy.github.git import FeedstockGit


def test_stage_skips_ignored_untracked_paths(tmp_path: Path, git_identity: None) -> None:
    (tmp_path / ".gitignore").write_text("*.log\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    for name in ("build.log", "new.txt"):
        (tmp_path / name).write_text("x\n")
    git = FeedstockGit(tmp_path, os.environ)
    assert git.ignored(["build.log", "new.txt", "gone.log"]) == {"build.log", "gone.log"}
    assert git.stage(["build.log", "new.txt"]) == ["new.txt"]  # git add refuses ignored paths
    assert git.has_staged_changes(["new.txt"])
