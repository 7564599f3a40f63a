"""Reading user text files: where an undecodable byte is, and which errors mean "not text"."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from smithy.errors import PinningError, SmithyError, Span
from smithy.textfile import max_bytes, read_user_text, set_max_bytes


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\xff", 1, 1),
        (b"a: 1\nb: \xfe\n", 2, 4),
        ("é: ".encode() + b"\xc3(", 1, 4),  # columns count characters, not bytes
        (b"a\r\nb\x80", 2, 2),
    ],
)
def test_undecodable_byte_is_named_by_line_and_column(
    tmp_path: Path, data: bytes, line: int, column: int
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    with pytest.raises(PinningError) as caught:
        read_user_text(path, "shown.yaml", PinningError)
    assert caught.value.span == Span("shown.yaml", line, column)
    assert caught.value.unreadable


def test_folder_is_unreadable_text(tmp_path: Path) -> None:
    with pytest.raises(PinningError, match="cannot read") as caught:
        read_user_text(tmp_path, "shown", PinningError)
    assert caught.value.unreadable


@pytest.fixture
def small_cap() -> Iterator[int]:
    before = max_bytes()
    set_max_bytes(1000)
    yield 1000
    set_max_bytes(before)


def test_file_of_exactly_the_cap_is_read_and_one_byte_more_is_refused(
    tmp_path: Path, small_cap: int
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a" * (small_cap - 1) + b"\n")
    assert len(read_user_text(path, "f.yaml")) == small_cap
    path.write_bytes(b"a\n" * 600)
    with pytest.raises(SmithyError, match="larger than smithy's") as caught:
        read_user_text(path, "f.yaml")
    assert caught.value.span == Span("f.yaml", 501)


def _fifo_with(fifo: Path, data: bytes) -> Path:
    """A named pipe (``st_size`` 0) a thread writes ``data`` into."""
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as stream:
            stream.write(data)

    threading.Thread(target=write, daemon=True).start()
    return fifo


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_pipe_is_read_whole_and_capped_like_a_file(tmp_path: Path, small_cap: int) -> None:
    assert read_user_text(_fifo_with(tmp_path / "a", b"x: 1\n" * 150), "p") == "x: 1\n" * 150
    with pytest.raises(SmithyError, match="larger than smithy's"):
        read_user_text(_fifo_with(tmp_path / "b", b"y" * 5000), "p")


def test_uncapped_read_takes_the_whole_file(tmp_path: Path, small_cap: int) -> None:
    path = tmp_path / "graph.json"
    path.write_bytes(b"z" * 5000)
    assert len(read_user_text(path, "graph.json", capped=False)) == 5000
