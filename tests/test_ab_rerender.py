"""benchmarks/ab_rerender.py: two interpreters on a tiny corpus, same bytes or not."""

from __future__ import annotations

import importlib.util
import json
import shutil
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

from smithy.resources import default_pinning_dir

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


ab = _load("ab_rerender")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "examples" / "pyfoo-feedstock", root / "feedstocks" / "pyfoo")
    pinning = root / "pinnings" / "1"
    pinning.mkdir(parents=True)
    shutil.copy(default_pinning_dir() / "conda_build_config.yaml", pinning)
    entry = {"name": "pyfoo", "commit": "0" * 40, "pinning_version": "1"}
    (root / "index.json").write_text(json.dumps([{**entry, "recipe_format": "recipe.yaml"}]))
    return root


def _tampering_python(tmp_path: Path) -> Path:
    """An interpreter wrapper whose rerender also changes one generated file afterwards."""
    script = tmp_path / "tampering-python"
    script.write_text(
        "#!/bin/sh\n"
        f'"{sys.executable}" "$@" || exit $?\n'
        'case " $* " in *" rerender "*) ;; *) exit 0 ;; esac\n'
        "for last; do :; done\n"
        'echo changed >> "$last/README.md"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_same_interpreter_on_both_sides_is_same(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ab.main(["--a", sys.executable, "--b", sys.executable, "--corpus", str(corpus)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  same" in lines[1]
    assert lines[-1].endswith("0 of 1 differ")


def test_a_changed_generated_file_is_reported(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrapper = str(_tampering_python(tmp_path))
    assert ab.main(["--a", sys.executable, "--b", wrapper, "--corpus", str(corpus)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "DIFF" in lines[1] and "README.md" in lines[1]
    assert lines[-1].endswith("1 of 1 differ")
