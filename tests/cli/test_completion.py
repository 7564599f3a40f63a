"""Shell completion: scripts for three shells, and the completion protocol answers for real."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from smithy.cli import main

SMITHY = [sys.executable, "-c", "from smithy.cli import run; run()"]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F"),
        ("zsh", "#compdef smithy"),
        ("fish", "complete --command"),
    ],
)
def test_completion_script_per_shell(shell: str, marker: str, capsys) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert marker in script
    assert "_SMITHY_COMPLETE" in script


def test_unknown_shell_is_a_usage_error(capsys) -> None:
    assert main(["completion", "tcsh"]) == 2


def _complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    env["_SMITHY_COMPLETE"] = "complete_bash"
    done = subprocess.run(SMITHY, env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_bash_completes_commands_and_options() -> None:
    assert _complete("smithy rer", 1) == ["rerender"]
    assert "--dry-run" in _complete("smithy rerender --d", 2)
    assert "waves" in _complete("smithy graph wa", 2)
