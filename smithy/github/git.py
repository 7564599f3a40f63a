"""The few git commands registration needs, run in the feedstock with an explicit environment."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from smithy.errors import Span
from smithy.github.errors import GitError


def _text(output: bytes) -> str:
    # git's paths are bytes: undecodable ones survive the round trip back to git
    return output.decode("utf-8", "surrogateescape")


class FeedstockGit:
    """git in one feedstock folder; failures become one-line :class:`GitError`.

    Args:
        path: the feedstock folder.
        environ: the environment git runs with (the CLI passes the process environment);
            prompts are switched off so a missing credential fails instead of hanging.
    """

    def __init__(self, path: Path, environ: Mapping[str, str]) -> None:
        self.path = path
        self._env = {**environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "LC_ALL": "C"}

    def _run(
        self,
        args: Sequence[str],
        *,
        check: bool = True,
        stdin: bytes | None = None,
        index: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run git; ``stdin`` is fed to it, ``index`` replaces the repository's index file."""
        env = self._env if index is None else {**self._env, "GIT_INDEX_FILE": str(index)}
        try:
            raw = subprocess.run(
                ["git", *args],
                cwd=self.path,
                env=env,
                input=stdin if stdin is not None else b"",
                capture_output=True,
                timeout=600,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"'git {args[0]}' took longer than 10 minutes", self._span) from None
        done = subprocess.CompletedProcess(
            raw.args, raw.returncode, _text(raw.stdout), _text(raw.stderr)
        )
        if check and done.returncode != 0:
            raise GitError(f"'git {args[0]}' failed: {self._last_line(done)}", self._span)
        return done

    @property
    def _span(self) -> Span:
        return Span(str(self.path))

    @staticmethod
    def _last_line(done: subprocess.CompletedProcess[str]) -> str:
        lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        # git's useful line is usually the first 'error:'/'fatal:' one, else the last.
        for line in lines:
            if line.startswith(("fatal:", "error:", "!")):
                return line
        return lines[-1] if lines else f"exit code {done.returncode}"

    def check_repository(self) -> None:
        """Raise unless the feedstock is the top of a git work tree with at least one commit."""
        if not self.path.is_dir():
            raise GitError("feedstock folder not found", self._span)
        top = self._run(["rev-parse", "--show-toplevel"], check=False)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != self.path.resolve():
            raise GitError(
                "not the top of a git repository; run 'smithy init' or 'git init' and commit",
                self._span,
            )
        if self._run(["rev-parse", "--verify", "-q", "HEAD^{commit}"], check=False).returncode:
            raise GitError("the feedstock has no commit yet; commit the recipe first", self._span)

    def head(self) -> str:
        """Return the commit id of ``HEAD``."""
        return self._run(["rev-parse", "HEAD^{commit}"]).stdout.strip()

    def root_commits(self) -> tuple[str, ...]:
        """Return the first commits of ``HEAD``'s history (usually one), sorted."""
        out = self._run(["rev-list", "--max-parents=0", "HEAD"]).stdout
        return tuple(sorted(line.strip() for line in out.splitlines() if line.strip()))

    def remote_url(self, name: str) -> str | None:
        """Return the URL of remote ``name``, or None when there is no such remote."""
        done = self._run(["remote", "get-url", name], check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def add_remote(self, name: str, url: str) -> None:
        """Add remote ``name`` pointing at ``url``."""
        self._run(["remote", "add", name, url])

    def push(self, target: str, branch: str) -> None:
        """Push ``HEAD`` to ``branch`` of ``target`` (a remote name or a URL), never forcing."""
        self._run(["push", "--quiet", target, f"HEAD:refs/heads/{branch}"])

    def stage(self, paths: Sequence[str]) -> list[str]:
        """Stage ``paths`` (written or removed) as ``git add --all`` would; return those staged.

        A removed path git never tracked is skipped (there is nothing to record for it), and so
        is an untracked path the feedstock's ``.gitignore`` excludes (git would refuse it).
        """
        present = [path for path in paths if (self.path / path).exists()]
        ignored = self.ignored(present)
        present = [path for path in present if path not in ignored]
        removed = [path for path in paths if path not in present]
        if removed:
            out = self._run(["ls-files", "-z", "--", *removed]).stdout
            tracked = {name for name in out.split("\0") if name}
            removed = [path for path in removed if path in tracked]
        if present or removed:
            self._run(["add", "--all", "--", *present, *removed])
        return sorted([*present, *removed])

    def ignored(self, paths: Sequence[str]) -> frozenset[str]:
        """The untracked ``paths`` the repository's ignore rules exclude (``git add`` skips)."""
        if not paths:
            return frozenset()
        listing = "".join(path + "\0" for path in paths).encode("utf-8", "surrogateescape")
        out = self._run(["check-ignore", "-z", "--stdin"], stdin=listing, check=False).stdout
        return frozenset(name for name in out.split("\0") if name)

    def has_staged_changes(self, paths: Sequence[str]) -> bool:
        """Whether the index differs from ``HEAD`` for any of ``paths``."""
        if not paths:
            return False
        done = self._run(["diff", "--cached", "--quiet", "--", *paths], check=False)
        return bool(done.returncode)

    def commit_paths(self, message: str, paths: Sequence[str], *, edit: bool = False) -> None:
        """Commit only ``paths`` (other staged work stays staged) with ``message``.

        With ``edit`` git opens the user's editor on the message, as ``git commit -e`` does;
        the terminal is handed to the editor, and an emptied message aborts the commit.
        """
        args = ["commit", "--quiet", "-m", message, "--only", "--", *paths]
        if not edit:
            self._run(args)
            return
        try:
            done = subprocess.run(
                ["git", "commit", "-e", *args[1:]], cwd=self.path, env=self._env, check=False
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        if done.returncode != 0:
            raise GitError("'git commit' was aborted or failed (git said why above)", self._span)
