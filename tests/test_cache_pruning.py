"""Record folders of other smithy versions are pruned: only smithy's, never through a link."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smithy.user_cache import prune_other_tags

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="folders opened O_NOFOLLOW")

KEEP = "a" * 20
OLD = "b" * 20
RECORD = "c" * 64 + ".rec"
MONTH = 30 * 24 * 3600


def _folder(parent: Path, name: str, *files: str, age: float = MONTH) -> Path:
    """A tag folder holding ``files``, everything last changed ``age`` seconds ago."""
    folder = parent / name
    folder.mkdir(parents=True)
    then = time.time() - age
    for file in files:
        (folder / file).write_bytes(b"x")
        os.utime(folder / file, (then, then))
    os.utime(folder, (then, then))
    return folder


def test_an_unused_folder_of_another_tag_goes_with_a_killed_writers_file(tmp_path: Path) -> None:
    temporary = f".{RECORD}.{'0' * 16}.tmp"
    _folder(tmp_path, OLD, RECORD, temporary)
    _folder(tmp_path, "d" * 20)  # empty
    kept = _folder(tmp_path, KEEP, RECORD)  # this version's, however old
    prune_other_tags(tmp_path, KEEP, ".rec")
    assert sorted(path.name for path in tmp_path.iterdir()) == [KEEP]
    assert (kept / RECORD).exists()


def test_a_recently_used_folder_of_another_tag_stays(tmp_path: Path) -> None:
    # another installed smithy may still use it
    _folder(tmp_path, OLD, RECORD, age=3600)
    recent_file = _folder(tmp_path, "e" * 20, RECORD)
    os.utime(recent_file / RECORD)  # written just now, in an old folder
    prune_other_tags(tmp_path, KEEP, ".rec")
    assert (tmp_path / OLD / RECORD).exists() and (recent_file / RECORD).exists()
    prune_other_tags(tmp_path, KEEP, ".rec", unused_for=60)
    assert not (tmp_path / OLD).exists() and (recent_file / RECORD).exists()


@pytest.mark.parametrize(
    "name", ["notes", "B" * 20, "b" * 19, "b" * 21, "b" * 20 + ".old"]
)  # not a tag's name
def test_folders_not_named_like_a_tag_stay(tmp_path: Path, name: str) -> None:
    _folder(tmp_path, name, RECORD)
    prune_other_tags(tmp_path, KEEP, ".rec")
    assert (tmp_path / name / RECORD).exists()


@pytest.mark.parametrize(
    "files", [[RECORD, "mine.txt"], [RECORD, "c" * 64 + ".code"], ["c" * 63 + ".rec"]]
)
def test_a_folder_holding_anything_else_is_left_whole(tmp_path: Path, files: list[str]) -> None:
    _folder(tmp_path, OLD, *files)
    prune_other_tags(tmp_path, KEEP, ".rec")
    assert sorted(path.name for path in (tmp_path / OLD).iterdir()) == sorted(files)


def test_symbolic_links_are_never_followed(tmp_path: Path) -> None:
    elsewhere = _folder(tmp_path / "elsewhere", OLD, RECORD)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / ("f" * 20)).symlink_to(elsewhere)  # a tag folder that is a link
    linked_record = _folder(cache, OLD)
    (linked_record / RECORD).symlink_to(elsewhere / RECORD)  # a record that is a link
    os.utime(linked_record, (time.time() - MONTH,) * 2)
    prune_other_tags(cache, KEEP, ".rec")
    assert (elsewhere / RECORD).exists()
    assert (cache / ("f" * 20)).is_symlink() and (linked_record / RECORD).is_symlink()
    parent_link = tmp_path / "link"
    parent_link.symlink_to(elsewhere.parent)  # the cache folder itself a link
    prune_other_tags(parent_link, KEEP, ".rec")
    assert (elsewhere / RECORD).exists()


def test_a_missing_or_unreadable_cache_folder_is_no_error(tmp_path: Path) -> None:
    prune_other_tags(tmp_path / "absent", KEEP, ".rec")
    (tmp_path / "file").write_text("")
    prune_other_tags(tmp_path / "file", KEEP, ".rec")


_PRUNE = "import sys; from pathlib import Path; from smithy.user_cache import prune_other_tags; " \
    "prune_other_tags(Path(sys.argv[1]), 'a' * 20, '.rec')"  # fmt: skip


def test_processes_pruning_at_once_all_finish_and_leave_nothing_old(tmp_path: Path) -> None:
    for number in range(300):
        _folder(tmp_path, f"{number:020x}", *(f"{index:064x}.rec" for index in range(3)))
    runs = [
        subprocess.Popen([sys.executable, "-c", _PRUNE, str(tmp_path)], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    assert [(run.wait(), run.stderr.read() if run.stderr else b"") for run in runs] == [
        (0, b"")
    ] * 3
    assert list(tmp_path.iterdir()) == []
