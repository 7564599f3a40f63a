"""A failing machine (disk, permissions, network) is exit 3 with one line, never exit 4."""

from __future__ import annotations

import pytest
import requests

from smithy import api
from smithy.cli import main
from smithy.errors import ExitCode


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (PermissionError(13, "Permission denied", "/srv/feedstock/x"), "/srv/feedstock/x: error: "),
        (OSError(28, "No space left on device"), "error: No space left on device"),
        (
            requests.ConnectionError("https://h/x?token=ghp_abcdefghijklmnopqrstuvwxyz012345"),
            "error: https://h/x?token=ghp_***",
        ),
    ],
    ids=["permission", "disk-full", "network"],
)
def test_os_failure_is_one_line_exit_3(monkeypatch, capsys, raised, expected) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(api, "render", failing)
    assert main(["render", "."]) == ExitCode.INPUT
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(expected), lines[0]
    assert "internal error" not in lines[0]
