"""The documentation site's generated pages cover every command and every conda-forge.yml key."""

from __future__ import annotations

import re

import pytest

from smithy.cli import _COMMANDS, SUMMARIES, main
from smithy.cli.reference import commands_markdown, root_command
from smithy.config.fields import TOP_LEVEL
from smithy.config.reference import configuration_markdown


def _sections(markdown: str) -> list[str]:
    return re.findall(r"^## `([^`]+)`$", markdown, flags=re.MULTILINE)


def test_every_command_and_sub_command_has_a_section() -> None:
    sections = set(_sections(commands_markdown()))
    for name in _COMMANDS:
        assert f"smithy {name}" in sections
    root = root_command()
    context = root.make_context("smithy", [], resilient_parsing=True)
    graph = root.get_command(context, "graph")
    graph_context = graph.make_context("graph", [], resilient_parsing=True)
    for sub in graph.list_commands(graph_context):
        assert f"smithy graph {sub}" in sections


def test_options_show_names_defaults_and_escaped_placeholders() -> None:
    markdown = commands_markdown()
    rerender = markdown.split("## `smithy rerender`", 1)[1].split("\n## ", 1)[0]
    for option in ("`--pinning`", "`--check`", "`--dry-run`", "`FEEDSTOCK`"):
        assert option in rerender
    assert "| `FEEDSTOCK` | `.` |" in rerender
    # "<name>" must not reach the page as an HTML tag.
    assert "<name>" not in markdown.replace("```", "")
    assert "&lt;name&gt;" in markdown


def test_every_top_level_config_key_is_documented() -> None:
    sections = set(_sections(configuration_markdown()))
    assert set(TOP_LEVEL) <= sections
    assert "`github.branch_name`" in configuration_markdown()


def test_help_keeps_bracketed_text(capsys) -> None:
    """Help texts are plain text: ``[default: ...]`` in a help string is not eaten as markup."""
    assert main(["render", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "[default: six main]" in out


def test_help_listing_summaries_match_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    # `smithy --help` lists SUMMARIES without importing commands; they must say what the
    # commands' own help says, and a command run afterwards in the same process is the real one.
    assert main(["--help"]) == 0
    listing = " ".join(capsys.readouterr().out.split())
    root = root_command()
    context = root.make_context("smithy", [], resilient_parsing=True)
    for name in _COMMANDS:
        command = root.get_command(context, name)
        assert SUMMARIES[name] == command.help.split("\n\n")[0], name
        assert name in listing
    assert main(["rules"]) == 0
    assert "SMY" in capsys.readouterr().out
