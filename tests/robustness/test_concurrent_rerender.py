"""Two rerenders of one feedstock at once: one waits or gives way, the feedstock ends complete."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from smithy.atomic.journal import WORK_AREA
from smithy.atomic.lock import FeedstockBusy, feedstock_lock
from smithy.cli import main
from smithy.errors import ExitCode

pytestmark = [
    pytest.mark.usefixtures("embedded_pinning"),
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork"),
]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zlib-ng-feedstock"
OFFSETS = (0.0, 0.01, 0.03, 0.06, 0.1, 0.15, 0.25, 0.4)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _start(args: list[str], log: Path) -> int:
    pid = os.fork()
    if pid == 0:
        code = 4
        try:
            sys.stderr = sys.stdout = open(log, "w", encoding="utf-8")  # noqa: SIM115
            code = main(args)
            sys.stderr.flush()
        finally:
            os._exit(code)
    return pid


def _exit_code(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _bare(root: Path) -> None:
    for child in root.iterdir():
        if child.name not in ("recipe", "conda-forge.yml"):
            shutil.rmtree(child) if child.is_dir() else child.unlink()


@pytest.mark.parametrize("wait", [None, "30"])
def test_two_rerenders_at_many_offsets(tmp_path: Path, wait: str | None) -> None:
    root = tmp_path / "zlib-ng-feedstock"
    shutil.copytree(EXAMPLE, root)
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    complete = _tree(root)
    args = ["rerender", "-q", str(root), *(["--wait", wait] if wait else [])]
    losers = 0
    for trial, offset in enumerate(OFFSETS):
        _bare(root)
        logs = [tmp_path / f"{trial}-first.log", tmp_path / f"{trial}-second.log"]
        first = _start(args, logs[0])
        time.sleep(offset)
        second = _start(args, logs[1])
        codes = [_exit_code(first), _exit_code(second)]
        assert _tree(root) == complete, f"offset {offset}: the feedstock is not complete"
        assert not (root / WORK_AREA).exists()
        assert ExitCode.OK in codes
        for code, log in zip(codes, logs, strict=True):
            if code != ExitCode.OK:
                losers += 1
                assert code == ExitCode.INPUT
                lines = log.read_text(encoding="utf-8").splitlines()
                assert len(lines) == 1
                assert f"another smithy run holds {root}" in lines[0]
    # Whether two runs overlap depends on the machine's speed; with --wait none may give way.
    if wait:
        assert losers == 0


def test_rerender_while_another_run_holds_the_feedstock(tmp_path: Path) -> None:
    """The collision itself, made certain: the loser exits 3 naming the holder, writes nothing."""
    root = tmp_path / "zlib-ng-feedstock"
    shutil.copytree(EXAMPLE, root)
    before = _tree(root)
    log = tmp_path / "second.log"
    with feedstock_lock(root):
        code = _exit_code(_start(["rerender", "-q", str(root)], log))
    assert code == ExitCode.INPUT
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and f"another smithy run holds {root}" in lines[0]
    assert _tree(root) == before


def test_busy_feedstock_waits_then_gives_up(tmp_path: Path) -> None:
    with feedstock_lock(tmp_path):
        started = time.monotonic()
        busy = r"another smithy run holds .* after waiting 0\.3 s"
        with pytest.raises(FeedstockBusy, match=busy), feedstock_lock(tmp_path, wait=0.3):
            pass
        assert time.monotonic() - started >= 0.3
    with feedstock_lock(tmp_path, wait=0.3):
        pass  # released on leaving the block


def test_lock_is_released_when_the_holder_is_killed(tmp_path: Path) -> None:
    pid = os.fork()
    if pid == 0:
        with feedstock_lock(tmp_path):
            os.kill(os.getpid(), 9)
    os.waitpid(pid, 0)
    with feedstock_lock(tmp_path):
        pass
