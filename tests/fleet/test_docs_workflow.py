"""The sharded GitHub Actions workflow in docs/ is valid under actionlint (with shellcheck)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WORKFLOW = Path(__file__).resolve().parents[2] / "docs" / "fleet-workflow.yml"
BIN = Path(sys.executable).parent


def test_example_workflow_passes_actionlint() -> None:
    done = subprocess.run(
        [str(BIN / "actionlint"), "-shellcheck", str(BIN / "shellcheck"), str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_example_workflow_runs_the_documented_commands() -> None:
    text = WORKFLOW.read_text()
    assert 'smithy fleet check feedstocks --shard "${{ matrix.shard }}/4"' in text
    assert "smithy fleet merge results-*.jsonl --output results.jsonl --html report.html" in text
