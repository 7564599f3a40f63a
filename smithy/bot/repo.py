"""The git steps of the bot's PRs: refuse unsafe states, commit on the bot's branch.

A migration and a version bump (``bump --commit``, ``fleet bump --commit``) commit here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from smithy.atomic.single_file import replace_file
from smithy.bump.apply import BumpReport
from smithy.errors import SmithyError, Span
from smithy.github.errors import GitError
from smithy.github.git import FeedstockGit
from smithy.rerender.writer import FileChange

_NO_COMMIT = "0" * 40  # `update-ref NEW OLD` with this OLD: create the ref, never move one
# How the migration's tree comparison (bot.apply) spells a symlink's target as file content.
LINK_PREFIX = b"symlink to "
_INDEX = "smithy-commit.index"  # the scratch index a commit is built in (beside git's own)
_SWITCH = "smithy-switch"  # "<branch> <commit>" of a switch, until branch, HEAD and index moved


class Repository(FeedstockGit):
    """git in one feedstock; every failure is a one-line error on the folder.

    The migration steps read git's output as text; running git (environment, prompts off,
    timeout, error wording) is the registration helper's.

    A commit is built with git's plumbing in a scratch index and becomes visible in one step,
    the creation of its branch; HEAD, the index and the work tree are not touched on the way.
    A run killed (a fleet timeout) anywhere before that step leaves no branch; after it, the
    whole commit. A bump also moves onto the new branch: the branch and commit are recorded
    before the branch is created, and :meth:`recover` (the next run) finishes what a killed
    run left of the three steps (branch, HEAD, index).
    """

    def _git(self, *args: str, check: bool = True) -> str:
        done = self._run(args, check=check)
        return done.stdout.strip() if done.returncode == 0 else ""

    def recover(self) -> None:
        """Finish a switch to a new branch that a killed run left half done."""
        marker = self.git_dir() / _SWITCH
        try:
            branch, commit = marker.read_text(encoding="utf-8").split()
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError, ValueError):
            message = "cannot read smithy's unfinished branch switch; remove it and check git"
            raise SmithyError(message, Span(str(marker))) from None
        if not self.branch_exists(branch):
            self._git("update-ref", f"refs/heads/{branch}", commit, _NO_COMMIT)
        self._git("symbolic-ref", "HEAD", f"refs/heads/{branch}")
        self._git("read-tree", "HEAD")  # the index as the new commit has it
        self._git("update-index", "-q", "--refresh", check=False)
        marker.unlink(missing_ok=True)

    def check_clean(self) -> str:
        """The current branch, after refusing what a bot commit must not touch.

        Raises:
            SmithyError: not a repository, a detached HEAD, or uncommitted changes.
        """
        top = self._git("rev-parse", "--show-toplevel", check=False)
        if not top or Path(top).resolve() != self.path.resolve():
            raise SmithyError("not the top of a git repository", Span(str(self.path)))
        self.recover()
        current = self._git("symbolic-ref", "-q", "--short", "HEAD", check=False)
        if not current:
            raise SmithyError(
                "HEAD is detached; check out the branch to migrate", Span(str(self.path))
            )
        if self._git("status", "--porcelain", "--untracked-files=normal"):
            raise SmithyError(
                "uncommitted changes (an interrupted smithy run leaves its edits so); commit "
                "or stash them first",
                Span(str(self.path)),
            )
        return current

    def check_ready(self, branch: str) -> str:
        """:meth:`check_clean`, and refuse when the bot's ``branch`` exists already."""
        current = self.check_clean()
        self.check_new_branch(branch)
        return current

    def check_new_branch(self, branch: str) -> None:
        """Refuse when the local ``branch`` exists already (the bot never overwrites one)."""
        if self.branch_exists(branch):
            raise GitError(f"branch '{branch}' exists already", Span(str(self.path)))

    def branch_exists(self, branch: str) -> bool:
        """Whether the local branch ``branch`` exists."""
        return bool(self._git("rev-parse", "--verify", "-q", f"refs/heads/{branch}", check=False))

    def commit_on_new_branch(
        self, branch: str, message: str, changes: Sequence[FileChange] | None = None
    ) -> str:
        """Commit on top of HEAD as the new ``branch``; return the commit. Nothing else moves.

        Args:
            branch: created at the commit (git refuses if it exists, nothing is visible then).
            message: the commit message.
            changes: the files the commit changes; None: the work tree, as ``git add --all``
                (and HEAD and the index move to the new branch, whose tree the work tree is).
        """
        index = self.git_dir() / _INDEX
        for stale in (index, index.with_name(_INDEX + ".lock")):  # a killed run's; we hold
            stale.unlink(missing_ok=True)  # the feedstock's lock, so no one else uses them
        try:
            self._run(["read-tree", "HEAD"], index=index)
            if changes is None:
                self._run(["add", "--all"], index=index)
            else:
                self._stage_changes(changes, index)
            tree = self._run(["write-tree"], index=index).stdout.strip()
        finally:
            index.unlink(missing_ok=True)
        commit = self._git("commit-tree", tree, "-p", "HEAD", "-m", message)
        if changes is None:
            replace_file(self.git_dir() / _SWITCH, f"{branch} {commit}\n".encode())
            self.recover()  # creates the branch, then moves HEAD and the index
        else:
            self._git("update-ref", f"refs/heads/{branch}", commit, _NO_COMMIT)  # the commit
        return commit

    def _stage_changes(self, changes: Sequence[FileChange], index: Path) -> None:
        wanted = [change for change in changes if change.changes_anything]
        ignored = self.ignored([change.path for change in wanted if change.new is not None])
        entries = []
        for change in wanted:
            if change.new is None:
                entries.append(f"0 {_NO_COMMIT}\t{change.path}")
            elif change.path not in ignored:
                mode, blob = self._blob(change)
                entries.append(f"{mode} {blob}\t{change.path}")
        if entries:
            stdin = "".join(entry + "\0" for entry in entries).encode("utf-8", "surrogateescape")
            self._run(["update-index", "-z", "--index-info"], stdin=stdin, index=index)

    def _blob(self, change: FileChange) -> tuple[str, str]:
        """The index mode and the stored blob of a written file (a symlink: its target)."""
        data = change.new or b""
        if data.startswith(LINK_PREFIX):
            args, mode, data = ["--no-filters"], "120000", data[len(LINK_PREFIX) :]
        else:  # `--path`: the repository's attributes (line endings) apply as `git add`'s do
            args, mode = [f"--path={change.path}"], "100755" if change.mode & 0o111 else "100644"
        blob = self._run(["hash-object", "-w", "--stdin", *args], stdin=data).stdout.strip()
        return mode, blob

    def git_dir(self) -> Path:
        """The repository's git folder (where the PR body is kept, out of the work tree)."""
        return (self.path / self._git("rev-parse", "--git-dir")).resolve()


def commit_bump(root: Path, report: BumpReport, environ: Mapping[str, str]) -> str:
    """Commit the bumped feedstock on a new branch named as the bot names it and switch to it.

    Returns:
        The branch.

    Raises:
        SmithyError: not a git repository (or no commit yet), the branch exists, git fails.
    """
    repo = Repository(root, dict(environ))
    repo.check_repository()
    repo.recover()
    repo.check_new_branch(report.branch)
    repo.commit_on_new_branch(report.branch, f"updated v{report.target}")
    return report.branch
