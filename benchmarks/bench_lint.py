"""Time smithy lint: one recipe per process (start-up included) and many recipes in one process.

Figures are CPU time (user + sys), the minimum of 5 runs for new processes: the machine these
run on is shared, so wall time mostly measures the neighbours.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smithy.lint.context import LintOptions  # noqa: E402
from smithy.lint.engine import lint_paths  # noqa: E402
from tests.lint.recipes import V0, V0_NOARCH, V1, V1_NOARCH  # noqa: E402

RECIPES = [
    (V0, "meta.yaml"),
    (V1, "recipe.yaml"),
    (V0_NOARCH, "meta.yaml"),
    (V1_NOARCH, "recipe.yaml"),
]


def _write(root: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        text, name = RECIPES[index % len(RECIPES)]
        text = text.replace("goodpkg", f"pkg{index}").replace("purepy", f"pure{index}")
        folder = root / f"r{index}" / "recipe"
        folder.mkdir(parents=True)
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder.parent)
    return paths


# The lint path alone: engine + reporter, as `smithy lint` runs it minus the other commands'
# modules the CLI imports at start-up.
ENGINE = (
    "import sys; from pathlib import Path; from smithy.lint.engine import lint_paths; "
    "from smithy.lint.context import LintOptions; from smithy.report.findings import text_report; "
    "paths = [Path(a) for a in sys.argv[1:] if not a.startswith('-')]; "
    "select = [a[9:] for a in sys.argv[1:] if a.startswith('--select=')]; "
    "sys.stdout.write(text_report(lint_paths(paths, select=select).findings))"
)
CLI = (
    "import sys; from smithy.cli import app, main; from smithy.cli import lint; "
    "names = {c.name for c in app.registered_commands}; "
    "'lint' in names or app.command('lint')(lint.lint_command); "
    "sys.exit(main(sys.argv[1:]))"
)


def _one_process(path: Path, extra: list[str], code: str = ENGINE) -> float:
    """CPU seconds (user + sys) of one lint process: wall time is noise on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = ["lint", str(path), *extra] if code == CLI else [str(path), *extra]
    subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        check=False,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = _write(Path(tmp), 1000)
        cases = (
            ("1 recipe, new process, lint engine, all rules", [], ENGINE),
            ("1 recipe, new process, lint engine, --select SMY1,SMY2", ["--select=SMY1"], ENGINE),
            ("1 recipe, new process, full smithy CLI, all rules", [], CLI),
        )
        for label, extra, code in cases:
            best = min(_one_process(paths[i % 2], extra, code) for i in range(5))
            rows.append((label, best, 0.3))
        options = LintOptions()
        start = time.process_time()
        result = lint_paths(paths, options=options)
        rows.append(("1,000 recipes, one process, all rules", time.process_time() - start, 10.0))
        assert not result.findings, result.findings[:3]
    print(f"{'case (CPU s: user + sys, min of 5 new processes)':<62} {'cpu s':>8} {'target':>7}")
    for label, seconds, target in rows:
        print(f"{label:<62} {seconds:>8.3f} {target:>8.1f}")


if __name__ == "__main__":
    main()
