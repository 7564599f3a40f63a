"""The command reference of the documentation site, read off the command line itself.

The page is generated when the site is built (``docs/hooks/smithy_pages.py``), so it cannot
drift from the commands: every command, its arguments, options, defaults and help text come
from the same click objects that parse a real command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from smithy.cli import app, register_all_commands

# typer vendors its own click (``typer._click``), so its command and parameter objects are
# recognised by what they offer rather than by click's classes.
Command = Any


def root_command() -> Command:
    """The ``smithy`` click command with every sub-command registered."""
    register_all_commands()
    return typer.main.get_command(app)


def commands_markdown() -> str:
    """Markdown for every command and sub-command, in help order, with its options."""
    root = root_command()
    lines = [
        "# Commands",
        "",
        "Generated from the command line itself (`smithy COMMAND --help` prints the same).",
        "Exit codes: 0 success, 1 findings or drift, 2 bad command line, 3 bad input or refused,",
        "4 internal error, 130 interrupted.",
        "",
    ]
    for path, command in _walk(root, ("smithy",)):
        lines.extend(_command_section(path, command))
    return "\n".join(lines).rstrip() + "\n"


def _walk(command: Command, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Command]]:
    if not hasattr(command, "list_commands"):
        yield path, command
        return
    if len(path) > 1:
        yield path, command
    context = command.make_context(path[-1], [], resilient_parsing=True)
    for name in command.list_commands(context):
        child = command.get_command(context, name)
        if child is not None and not child.hidden:
            yield from _walk(child, (*path, name))


def _command_section(path: tuple[str, ...], command: Command) -> list[str]:
    context = command.make_context(" ".join(path), [], resilient_parsing=True)
    usage = " ".join(command.collect_usage_pieces(context))
    lines = [f"## `{' '.join(path)}`", ""]
    help_text = (command.help or command.short_help or "").strip()
    if help_text:
        lines.extend([_prose(help_text), ""])
    lines.extend(["```text", f"{' '.join(path)} {usage}".rstrip(), "```", ""])
    rows = [_param_row(param) for param in command.params if not _hidden(param)]
    if rows:
        lines.extend(["| argument or option | default | meaning |", "| --- | --- | --- |"])
        lines.extend(rows)
        lines.append("")
    return lines


def _hidden(param: Any) -> bool:
    return bool(getattr(param, "hidden", False))


def _param_row(param: Any) -> str:
    if param.param_type_name == "option":
        names = ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])
        default = "" if param.is_flag and not param.default else _default_text(param.default)
    else:
        names = f"`{(param.human_readable_name or '').upper()}`"
        default = _default_text(param.default)
    meaning = _prose(getattr(param, "help", None) or "").replace("|", "\\|").replace("\n", " ")
    return f"| {names} | {default} | {meaning} |"


def _prose(text: str) -> str:
    """Help text as markdown prose: ``<name>`` placeholders must not read as HTML tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _default_text(default: object) -> str:
    if default is None or default == () or default == []:
        return ""
    if callable(default):
        return "(computed)"
    shown = default.value if hasattr(default, "value") else default
    text = str(shown).replace("|", "\\|")
    return f"`{text}`"
