"""The journal's apply looks at each path once; these cases check it still lands exactly.

A kill at each of the apply's moves in turn, links anywhere on a path, a path given twice,
folders emptied at several depths: each must end in exactly the old or the new tree.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from smithy.atomic.journal import WORK_AREA, Step, apply_steps, prune_empty_dirs, recover
from smithy.atomic.links import LinkGuard
from smithy.errors import SmithyError
from tests.robustness.test_kill_apply import apply_killed_after_intent, snapshot


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even ``except OSError`` roll-back."""


def _old_tree(root: Path) -> None:
    (root / "recipe").mkdir(parents=True)
    (root / "recipe" / "meta.yaml").write_text("package: {name: x}\n")
    (root / ".ci_support").mkdir()
    for index in range(6):
        (root / ".ci_support" / f"job{index}.yaml").write_text(f"old: {index}\n")
    (root / ".azure-pipelines" / "deep").mkdir(parents=True)
    (root / ".azure-pipelines" / "deep" / "a.yml").write_text("a\n")
    (root / ".azure-pipelines" / "b.yml").write_text("b\n")
    (root / "build-locally.py").write_text("old\n")


def _steps() -> list[Step]:
    """Updates, a mode change, removals emptying nested folders, creations in new folders."""
    steps = [
        Step("build-locally.py", b"new\n", 0o755),
        Step(".azure-pipelines/deep/a.yml", None),
        Step(".azure-pipelines/b.yml", None),
        Step(".ci_support/job0.yaml", None),
        Step(".github/workflows/conda-build.yml", b"jobs: {}\n"),
        Step(".scripts/run.sh", b"#!/bin/sh\n", 0o755),
    ]
    steps += [Step(f".ci_support/job{index}.yaml", f"new: {index}\n".encode()) for index in (1, 2)]
    steps += [Step(f".ci_support/job{index}.yaml", b"created\n") for index in (7, 8)]
    return sorted(steps, key=lambda step: step.path)


def _trees(tmp_path: Path) -> tuple[dict[str, object], dict[str, object]]:
    reference = tmp_path / "reference"
    _old_tree(reference)
    old = snapshot(reference)
    apply_steps(reference, _steps())
    return old, snapshot(reference)


def test_a_kill_at_every_move_is_finished_by_the_next_run(tmp_path: Path, monkeypatch) -> None:
    old, new = _trees(tmp_path)
    assert old != new
    real_replace = os.replace
    kill_at = 0
    while True:
        root = tmp_path / f"trial{kill_at}"
        _old_tree(root)
        calls = [0]

        def replace_or_die(source, target):  # type: ignore[no-untyped-def]
            if calls[0] == kill_at:  # noqa: B023 - the trial's own counter
                raise _Killed
            calls[0] += 1  # noqa: B023
            real_replace(source, target)

        monkeypatch.setattr(os, "replace", replace_or_die)
        try:
            apply_steps(root, _steps())
        except _Killed:
            killed = True
        else:
            killed = False
        monkeypatch.undo()
        recover(root)
        assert snapshot(root) in (old, new), kill_at
        if not killed:
            break
        kill_at += 1
    # The journal's own rename, then two moves per update and one per creation or removal.
    assert kill_at > len(_steps())


def test_a_path_given_twice_ends_with_its_last_content(tmp_path: Path) -> None:
    root = tmp_path / "feedstock"
    _old_tree(root)
    steps = [Step("build-locally.py", b"first\n"), Step("build-locally.py", b"second\n")]
    apply_steps(root, steps)
    assert (root / "build-locally.py").read_text() == "second\n"
    assert not (root / WORK_AREA).exists()


@pytest.mark.parametrize("link", [".ci_support", ".ci_support/job1.yaml"])
def test_a_link_is_refused_before_anything_moves(tmp_path: Path, link: str) -> None:
    root = tmp_path / "feedstock"
    _old_tree(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "job1.yaml").write_text("precious\n")
    target = root / link
    if target.is_dir():
        for child in target.iterdir():
            child.unlink()
        target.rmdir()
        target.symlink_to(outside, target_is_directory=True)
    else:
        target.unlink()
        target.symlink_to(outside / "job1.yaml")
    before = snapshot(root)
    with pytest.raises(SmithyError, match="is a symlink") as caught:
        apply_steps(root, _steps())
    assert caught.value.span is not None and caught.value.span.path == link
    assert snapshot(root) == before  # no work area left either
    assert (outside / "job1.yaml").read_text() == "precious\n"


def test_the_first_link_from_the_top_is_named(tmp_path: Path) -> None:
    (tmp_path / "real" / "inner").mkdir(parents=True)
    (tmp_path / "a").symlink_to(tmp_path / "real", target_is_directory=True)
    guard = LinkGuard(tmp_path)
    with pytest.raises(SmithyError) as caught:
        guard.lstat("a/inner/file.yaml")
    assert caught.value.span is not None and caught.value.span.path == "a"
    assert LinkGuard(tmp_path).lstat("missing/folder/file.yaml") is None  # absent: no link
    assert LinkGuard(tmp_path).lstat("missing/file.yaml") is None


def test_a_checked_folder_is_not_looked_at_again(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "folder").mkdir()
    looked: list[str] = []
    real_islink = os.path.islink

    def counting(path):  # type: ignore[no-untyped-def]
        looked.append(os.fspath(path))
        return real_islink(path)

    monkeypatch.setattr(os.path, "islink", counting)
    guard = LinkGuard(tmp_path)
    for index in range(5):
        guard.lstat(f"folder/file{index}")
    assert looked == [os.path.join(tmp_path, "folder")]


def test_prune_removes_each_emptied_folder_up_to_the_root(tmp_path: Path) -> None:
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "d").mkdir()
    (tmp_path / "keep" / "e").mkdir(parents=True)
    (tmp_path / "keep" / "file").write_text("x")
    prune_empty_dirs(tmp_path, ["a/b/c/x.yml", "a/d/y.yml", "keep/e/z.yml", "top.yml"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "keep",
        "keep/file",
    ]


def test_recovery_passes_a_removal_below_what_became_a_file(tmp_path: Path, monkeypatch) -> None:
    """A step's folder replaced by a file after the kill: that path is simply not there."""
    root = tmp_path / "feedstock"
    _old_tree(root)
    apply_killed_after_intent(root, _steps(), monkeypatch)
    shutil.rmtree(root / ".azure-pipelines")
    (root / ".azure-pipelines").write_text("a file now\n")
    assert recover(root)
    assert not (root / WORK_AREA).exists()
    assert (root / "build-locally.py").read_text() == "new\n"
    assert (root / ".azure-pipelines").read_text() == "a file now\n"
