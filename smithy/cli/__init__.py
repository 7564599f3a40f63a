"""The ``smithy`` command line: the only layer that prints and picks exit codes."""

from __future__ import annotations

import sys
import traceback

import typer

from smithy import __version__
from smithy.errors import ExitCode, SmithyError

app = typer.Typer(
    name="smithy",
    help="Parse, lint and rerender conda feedstocks: fast, deterministic, offline.",
    no_args_is_help=True,
    add_completion=False,
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


def _register_commands() -> None:
    # Explicit registration: one module per command group, imported here only.
    from smithy.cli import (
        build,
        github,
        graph,
        impact,
        init,
        lint,
        migration,
        pinning,
        render,
        rerender,
        schema,
    )

    app.command("render")(render.render_command)
    app.command("rerender")(rerender.rerender_command)
    app.command("variants")(rerender.variants_command)
    app.command("init")(init.init_command)
    app.command("lint")(lint.lint_command)
    app.command("rules")(lint.rules_command)
    app.command("explain")(lint.explain_command)
    app.add_typer(pinning.pinning_app, name="pinning")
    app.command("register-github")(github.register_github_command)
    app.add_typer(github.maintainers_app, name="maintainers")
    app.add_typer(graph.graph_app, name="graph")
    app.command("impact")(impact.impact_command)
    app.add_typer(migration.migration_app, name="migration")
    app.command("build")(build.build_command)
    app.command("schema")(schema.schema_command)


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
    exc.show()  # type: ignore[attr-defined]
    return ExitCode.USAGE if "UsageError" in names else int(exc.exit_code)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code instead of exiting."""
    _register_commands()
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = "--debug" in args
    try:
        result = app(args=args, prog_name="smithy", standalone_mode=False)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except SmithyError as exc:
        print(str(exc), file=sys.stderr)
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


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
