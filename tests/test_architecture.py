"""Structural rules of the code base: module size, no printing in core, no eval.

Import boundaries are import-linter contracts (``[tool.importlinter]`` in pyproject.toml,
run by ``lint-imports`` in ``.ci/run``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "smithy"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_module_is_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_core_never_prints(path: Path) -> None:
    if path.relative_to(PACKAGE).parts[0] == "cli":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]
    assert calls == []


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_no_eval_or_exec(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    forbidden = {"eval", "exec", "compile", "__import__"}
    calls = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in forbidden
    ]
    assert calls == []


def test_every_module_has_a_docstring() -> None:
    missing = [_rel(p) for p in MODULES if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []
