"""``smithy migration new`` names the real problem when --dir is unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy import cli


def test_dir_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "m"
    target.write_text("keep", encoding="utf-8")
    assert cli.main(["migration", "new", "libx", "1", "--dir", str(target)]) == 3
    assert capsys.readouterr().err == f"{target}: error: --dir names a file, not a folder\n"
    assert target.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("key", ["../evil", "a/b", ""])
def test_key_cannot_leave_the_folder(tmp_path: Path, key: str) -> None:
    assert cli.main(["migration", "new", key, "1", "--dir", str(tmp_path / "m")]) == 3
    assert not (tmp_path / "m").exists()
