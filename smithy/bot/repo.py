"""The git steps of the bot's PRs: refuse unsafe states, commit on the bot's branch.

A migration and a version bump (``bump --commit``, ``fleet bump --commit``) commit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from smithy.bump.apply import BumpReport
from smithy.errors import SmithyError, Span
from smithy.github.git import FeedstockGit


class Repository(FeedstockGit):
    """git in one feedstock; every failure is a one-line error on the folder.

    The migration steps read git's output as text; running git (environment, prompts off,
    timeout, error wording) is the registration helper's.
    """

    def _git(self, *args: str, check: bool = True) -> str:
        done = self._run(args, check=check)
        return done.stdout.strip() if done.returncode == 0 else ""

    def check_ready(self, branch: str) -> str:
        """The current branch, after refusing what a migration commit must not touch.

        Raises:
            SmithyError: not a repository, a detached HEAD, uncommitted changes, or the
                migration's branch exists already.
        """
        top = self._git("rev-parse", "--show-toplevel", check=False)
        if not top or Path(top).resolve() != self.path.resolve():
            raise SmithyError("not the top of a git repository", Span(str(self.path)))
        current = self._git("symbolic-ref", "-q", "--short", "HEAD", check=False)
        if not current:
            raise SmithyError(
                "HEAD is detached; check out the branch to migrate", Span(str(self.path))
            )
        if self._git("status", "--porcelain", "--untracked-files=normal"):
            raise SmithyError(
                "uncommitted changes; commit or stash them first", Span(str(self.path))
            )
        if self._git("rev-parse", "--verify", "-q", f"refs/heads/{branch}", check=False):
            raise SmithyError(f"branch '{branch}' exists already", Span(str(self.path)))
        return current

    def start_branch(self, branch: str) -> None:
        """Create ``branch`` at HEAD and switch to it."""
        self._git("checkout", "-q", "-b", branch)

    def back_to(self, original: str, *, drop: str | None = None) -> None:
        """Return to ``original`` (discarding work-tree changes); delete ``drop`` if given."""
        self._git("checkout", "-q", "-f", original)
        self._git("clean", "-q", "-fd")
        if drop is not None:
            self._git("branch", "-q", "-D", drop, check=False)

    def git_dir(self) -> Path:
        """The repository's git folder (where the PR body is kept, out of the work tree)."""
        return (self.path / self._git("rev-parse", "--git-dir")).resolve()


def commit_bump(root: Path, report: BumpReport, environ: Mapping[str, str]) -> str:
    """Commit the bumped feedstock on a new branch named as the bot names it; the branch."""
    git = FeedstockGit(root, dict(environ))
    git.check_repository()
    git.create_branch(report.branch)
    git.commit_all(f"updated v{report.target}")
    return report.branch
