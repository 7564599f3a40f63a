"""Reading user text files: where an undecodable byte is, and which errors mean "not text"."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.errors import PinningError, Span
from smithy.textfile import read_user_text


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
