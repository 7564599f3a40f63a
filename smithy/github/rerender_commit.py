"""Commit a rerender's files in git, as conda-smithy's ``rerender --commit`` does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy.github.git import FeedstockGit


@dataclass(frozen=True, slots=True)
class RerenderCommit:
    """What ``smithy rerender --commit`` recorded in git.

    Attributes:
        committed: False when the rerender changed nothing git would record.
        message: the commit message offered (the editor may have changed it for ``edit``).
        paths: the generated paths staged for the commit, sorted.
    """

    committed: bool
    message: str
    paths: tuple[str, ...]


def commit_message(smithy_version: str, pinning_origin: str, pinning_version: str) -> str:
    """Return the message of a rerender commit, naming smithy's and the pinning's versions.

    It starts as conda-smithy's does ("MNT: Re-rendered with"), which bots look for.
    """
    named = (
        f"conda-forge-pinning {pinning_version}"
        if pinning_version != "unknown"
        else f"the pinning from {pinning_origin}"
    )
    return f"MNT: Re-rendered with smithy {smithy_version} and {named}"


def commit_generated(
    root: Path,
    paths: Sequence[str],
    message: str,
    environ: Mapping[str, str],
    *,
    edit: bool = False,
) -> RerenderCommit:
    """Stage ``paths`` (written or removed by the rerender) and commit only them.

    Other work in the index stays staged and out of the commit. Nothing is committed when
    git sees no difference for these paths.

    Raises:
        GitError: git fails, or the editor left an empty message (``edit``).
    """
    git = FeedstockGit(root, environ)
    staged = git.stage(paths)
    if not git.has_staged_changes(staged):
        return RerenderCommit(False, message, tuple(staged))
    git.commit_paths(message, staged, edit=edit)
    return RerenderCommit(True, message, tuple(staged))
