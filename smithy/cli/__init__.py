"""The ``smithy`` command line: the only layer that prints and picks exit codes."""

from __future__ import annotations

import gc
import importlib
import os
import sys
import traceback

import typer

from smithy import __version__
from smithy.api import ExitCode, SmithyError, Span
from smithy.cli.limits import (
    LimitSettingError,
    apply_file_cap,
    apply_memory_ceiling,
    memory_message,
)
from smithy.cli.process_exit import exit_process

app = typer.Typer(
    name="smithy",
    help="Parse, lint and rerender conda feedstocks: fast, deterministic, offline.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # tokens in locals must never reach a terminal
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smithy {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for internal errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Parse, lint and rerender conda feedstocks: fast, deterministic, offline."""
    _state["debug"] = debug


def _alias_help(target: str) -> str:
    return f"Same as 'smithy {target}', under conda-smithy's name for it."


def _register(name: str) -> None:
    """Import and register one command (group); only the command being run is imported."""
    target = _ALIASES.get(name, name)
    module = importlib.import_module(f"smithy.cli.{_COMMANDS[target][0]}")
    attribute, is_group = _COMMANDS[target][1], _COMMANDS[target][2]
    if is_group:
        app.add_typer(getattr(module, attribute), name=name)
    elif name in _ALIASES:
        app.command(name, help=_alias_help(target))(getattr(module, attribute))
    else:
        app.command(name)(getattr(module, attribute))


# command -> (module in smithy.cli, attribute, is a sub-command group), in help order.
_COMMANDS: dict[str, tuple[str, str, bool]] = {
    "render": ("render", "render_command", False),
    "rerender": ("rerender", "rerender_command", False),
    "variants": ("rerender", "variants_command", False),
    "init": ("init", "init_command", False),
    "lint": ("lint", "lint_command", False),
    "rules": ("lint", "rules_command", False),
    "explain": ("lint", "explain_command", False),
    "pinning": ("pinning", "pinning_app", True),
    "graph": ("graph", "graph_app", True),
    "impact": ("impact", "impact_command", False),
    "migration": ("migration", "migration_app", True),
    "solvable": ("solvable", "solvable_command", False),
    "build": ("build", "build_command", False),
    "bump": ("bump", "bump_command", False),
    "convert": ("convert", "convert_command", False),
    "bump-all": ("bump", "bump_all_command", False),
    "register-github": ("github", "register_github_command", False),
    "register-ci": ("ci", "register_ci_command", False),
    "azure-buildid": ("ci", "azure_buildid_command", False),
    "generate-feedstock-token": ("tokens", "generate_feedstock_token_command", False),
    "register-feedstock-token": ("tokens", "register_feedstock_token_command", False),
    "update-anaconda-token": ("tokens", "update_anaconda_token_command", False),
    "ci-skeleton": ("skeleton", "ci_skeleton_command", False),
    "maintainers": ("github", "maintainers_app", True),
    "schema": ("schema", "schema_command", False),
    "completion": ("completion", "completion_command", False),
    "fleet": ("fleet", "fleet_app", True),
}

# conda-smithy's names for smithy commands, so scripts written for it keep working.
_ALIASES: dict[str, str] = {
    "regenerate": "rerender",
    "recipe-lint": "lint",
    "update-binstar-token": "update-anaconda-token",
    "rotate-anaconda-token": "update-anaconda-token",
    "rotate-binstar-token": "update-anaconda-token",
}

# What `smithy --help` lists for each command (the first paragraph of its help; a test keeps
# them equal): the listing then imports no command module (0.8 s -> under 0.3 s).
SUMMARIES: dict[str, str] = {
    "render": "Render a recipe for each platform and variant: outputs, versions, skips, "
    "requirements.",
    "rerender": "Regenerate .ci_support, CI workflows, scripts and README from the recipe and "
    "pinning.",
    "variants": "Show the build matrix: one row per CI job and the keys that split jobs.",
    "init": "Create <name>-feedstock/ from a recipe: copy it, write conda-forge.yml, rerender, "
    "commit.",
    "lint": "Lint recipes: exit 1 on lints (on hints too with --strict), 3 on unreadable input.",
    "rules": "List every lint rule: code, severity, name, conda-smithy identifier and summary.",
    "explain": "Show a rule's documentation: what it checks, why, and how to fix it.",
    "pinning": "Download the conda-forge pinning for `--pinning conda-forge` and list the cache.",
    "graph": "Feedstock graph: build it, order builds in waves, find cycles, explain edges.",
    "impact": "Feedstocks a change of pinning KEY rebuilds, in waves, with the CI jobs it takes.",
    "migration": "CFEP-9 migrations: scaffold, lint, status, next, apply (as the bot does) and "
    "close.",
    "solvable": "Solve build, host and run per CI job with py-rattler for the job's platform.",
    "bump": "Update the recipe to upstream's newest version with fresh sha256s, then rerender.",
    "bump-all": "Check many feedstocks for newer upstream versions (writes nothing); exit 1 if "
    "any.",
    "convert": "Convert recipe/meta.yaml to recipe/recipe.yaml and prove both render the same.",
    "build": "Build feedstocks with rattler-build, parents first, each resolving from the channel.",
    "register-github": "Create <name>-feedstock on GitHub, protect it, add the remote; "
    "optionally push and add teams.",
    "maintainers": "Check a recipe's maintainers on GitHub.",
    "fleet": "Many feedstocks at once: on a local process pool, in shards, or on a Dask cluster.",
    "schema": "Print the JSON Schema of conda-forge.yml (for yaml-language-server and editors).",
    "completion": "Print the completion script for SHELL (e.g. `smithy completion bash >> "
    "~/.bashrc`).",
    "register-ci": "Enable GitHub Actions on the feedstock's repository and store its tokens as "
    "secrets.",
    "azure-buildid": "Look up the feedstock's Azure pipeline and write azure.build_id into "
    "conda-forge.yml.",
    "generate-feedstock-token": "Make a random feedstock token in "
    "~/.conda-smithy/<owner>_<name>-feedstock.token.",
    "register-feedstock-token": "Register the feedstock token's hash, and the token as the "
    "FEEDSTOCK_TOKEN secret.",
    "update-anaconda-token": "Replace the feedstock's upload token secret (BINSTAR_TOKEN) with "
    "the current token.",
    "ci-skeleton": "Set up conda-forge's CI in a project's own repository, then rerender.",
}
_LISTING_OPTIONS = frozenset({"--help", "-h", "--version", "--debug"})
_registered: set[str] = set()


def _only_lists_commands(args: list[str]) -> bool:
    """``smithy``, ``smithy --help``, ``smithy --version``: no command runs, none is imported.

    Shell completion (typer's ``_SMITHY_COMPLETE``) completes options of real commands.
    """
    listing = set(args) <= _LISTING_OPTIONS and "_SMITHY_COMPLETE" not in os.environ
    # A command added without its summary is listed by importing it, as before.
    return listing and set(_COMMANDS) <= set(SUMMARIES)


def _register_summaries() -> None:
    # Commands first, then groups: typer's own listing order.
    for is_group in (False, True):
        for name, (_, _, group) in _COMMANDS.items():
            if group is is_group and name not in _registered:
                _registered.add(name)
                app.command(name, help=SUMMARIES[name])(_listed_only)
        if not is_group:  # aliases are registered after the commands, before the groups
            for name, target in _ALIASES.items():
                _registered.add(name)
                app.command(name, help=_alias_help(target))(_listed_only)


def _drop_summaries() -> None:
    """Replace listing stand-ins by real commands (``main`` may run again in one process)."""
    stand_ins = {c.name for c in app.registered_commands if c.callback is _listed_only}
    app.registered_commands[:] = [
        c for c in app.registered_commands if c.callback is not _listed_only
    ]
    _registered.difference_update(stand_ins)


def _listed_only() -> None:
    """Stands for a command in the listing; never runs (a named command is imported)."""


def register_all_commands() -> None:
    """Import and register every command (for generated reference pages)."""
    _register_commands(["--all-commands"])


def _command_word(args: list[str]) -> str:
    """The first argument that is not an option (the command as typed), or ""."""
    return next((arg for arg in args if not arg.startswith("-")), "")


def _register_commands(args: list[str] | None = None) -> None:
    # Start-up time matters (rerender budget): when the command is known, import only it.
    word = _command_word(args or [])
    wanted = [word] if word else []
    if not wanted and _only_lists_commands(args or []):
        _register_summaries()
        return
    _drop_summaries()
    known = [*_COMMANDS, *_ALIASES]
    names = wanted if wanted and wanted[0] in known else known
    present = {info.name for info in app.registered_commands}
    present |= {info.name for info in app.registered_groups}
    for name in names:
        if name not in _registered and name not in present:
            _registered.add(name)
            _register(name)


def _conda_smithy_argv(args: list[str]) -> list[str]:
    """Complete conda-smithy spellings click cannot parse (rerender's bare ``-c``)."""
    word = _command_word(args)
    if word and _ALIASES.get(word, word) == "rerender":
        from smithy.cli.rerender import expand_bare_commit

        at = args.index(word) + 1
        return args[:at] + expand_bare_commit(args[at:])
    return args


def _click_exit_code(exc: Exception) -> int | None:
    """Return the exit code for a click exception, showing its message; None for others.

    Recent typer releases vendor click under another module, so click's classes are recognised
    by name rather than imported.
    """
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "Abort" in names:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    if "ClickException" not in names:
        return None
    if "NoArgsIsHelpError" in names:
        # A group called without a command shows its help where --help does: on stdout.
        print(exc.ctx.get_help())  # type: ignore[attr-defined]
        return ExitCode.USAGE
    exc.show()  # type: ignore[attr-defined]
    return ExitCode.USAGE if "UsageError" in names else int(exc.exit_code)  # type: ignore[attr-defined]


def _environment_message(exc: MemoryError | OSError) -> str:
    """One line for a failure of the machine, not of smithy: out of memory, disk, network."""
    if isinstance(exc, MemoryError):
        return memory_message()
    # OSError covers requests' errors too; their text can carry URLs, so mask tokens.
    from smithy.api import mask_token_like

    span = Span(str(exc.filename)) if exc.filename else None
    return str(SmithyError(mask_token_like(f"{exc.strerror or exc}"), span))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code instead of exiting."""
    args = sys.argv[1:] if argv is None else argv
    _register_commands(args)
    args = _conda_smithy_argv(args)
    _state["debug"] = "--debug" in args
    try:
        apply_file_cap(os.environ)
        result = app(args=args, prog_name="smithy", standalone_mode=False)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except SmithyError as exc:
        print(str(exc), file=sys.stderr)
        return ExitCode.USAGE if isinstance(exc, LimitSettingError) else ExitCode.INPUT
    except (MemoryError, OSError) as exc:
        print(_environment_message(exc), file=sys.stderr)
        return ExitCode.INPUT
    except Exception as exc:
        handled = _click_exit_code(exc)
        if handled is not None:
            return handled  # the last line of defence: no raw traceback
        if _state["debug"]:
            traceback.print_exc()
        print(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback; "
            "please report this)",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL
    return int(result) if isinstance(result, int) else ExitCode.OK


# A rerender keeps hundreds of thousands of small objects alive (parsed YAML, jinja trees,
# renders shared across variants). With the default first threshold (700 allocations) the cycle
# collector ran ~340 times and twice over the whole heap in a big rerender: ~12% of its CPU.
# Only the CLI process sets this: it owns the interpreter; library callers keep their own.
# - A command on one feedstock allocates fewer than a million container objects net (the
#   biggest corpus feedstocks ~300,000), so with that first threshold it never stops for the
#   collector: ctng-compilers 1.3 -> 1.05 s CPU (peak RSS unchanged), ctng-compiler-activation
#   0.95 -> 0.82 s (79 -> 106 MB). Cycles are still collected after a million net allocations,
#   so a hostile recipe cannot grow memory without bound.
# - Other commands (fleet, graph, bump-all... over many feedstocks in one process, and in the
#   workers they fork) collect after every 10,000: garbage from one feedstock is freed before
#   the next piles onto it.
_ONE_FEEDSTOCK_THRESHOLD = 1_000_000
_OTHER_COMMANDS_THRESHOLD = 10_000
_ONE_FEEDSTOCK_COMMANDS = frozenset({"rerender", "render", "variants", "lint"})


def tune_gc(args: list[str]) -> None:
    """Collect cycles less often, least for a one-feedstock command; keeps the older thresholds."""
    word = _command_word(args)
    command = _ALIASES.get(word, word)
    first = (
        _ONE_FEEDSTOCK_THRESHOLD
        if command in _ONE_FEEDSTOCK_COMMANDS
        else _OTHER_COMMANDS_THRESHOLD
    )
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(first, older, oldest)


def run() -> None:
    """Console-script entry point: sets the memory ceiling and the collector, runs the command."""
    tune_gc(sys.argv[1:])
    try:
        apply_memory_ceiling(os.environ, sys.argv[1:])
    except LimitSettingError as exc:
        print(str(exc), file=sys.stderr)
        sys.exit(ExitCode.USAGE)
    exit_process(main())
