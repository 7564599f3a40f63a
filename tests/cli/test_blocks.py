"""``with_block``: a shared run of options, declared once, as if each command spelled it out."""

from __future__ import annotations

from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from smithy.cli.blocks import with_block

NameOpt = Annotated[str, typer.Option("--name")]
LoudOpt = Annotated[bool, typer.Option("--loud")]
LastOpt = Annotated[int, typer.Option("--last")]


def _greeting(name: NameOpt = "world", loud: LoudOpt = False) -> str:
    text = f"hello {name}"
    return text.upper() if loud else text


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False)

    @app.command()
    @with_block(_greeting, "greeting")
    def greet(first: Annotated[int, typer.Argument()], *, greeting: str, last: LastOpt = 0) -> None:
        typer.echo(f"{first} {greeting} {last}")

    return app


def test_the_block_options_sit_where_the_command_asks_for_the_value() -> None:
    command = typer.main.get_command(_app())
    assert [param.name for param in command.params] == ["first", "name", "loud", "last"]


def test_the_command_receives_the_blocks_result() -> None:
    result = CliRunner().invoke(_app(), ["7", "--name", "smithy", "--loud", "--last", "3"])
    assert result.exit_code == 0, result.output
    assert result.output == "7 HELLO SMITHY 3\n"
    assert CliRunner().invoke(_app(), ["1"]).output == "1 hello world 0\n"


def test_the_value_must_be_keyword_only() -> None:
    def command(greeting: str) -> None:
        """Takes the value positionally: refused."""

    with pytest.raises(TypeError, match="'greeting' must be keyword-only"):
        with_block(_greeting, "greeting")(command)
