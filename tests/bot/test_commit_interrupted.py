"""A bot commit cut anywhere (a fleet timeout kills its worker) leaves no half state.

Every git call of a commit is a step boundary; the run is cut at each one in turn and the
repository must show either the old HEAD with nothing committed or the whole new commit, and
the next run must go on from there. One run is killed for real (SIGKILL) inside git.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from smithy.bot.repo import Repository, commit_bump
from smithy.errors import SmithyError
from smithy.rerender.writer import FileChange

BRANCH = "rebuild-x"


class _Cut(BaseException):
    """The run stops here, as a killed worker does (no except clause catches it)."""


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, git_identity: None) -> Path:
    root = tmp_path / "x-feedstock"
    (root / "recipe").mkdir(parents=True)
    (root / "recipe" / "meta.yaml").write_text("number: 0\n")
    (root / "old.txt").write_text("gone soon\n")
    (root / ".gitignore").write_text("*.log\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "initial")
    return root


_CHANGES = (
    FileChange("recipe/meta.yaml", "update", b"number: 0\n", b"number: 1\n"),
    FileChange("build.sh", "create", None, b"#!/bin/sh\n", 0o755),
    FileChange("old.txt", "remove", b"gone soon\n", None),
    FileChange("debug.log", "create", None, b"ignored\n"),  # `git add --all` would skip it
    FileChange("link", "create", None, b"symlink to recipe/meta.yaml"),
)


class _Cutter:
    """Counts the git calls a Repository makes and cuts the run at call ``at``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at: int | None = None
        self.seen: list[str] = []
        real = Repository._run

        def counted(repository: Repository, args: Any, **kwargs: Any) -> Any:
            if len(self.seen) == self.at:
                raise _Cut
            self.seen.append(args[0])
            return real(repository, args, **kwargs)

        monkeypatch.setattr(Repository, "_run", counted)

    def cut(self, at: int | None) -> None:
        self.at, self.seen = at, []


def _state(root: Path) -> tuple[str, str, str, str]:
    branches = _git(root, "branch", "--list", "--format=%(refname:short)")
    return (_git(root, "symbolic-ref", "--short", "HEAD"), _git(root, "rev-parse", "HEAD"),
            _git(root, "status", "--porcelain"), branches)  # fmt: skip


def test_a_migration_commit_is_whole_and_touches_nothing_else(repo: Path) -> None:
    before = _state(repo)
    commit = Repository(repo, os.environ).commit_on_new_branch(BRANCH, "rebuild", _CHANGES)
    assert _state(repo)[:3] == before[:3]  # HEAD, index and work tree as they were
    assert _git(repo, "rev-parse", BRANCH) == commit
    listing = _git(repo, "ls-tree", "-r", BRANCH)
    modes = {line.split("\t")[1]: line.split()[0] for line in listing.splitlines()}
    assert modes == {".gitignore": "100644", "build.sh": "100755", "link": "120000",
                     "recipe/meta.yaml": "100644"}  # fmt: skip
    assert _git(repo, "show", f"{BRANCH}:link") == "recipe/meta.yaml"
    assert _git(repo, "show", f"{BRANCH}:recipe/meta.yaml") == "number: 1"
    assert not list((repo / ".git").glob("smithy-*"))


def test_a_migration_commit_cut_at_any_step_leaves_no_branch_or_the_whole_commit(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(repo)
    cutter = _Cutter(monkeypatch)
    Repository(repo, os.environ).commit_on_new_branch(BRANCH, "rebuild", _CHANGES)
    whole, steps = _git(repo, "rev-parse", f"{BRANCH}^{{tree}}"), len(cutter.seen)
    _git(repo, "branch", "-q", "-D", BRANCH)
    assert steps >= 5  # read-tree, check-ignore, hash-object..., update-index, write-tree, ...
    for at in range(steps):
        cutter.cut(at)
        with pytest.raises(_Cut):
            Repository(repo, os.environ).commit_on_new_branch(BRANCH, "rebuild", _CHANGES)
        assert _state(repo) == before, cutter.seen  # update-ref is the last call: no branch
        cutter.cut(None)  # the next run goes on from there
        Repository(repo, os.environ).commit_on_new_branch(BRANCH, "rebuild", _CHANGES)
        assert _git(repo, "rev-parse", f"{BRANCH}^{{tree}}") == whole
        _git(repo, "branch", "-q", "-D", BRANCH)


def _bump_report(version: str) -> Any:
    # commit_bump reads the bump's branch name and version only
    return SimpleNamespace(branch=f"{version}_habcdef", target=version)


def test_a_bump_commit_cut_at_any_step_is_refused_clearly_or_finished_by_the_next_run(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = repo / "recipe" / "meta.yaml"
    cutter = _Cutter(monkeypatch)
    recipe.write_text("number: 1\n")
    assert commit_bump(repo, _bump_report("1.1"), os.environ) == "1.1_habcdef"
    steps, main = len(cutter.seen), _git(repo, "rev-parse", "main")
    assert _state(repo)[0::2] == ("1.1_habcdef", "")  # on the new branch, nothing left over
    refused = 0
    for at in range(steps):
        _git(repo, "checkout", "-q", "main")
        subprocess.run(["git", "branch", "-q", "-D", "1.1_habcdef"], cwd=repo, check=False)
        recipe.write_text("number: 1\n")  # the bump's edit, not committed yet
        cutter.cut(at)
        with pytest.raises(_Cut):
            commit_bump(repo, _bump_report("1.1"), os.environ)
        cutter.cut(None)
        repository = Repository(repo, os.environ)
        try:  # what the next `fleet bump --commit` does first
            repository.check_clean()
        except SmithyError as exc:  # cut before the commit was recorded: the edit waits
            assert "uncommitted changes (an interrupted smithy run" in exc.message
            assert _state(repo) == ("main", main, "M recipe/meta.yaml", "main")
            refused += 1
            continue
        head, _, status, _ = _state(repo)  # cut inside the switch: finished
        assert (head, status) == ("1.1_habcdef", ""), at
        assert _git(repo, "show", "HEAD:recipe/meta.yaml") == "number: 1"
        assert not (repo / ".git" / "smithy-switch").exists()
    assert 0 < refused < steps  # both kinds of cut were met


def test_a_bump_commit_killed_inside_git_leaves_main_and_its_edit(repo: Path) -> None:
    """SIGKILL while git writes the commit's tree: no branch, HEAD and index as they were."""
    fake = repo.parent / "bin"
    fake.mkdir()
    real = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout
    started = repo.parent / "started"
    (fake / "git").write_text(
        textwrap.dedent(f"""\
        #!/bin/sh
        if [ "$1" = write-tree ]; then touch {started}; sleep 30; fi
        exec {real.strip()} "$@"
        """)
    )
    (fake / "git").chmod(0o755)
    (repo / "recipe" / "meta.yaml").write_text("number: 1\n")
    script = (
        "import os, sys, types; from pathlib import Path; from smithy.bot.repo import commit_bump;"
        "commit_bump(Path(sys.argv[1]), types.SimpleNamespace(branch='1.1_habcdef',"
        " target='1.1'), os.environ)"
    )
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    child = subprocess.Popen([sys.executable, "-c", script, str(repo)], env=env,
                             start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not started.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists()
    os.killpg(child.pid, signal.SIGKILL)  # the worker and its git, as a timeout kills them
    child.wait()
    assert _git(repo, "symbolic-ref", "--short", "HEAD") == "main"
    assert _git(repo, "branch", "--list", "1.1_habcdef") == ""
    assert _git(repo, "status", "--porcelain") == "M recipe/meta.yaml"
    with pytest.raises(SmithyError, match="uncommitted changes"):
        Repository(repo, os.environ).check_clean()
