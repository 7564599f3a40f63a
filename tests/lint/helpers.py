"""Test helpers: write a tiny feedstock, lint it, and compare (code, line) pairs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from smithy.lint.context import LintOptions
from smithy.lint.engine import LintResult, lint_paths

DATA = Path(__file__).resolve().parents[1] / "data"
PINNING = str(DATA / "lint" / "pinning")


def write_feedstock(
    root: Path, recipe: str, fmt: str = "meta.yaml", files: Mapping[str, str] | None = None
) -> Path:
    """Write ``root/recipe/<fmt>`` and extra files (paths relative to ``root``)."""
    (root / "recipe").mkdir(parents=True, exist_ok=True)
    (root / "recipe" / fmt).write_text(recipe, encoding="utf-8")
    for rel, text in (files or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def run_lint(
    root: Path,
    select: Sequence[str] = (),
    *,
    conda_forge: bool = False,
    ignore: Sequence[str] = (),
) -> LintResult:
    """Lint the feedstock at ``root`` with the small test pinning."""
    options = LintOptions(conda_forge=conda_forge, pinning=PINNING)
    return lint_paths([root], select=select, ignore=ignore, options=options)


def codes_lines(
    root: Path, select: Sequence[str] = (), *, conda_forge: bool = False
) -> list[tuple[str, int]]:
    """Lint and return ``(code, line)`` pairs, sorted."""
    result = run_lint(root, select, conda_forge=conda_forge)
    return sorted((f.code, f.line) for f in result.findings)


def check(
    tmp_path: Path,
    code: str,
    recipe: str,
    expected_lines: Sequence[int],
    fmt: str = "meta.yaml",
    files: Mapping[str, str] | None = None,
    *,
    conda_forge: bool = False,
) -> None:
    """Assert that rule ``code`` reports exactly ``expected_lines`` on ``recipe``.

    Input failures (SMY001-SMY003) always run; a fixture that trips them is a broken
    fixture, so they are not filtered out.
    """
    root = write_feedstock(tmp_path / "feed", recipe, fmt, files)
    found = codes_lines(root, [code], conda_forge=conda_forge)
    expected = sorted((code, line) for line in expected_lines)
    assert found == expected, f"found {found}, expected {expected}"
