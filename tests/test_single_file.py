"""smithy.atomic.single_file: one file replaced whole, or left as it was."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import IO

import pytest

from smithy.atomic.single_file import replace_file


def test_creates_and_replaces_leaving_only_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    replace_file(target, b"first")
    replace_file(target, lambda stream: stream.write(b"second"))
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_new_file_gets_the_mode_a_plain_write_gives(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        replace_file(tmp_path / "out", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o644


def test_failing_writer_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_bytes(b"old")

    def half_then_fail(stream: IO[bytes]) -> None:
        stream.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replace_file(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        replace_file(tmp_path / "absent" / "out", b"x")


def test_a_reader_never_sees_part_of_a_file(tmp_path: Path) -> None:
    target = tmp_path / "big"
    size = 1 << 20
    replace_file(target, b"a" * size)
    stop = threading.Event()
    seen: set[tuple[int, int]] = set()

    def read() -> None:
        while not stop.is_set():
            data = target.read_bytes()
            seen.add((len(data), len(set(data))))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for byte in b"bcdefghijk" * 3:
            replace_file(target, lambda stream, b=byte: _write_slowly(stream, b, size))
    finally:
        stop.set()
        reader.join()
    assert seen == {(size, 1)}


def _write_slowly(stream: IO[bytes], byte: int, size: int) -> None:
    chunk = bytes([byte]) * (size // 16)
    for _ in range(16):
        stream.write(chunk)
        stream.flush()
