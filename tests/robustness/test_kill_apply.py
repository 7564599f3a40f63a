"""kill -9 inside the write phase of a rerender: the next smithy run leaves the old or new tree.

Each trial forks a child that applies a large change set (~360 files: updates, removals that
empty a folder, creations in a new folder), waits for the child's first staged file, sleeps a
random part of the write phase's length and sends SIGKILL. Recovery (what every smithy command
touching the feedstock runs first) must then leave exactly the old or exactly the new tree:
same files, same bytes, same executable bits, same folders, nothing else.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from smithy.atomic.journal import WORK_AREA, Step, apply_steps, recover
from smithy.atomic.session import feedstock_session
from smithy.cli import main
from smithy.errors import ExitCode, SmithyError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

TRIALS = 50
FILES = 360
Snapshot = dict[str, tuple[bytes, bool] | None]  # path -> (bytes, executable); None: a folder


def _yaml(index: int, flavour: str) -> bytes:
    return f"flavor:\n- '{index}'\ntarget: {flavour}\n".encode() * 40


def _old_tree(root: Path) -> None:
    (root / "recipe").mkdir(parents=True)
    (root / "recipe" / "meta.yaml").write_text("package: {name: big}\n")
    (root / ".ci_support").mkdir()
    for index in range(FILES):
        (root / ".ci_support" / f"linux_64_flavor{index}.yaml").write_bytes(_yaml(index, "old"))
    (root / ".azure-pipelines").mkdir()
    (root / ".azure-pipelines" / "azure-pipelines-linux.yml").write_text("jobs: []\n")
    script = root / "build-locally.py"
    script.write_text("print('old')\n")


def _steps() -> list[Step]:
    """Update two thirds, remove a sixth and a whole folder, create a sixth in a new folder."""
    steps = [Step("build-locally.py", b"print('new')\n", 0o755)]
    steps.append(Step(".azure-pipelines/azure-pipelines-linux.yml", None))
    for index in range(FILES):
        name = f".ci_support/linux_64_flavor{index}.yaml"
        if index % 6 == 0:
            steps.append(Step(name, None))
        elif index % 6 != 1:
            steps.append(Step(name, _yaml(index, "new")))
    for index in range(FILES // 6):
        steps.append(Step(f".github/workflows/job{index}.yml", _yaml(index, "created")))
    return sorted(steps, key=lambda step: step.path)


def snapshot(root: Path) -> Snapshot:
    """Every file and folder under ``root``: what must match the old or new tree exactly."""
    found: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in dirs:
            found[(base / name).relative_to(root).as_posix()] = None
        for name in files:
            path = base / name
            executable = bool(path.stat().st_mode & 0o111)
            found[path.relative_to(root).as_posix()] = (path.read_bytes(), executable)
    return found


def _kill_during_apply(root: Path, steps: list[Step], delay: float) -> None:
    pid = os.fork()
    if pid == 0:  # the child: apply, then leave without running pytest's exit handlers
        try:
            apply_steps(root, steps)
        finally:
            os._exit(0)
    staged = root / WORK_AREA / "new"
    deadline = time.monotonic() + 30
    while not staged.exists() and time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            return  # finished before we saw it: counts as a completed apply
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _differences(found: Snapshot, old: Snapshot, new: Snapshot) -> dict[str, list[str]]:
    """Paths that differ from each tree (for the failure message)."""
    return {
        name: sorted(p for p in set(found) | set(tree) if found.get(p, 0) != tree.get(p, 0))[:8]
        for name, tree in (("old", old), ("new", new))
    }


def _steps_between(current: Snapshot, wanted: Snapshot) -> list[Step]:
    """The steps that turn the ``current`` tree into the ``wanted`` one."""
    steps = []
    for path in sorted(set(current) | set(wanted)):
        have, want = current.get(path), wanted.get(path)
        if want is None and have is not None and path not in wanted:
            steps.append(Step(path, None))
        elif want is not None and want != have:
            steps.append(Step(path, want[0], 0o755 if want[1] else 0o644))
    return steps


def test_kill_nine_during_write_phase_always_recovers(tmp_path: Path) -> None:
    root = tmp_path / "feedstock"
    _old_tree(root)
    old = snapshot(root)
    started = time.monotonic()
    apply_steps(root, _steps())
    write_seconds = time.monotonic() - started
    new = snapshot(root)
    # Each trial turns the tree it finds (old or new) into the other one, so no copying.
    plans = {"old": _steps_between(old, new), "new": _steps_between(new, old)}
    rng = random.Random(14)
    seen = {"old": 0, "new": 0, "broken before recovery": 0}
    state = "new"
    for trial in range(TRIALS):
        _kill_during_apply(root, plans[state], rng.uniform(0, write_seconds * 1.1))
        if snapshot(root) not in (old, new):
            seen["broken before recovery"] += 1
        recover(root)
        after = snapshot(root)
        assert after in (old, new), f"trial {trial}: neither tree: {_differences(after, old, new)}"
        state = "new" if after == new else "old"
        seen[state] += 1
        recover(root)  # a second recovery has nothing left to do
        assert snapshot(root) == after
    # The kills must have landed inside the write phase, not only before or after it.
    assert seen["broken before recovery"] >= TRIALS // 4, seen


def test_interrupted_apply_is_finished_by_rerender_check(tmp_path: Path) -> None:
    root = tmp_path / "feedstock"
    _old_tree(root)
    (root / "conda-forge.yml").write_text("{}\n")
    steps = _steps()
    _kill_during_apply(root, steps, 0.0)
    with feedstock_session(root):
        pass  # what `smithy rerender --check` and `lint --fix` do before anything else
    assert not (root / WORK_AREA).exists()
    reference = tmp_path / "reference"
    _old_tree(reference)
    (reference / "conda-forge.yml").write_text("{}\n")
    old = snapshot(reference)
    apply_steps(reference, steps)
    assert snapshot(root) in (old, snapshot(reference))


def test_journal_after_kill_is_completed_by_the_cli(tmp_path: Path, monkeypatch) -> None:
    """A kill right after the intent record: `smithy rerender --check` finishes the apply."""
    root = tmp_path / "feedstock"
    _old_tree(root)
    steps = _steps()
    journal = apply_killed_after_intent(root, steps, monkeypatch)
    assert journal.is_file()
    code = main(["rerender", "--check", "-q", str(root)])  # recovers, then compares
    assert code == ExitCode.FINDINGS
    assert not (root / WORK_AREA).exists()
    assert (root / "build-locally.py").read_text() == "print('new')\n"
    assert not (root / ".azure-pipelines").exists()


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even ``except OSError`` roll-back."""


def apply_killed_after_intent(
    root: Path, steps: list[Step], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Apply ``steps`` and die right after the journal's intent record lands; return its path."""
    journal = root / WORK_AREA / "journal.json"
    real_replace = os.replace

    def replace_then_die(source, target):  # type: ignore[no-untyped-def]
        real_replace(source, target)
        if Path(target) == journal:
            raise Killed

    monkeypatch.setattr(os, "replace", replace_then_die)
    with pytest.raises(Killed):
        apply_steps(root, steps)
    monkeypatch.undo()
    return journal


def test_work_folder_is_never_committed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    area = root / WORK_AREA
    (area / "new" / ".ci_support").mkdir(parents=True)
    (area / ".gitignore").write_text("*\n")
    (area / "new" / ".ci_support" / "linux_64_.yaml").write_text("x: 1\n")
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert status.stdout == ""


def test_leftovers_of_older_releases_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "feedstock"
    _old_tree(root)
    stray_old = root / ".ci_support" / "linux_64_flavor3.yaml.smithy-old"
    stray_new = root / ".ci_support" / "linux_64_flavor5.yaml.smithy-new"
    stray_old.write_text("old\n")
    stray_new.write_text("new\n")
    apply_steps(root, [Step(".ci_support/linux_64_flavor2.yaml", b"x: 1\n")])
    assert not stray_old.exists() and not stray_new.exists()


def test_lint_fix_finishes_an_interrupted_apply(tmp_path: Path, monkeypatch) -> None:
    """`smithy lint --fix` on a feedstock first completes the rerender a kill left behind."""
    root = tmp_path / "feedstock"
    _old_tree(root)
    (root / "conda-forge.yml").write_text("{}\n")
    unordered = "package:\n  name: foo\n  version: '1.0'\nextra: {}\nabout:\n  license: MIT\n"
    (root / "recipe" / "meta.yaml").write_text(unordered)
    apply_killed_after_intent(root, _steps(), monkeypatch)
    main(["lint", "--fix", "--select", "SMY102", str(root / "recipe")])
    assert not (root / WORK_AREA).exists()
    assert (root / "build-locally.py").read_text() == "print('new')\n"
    assert (root / "recipe" / "meta.yaml").read_text() != unordered  # and the fix was written


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", ".git/hooks/post-checkout"])
def test_planted_journal_cannot_write_outside_generated_files(tmp_path: Path, path: str) -> None:
    root = tmp_path / "feedstock"
    (root / ".git" / "hooks").mkdir(parents=True)
    area = root / WORK_AREA
    (area / "new" / "x").mkdir(parents=True)
    step = {"path": path, "place": True, "had": False}
    (area / "journal.json").write_text(json.dumps({"format": 1, "steps": [step], "made_dirs": []}))
    with pytest.raises(SmithyError, match="unreadable journal"):
        recover(root)
    assert not (root / ".git" / "hooks" / "post-checkout").exists()
    assert not (tmp_path / "outside.txt").exists()
