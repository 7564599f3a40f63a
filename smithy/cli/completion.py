"""``smithy completion SHELL``: print the shell completion script for bash, zsh, fish or PowerShell.

typer's own ``--show-completion`` guesses the shell from the parent process, which fails in
scripts, containers and CI images; naming the shell always works.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Shell(StrEnum):
    """Shells typer can complete for."""

    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


def completion_command(
    shell: Annotated[Shell, typer.Argument(help="The shell to print the script for.")],
) -> None:
    """Print the completion script for SHELL (e.g. `smithy completion bash >> ~/.bashrc`)."""
    from typer._completion_shared import get_completion_script

    typer.echo(
        get_completion_script(
            prog_name="smithy", complete_var="_SMITHY_COMPLETE", shell=shell.value
        )
    )
