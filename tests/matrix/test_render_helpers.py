"""Platforms rendered by forked helpers give the same matrix and the same files as one process.

The sharing runs in fresh interpreters: pytest-xdist's workers have a second thread, where
smithy rightly renders everything in one process.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from feedstocks import heavy_feedstocks, small_feedstock  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="helpers are forked on Linux only")

# Renders one feedstock with and without helpers (helpers forced: the CPU-time threshold set to 0)
# and prints "same <forks>" when both matrices are equal, field by field.
COMPARE = """\
import os, sys
from pathlib import Path
import smithy.matrix.render as render
from smithy.pinning.source import resolve_pinning

forks = 0
real_fork = os.fork
def counting_fork():
    global forks
    forks += 1
    return real_fork()
os.fork = counting_fork

render._WORTH_A_HELPER = 0.0
feedstock = Path(sys.argv[1])
pinning = resolve_pinning(None, {})
alone = render.render_feedstock(feedstock, pinning)
shared = render.render_feedstock(feedstock, pinning, helpers=2)
assert shared.jobs == alone.jobs
assert shared.platforms == alone.platforms
assert shared.applied_migrations == alone.applied_migrations
print("same", forks)
"""


@pytest.mark.parametrize("which", [0, 1, 2])
def test_helpers_render_the_same_matrix(tmp_path: Path, which: int) -> None:
    _, feedstock = heavy_feedstocks(tmp_path)[which]
    done = subprocess.run(
        [sys.executable, "-c", COMPARE, str(feedstock)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["same", "2"]


def _rerender(feedstock: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smithy", "rerender", "--quiet", str(feedstock), *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _same_trees(one: Path, two: Path) -> bool:
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(one / f, two / f, shallow=False) for f in files)


def test_rerender_writes_the_same_files_whatever_jobs(tmp_path: Path) -> None:
    _, feedstock = heavy_feedstocks(tmp_path / "a")[2]
    copy = tmp_path / "b" / feedstock.name
    shutil.copytree(feedstock, copy)
    assert _rerender(feedstock, "--jobs", "1").returncode == 0
    assert _rerender(copy, "--jobs", "3").returncode == 0
    assert _same_trees(feedstock, copy)


def test_a_recipe_error_is_the_one_a_single_process_reports(tmp_path: Path) -> None:
    # The second platform's render fails (a jinja error only osx meets): helpers or not, the
    # same one-line error and exit code.
    _, feedstock = small_feedstock(tmp_path)
    recipe = feedstock / "recipe" / "meta.yaml"
    recipe.write_text(
        textwrap.dedent("""\
        {% if osx %}{{ undefined_thing.attribute }}{% endif %}
        """)
        + recipe.read_text()
    )
    alone, shared = _rerender(feedstock, "--jobs", "1"), _rerender(feedstock, "--jobs", "4")
    assert alone.returncode == shared.returncode != 0
    assert alone.stderr == shared.stderr
    assert "Traceback" not in shared.stderr


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    _, feedstock = small_feedstock(tmp_path)
    done = _rerender(feedstock, "--jobs", "0")
    assert done.returncode == 2
    assert "--jobs" in done.stderr


def test_lint_reports_the_same_findings_whatever_jobs(tmp_path: Path) -> None:
    _, feedstock = heavy_feedstocks(tmp_path)[0]

    def lint(jobs: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "smithy", "lint", str(feedstock), "--jobs", jobs]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)

    alone, shared = lint("1"), lint("3")
    assert (alone.returncode, alone.stdout) == (shared.returncode, shared.stdout)
    assert alone.stdout  # the generated recipe has findings to compare
