"""The rerender's compare: what each planned or removed file's change is, from one look at it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smithy.atomic.journal import Step, apply_steps
from smithy.errors import SmithyError
from smithy.rerender.model import FeedstockPlan, PlannedFile
from smithy.rerender.writer import apply, compare


def _file(root: Path, rel: str, content: bytes, mode: int = 0o644) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.chmod(path, mode)


def test_each_kind_of_change(tmp_path: Path) -> None:
    big = bytes(range(256)) * 1000  # larger than one read
    _file(tmp_path, "same.txt", b"same\n", 0o664)  # group-writable: only the x bit counts
    _file(tmp_path, "big.bin", big)
    _file(tmp_path, "edited.txt", b"old\n")
    _file(tmp_path, ".scripts/run.sh", b"#!/bin/sh\n")  # wanted executable
    _file(tmp_path, ".azure-pipelines/gone.yml", b"jobs: []\n")
    plan = FeedstockPlan(
        files={
            "same.txt": PlannedFile(b"same\n"),
            "big.bin": PlannedFile(big),
            "edited.txt": PlannedFile(b"new\n"),
            ".scripts/run.sh": PlannedFile(b"#!/bin/sh\n", 0o755),
            ".github/workflows/new.yml": PlannedFile(b"on: push\n"),
        },
        remove=(".azure-pipelines/gone.yml", "never-there.yml", "same.txt"),
    )
    changes = {change.path: change for change in compare(tmp_path, plan)}
    assert {path: change.status for path, change in changes.items()} == {
        ".azure-pipelines/gone.yml": "remove",
        ".github/workflows/new.yml": "create",
        ".scripts/run.sh": "update",
        "big.bin": "identical",
        "edited.txt": "update",
        "same.txt": "identical",  # planned wins over removed
    }
    assert changes["big.bin"].old == big
    assert changes[".github/workflows/new.yml"].old is None
    assert list(changes) == sorted(changes)
    apply(tmp_path, list(changes.values()))
    assert os.stat(tmp_path / ".scripts" / "run.sh").st_mode & 0o777 == 0o755
    assert not (tmp_path / ".azure-pipelines").exists()
    assert (tmp_path / "edited.txt").read_bytes() == b"new\n"
    assert compare(tmp_path, FeedstockPlan(files=plan.files))[0].status == "identical"


def test_a_folder_where_a_file_is_planned_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "README.md").mkdir()
    with pytest.raises(SmithyError, match="cannot read") as caught:
        compare(tmp_path, FeedstockPlan(files={"README.md": PlannedFile(b"x\n")}))
    assert caught.value.span is not None and caught.value.span.path.endswith("README.md")


@pytest.mark.parametrize("planned", [True, False])
def test_a_link_is_refused_before_any_file_is_read(tmp_path: Path, planned: bool) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text("mine\n")
    root = tmp_path / "feedstock"
    (root / ".ci_support").mkdir(parents=True)
    (root / ".ci_support" / "linux.yaml").symlink_to(outside)
    files = {".ci_support/linux.yaml": PlannedFile(b"x\n")} if planned else {}
    remove = () if planned else (".ci_support/linux.yaml",)
    with pytest.raises(SmithyError, match="is a symlink"):
        compare(root, FeedstockPlan(files=files, remove=remove))
    assert outside.read_text() == "mine\n"


def test_a_file_where_a_folder_is_needed_changes_nothing(tmp_path: Path) -> None:
    _file(tmp_path, ".scripts", b"not a folder\n")
    _file(tmp_path, "README.md", b"old\n")
    planned = {".scripts/run.sh": PlannedFile(b"#!/bin/sh\n", 0o755)}
    with pytest.raises(SmithyError, match="cannot read"):
        compare(tmp_path, FeedstockPlan(files=planned))
    steps = [Step(".scripts/run.sh", b"#!/bin/sh\n", 0o755), Step("README.md", b"new\n")]
    with pytest.raises(SmithyError, match=r"cannot write the rerender .*nothing was changed"):
        apply_steps(tmp_path, steps)
    assert (tmp_path / ".scripts").read_bytes() == b"not a folder\n"
    assert (tmp_path / "README.md").read_bytes() == b"old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [".scripts", "README.md"]
