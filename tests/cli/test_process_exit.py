"""The console script ends without the interpreter's teardown, and loses nothing doing so.

``smithy.cli.run`` leaves with ``os._exit`` once the command is done: these tests run real
processes and check what a normal exit would have done still happens (atexit handlers, output
buffered in stdout, threads joined, exit codes) and what a failing stdout gives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA

REPO = Path(__file__).resolve().parents[2]
_PINNING = str(DATA / "rerender_matrix" / "pinning")
# Block-buffered stdout, as in a real pipe: what is printed at exit is written by the last flush.
_BUFFERED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _fixture_feedstock(tmp_path: Path) -> Path:
    feedstock = tmp_path / "feedstock"
    shutil.copytree(DATA / "rerender_matrix" / "feedstock", feedstock)
    return feedstock


def _run_cli(
    prelude: str, *args: str, stdout: int = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    """Run ``smithy.cli.run`` in a new process after ``prelude`` (Python source)."""
    argv = ["smithy", *args]
    code = f"import sys\n{prelude}\nfrom smithy.cli import run\nsys.argv = {argv!r}\nrun()\n"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_BUFFERED_ENV,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )


def test_atexit_handlers_run_and_buffered_output_is_written(tmp_path: Path) -> None:
    marker = tmp_path / "atexit-ran"
    prelude = (
        "import atexit, pathlib\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "atexit.register(print, 'printed at exit')"  # buffered: only the last flush writes it
    )
    done = _run_cli(prelude, "--version")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("smithy ")
    assert lines[1:] == ["printed at exit"]
    assert marker.read_text() == "yes"


def test_exit_code_of_a_failed_command_is_kept(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "meta.yaml").write_text("package:\n  name: [unclosed\n")
    done = _run_cli("", "render", str(recipe))
    assert done.returncode == 3
    assert "meta.yaml:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_running_thread_is_joined_before_the_process_ends(tmp_path: Path) -> None:
    marker = tmp_path / "thread-finished"
    prelude = (
        "import pathlib, threading, time\n"
        "def late(): time.sleep(0.5); pathlib.Path(" + repr(str(marker)) + ").write_text('done')\n"
        "threading.Thread(target=late).start()"
    )
    done = _run_cli(prelude, "--version")
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "done"


def test_a_closed_stdout_pipe_gives_exit_1_and_no_traceback(tmp_path: Path) -> None:
    feedstock = _fixture_feedstock(tmp_path)
    # A quiet rerender writes nothing itself; the line printed at exit meets the closed pipe.
    prelude = "import atexit\natexit.register(print, 'late line')"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before smithy writes
    try:
        args = ("rerender", "-q", "--pinning", _PINNING, str(feedstock))
        done = _run_cli(prelude, *args, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Error" not in done.stderr


def test_a_real_rerender_exits_cleanly(tmp_path: Path) -> None:
    feedstock = _fixture_feedstock(tmp_path)
    done = _run_cli("", "rerender", "-q", "--pinning", _PINNING, str(feedstock))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert any((feedstock / ".ci_support").glob("*.yaml"))
