"""A fresh ``smithy`` process imports only what its command uses (start-up time is most of a run).

A small rerender spends most of its CPU importing modules; each of these is a library the
command never calls, and importing it again would quietly cost tens of milliseconds per run.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import smithy
from tests.conftest import DATA

REPO = Path(__file__).resolve().parents[2]
FIXTURE = DATA / "rerender_matrix" / "feedstock"
PINNING = str(DATA / "rerender_matrix" / "pinning")

# Run the CLI as `python -m smithy` does, then list every module the process holds.
_PROBE = (
    "import json, sys\n"
    "from smithy.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('MODULES ' + json.dumps(sorted(sys.modules)))\n"
    "sys.exit(code)\n"
)

# Libraries only some commands use: GitHub, the graph, HTTP, Dask, pretty output, the
# round-trip YAML editor, process pools.
NEVER_FOR_LOCAL_WORK = (
    "github",
    "networkx",
    "requests",
    "urllib3",
    "distributed",
    "dask",
    "rich",
    "ruamel",
    "pebble",
    "multiprocessing",
)


def _python(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter on this checkout, with a private user cache."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(cwd / "cache")}
    env.pop("SMITHY_PINNING", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def _modules(*args: str, cwd: Path) -> set[str]:
    result = _python(_PROBE, *args, cwd=cwd)
    lines = [line for line in result.stdout.splitlines() if line.startswith("MODULES ")]
    assert lines, result.stderr
    return set(json.loads(lines[-1].removeprefix("MODULES ")))


def _loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages or m.startswith(packages))


# What the entry point itself needs: exit codes, error lines, resource limits, and the front
# door whose names load on first use.
_ENTRY_POINT = {
    "smithy",
    "smithy.api",
    "smithy.api.errors",
    "smithy.cli",
    "smithy.cli.limits",
    "smithy.cli.process_exit",
    "smithy.errors",
    "smithy.records",
    "smithy.safe_text",
    "smithy.textfile",
}


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_no_command(tmp_path: Path, args: list[str]) -> None:
    modules = _modules(*args, cwd=tmp_path)
    ours = {m for m in modules if m == "smithy" or m.startswith("smithy.")}
    assert ours <= _ENTRY_POINT
    assert _loaded(modules, (*NEVER_FOR_LOCAL_WORK, "jinja2", "rattler", "yaml")) == []


# smithy's packages for other commands: the bot, fleets, conversion, bumps, builds, CI setup.
OTHER_COMMANDS = (
    "smithy.bot",
    "smithy.fleet",
    "smithy.convert",
    "smithy.bump",
    "smithy.build",
    "smithy.ci",
    "smithy.graph",
    "smithy.init_feedstock",
)


def test_rerender_imports_no_library_it_does_not_use(tmp_path: Path) -> None:
    root = shutil.copytree(FIXTURE, tmp_path / "tinyext-feedstock")
    modules = _modules("rerender", "-q", str(root), "--pinning", PINNING, cwd=tmp_path)
    assert "smithy.rerender.plan" in modules  # it did rerender
    pixi = ("smithy.rerender.pixi", "tomli_w")  # only for conda_install_tool: pixi
    unused = (*NEVER_FOR_LOCAL_WORK, *OTHER_COMMANDS, "smithy.lint", "smithy.github", *pixi)
    assert _loaded(modules, unused) == []


def test_lint_imports_no_library_it_does_not_use(tmp_path: Path) -> None:
    root = shutil.copytree(FIXTURE, tmp_path / "tinyext-feedstock")
    modules = _modules("lint", str(root / "recipe"), "--pinning", PINNING, cwd=tmp_path)
    assert "smithy.lint.engine" in modules
    rerender_files = ("smithy.rerender.plan", "smithy.rerender.templating", "license_expression")
    writing = ("smithy.atomic",)  # only --fix writes, through the journal
    unused = (*NEVER_FOR_LOCAL_WORK, *OTHER_COMMANDS, *rerender_files, *writing)
    assert _loaded(modules, unused) == []


def test_the_cli_process_collects_cycles_less_often() -> None:
    """``run`` (the console script) raises the collector's first threshold; ``main`` does not.

    A command on one feedstock (aliases too) never stops for the collector; the others collect
    more often, as they go through many feedstocks in one process.
    """
    from smithy.cli import main, tune_gc

    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 11, 12)
        main(["--version"])
        assert gc.get_threshold() == (700, 11, 12)  # in-process callers keep their own
        tune_gc(["--debug", "regenerate", "feedstock"])
        assert gc.get_threshold() == (1_000_000, 11, 12)
        tune_gc(["lint", "recipe"])
        assert gc.get_threshold() == (1_000_000, 11, 12)
        tune_gc(["fleet", "run"])
        assert gc.get_threshold() == (10_000, 11, 12)
        tune_gc(["--help"])
        assert gc.get_threshold() == (10_000, 11, 12)
    finally:
        gc.set_threshold(*saved)


def test_the_console_script_quiets_the_collector_before_loading_the_command_line(
    tmp_path: Path,
) -> None:
    """Loading ``smithy.cli`` and its libraries makes no garbage worth a collection."""
    probe = (
        "import gc, sys\n"
        "import smithy.__main__ as entry\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'smithy.cli':\n"
        "            print('LOADING WITH', gc.get_threshold()[0])\n"
        "sys.meta_path.insert(0, Watch())\n"
        "sys.argv = ['smithy', '--version']\n"
        "entry.main()\n"
    )
    result = _python(probe, cwd=tmp_path)
    assert "LOADING WITH 1000000" in result.stdout, result.stderr
    assert result.stdout.rstrip().endswith(f"smithy {smithy.__version__}")
    assert result.returncode == 0


# Count the methods dataclass compiles for smithy's classes while the rerender's and lint's
# modules are imported: compiling them is most of what making a class costs, and every process
# pays it. 526 with plain dataclasses, 279 before the recipe's value classes became records,
# 235 since; a ``record`` compiles one (its ``__init__``), a ``frozen_record`` three
# (``smithy.records``). A new class on these paths adds one to six.
_COMPILES = (
    "import builtins, sys\n"
    "real = builtins.exec\n"
    "count = 0\n"
    "def counting(source, globals=None, *args):\n"
    "    global count\n"
    "    if isinstance(source, str) and isinstance(globals, dict):\n"
    "        count += globals.get('__name__', '').split('.')[0] == 'smithy'\n"
    "    return real(source, globals, *args)\n"
    "builtins.exec = counting\n"
    "import smithy.cli, smithy.cli.rerender, smithy.cli.lint, smithy.report.rerender_report\n"
    "import smithy.rerender.plan, smithy.rerender.writer, smithy.lint.engine\n"
    "print('COMPILES', count)\n"
)
_COMPILE_BUDGET = 250


def test_importing_the_rerender_and_lint_compiles_few_generated_methods(tmp_path: Path) -> None:
    result = _python(_COMPILES, cwd=tmp_path)
    assert "COMPILES " in result.stdout, result.stderr
    count = int(result.stdout.split("COMPILES ")[1])
    assert 0 < count <= _COMPILE_BUDGET, (
        f"{count} generated methods compiled: make new classes on these paths smithy.records"
        " records (or frozen_record), or raise the budget saying why"
    )
