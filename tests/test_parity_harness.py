"""benchmarks/parity.py: the .ci_support comparison and one end-to-end run on a tiny corpus."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

import pytest

from smithy.resources import default_pinning_dir

ROOT = Path(__file__).resolve().parent.parent


def _load_parity() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parity", ROOT / "benchmarks" / "parity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["parity"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


parity = _load_parity()
Tree = Callable[[Mapping[str, str]], Path]


def test_identical_folders_ignore_readme_and_migrations(build_tree: Tree) -> None:
    root = build_tree(
        {
            "a/linux_64_.yaml": "x:\n- '1'\n",
            "a/README": "conda-smithy's words\n",
            "a/migrations/m.yaml": "k: 1\n",
            "b/linux_64_.yaml": "x:\n- '1'\n",
        }
    )
    result = parity.compare_ci_support(root / "a", root / "b")
    assert result.identical
    assert result.expected == ("linux_64_.yaml",)
    assert result.first_difference() == ""


def test_layout_and_value_differences_are_told_apart(build_tree: Tree) -> None:
    root = build_tree(
        {
            "a/layout.yaml": "x:\n- '1'\n",
            "a/value.yaml": "x:\n- '1'\n",
            "b/layout.yaml": "x: ['1']\n",
            "b/value.yaml": "x:\n- '2'\n",
        }
    )
    result = parity.compare_ci_support(root / "a", root / "b")
    assert not result.identical
    assert result.byte_different == ("layout.yaml", "value.yaml")
    assert result.value_different == ("value.yaml",)
    assert result.first_difference() == "values value.yaml"


def test_missing_and_extra_names(build_tree: Tree) -> None:
    root = build_tree({"a/old.yaml": "x: 1\n", "b/new.yaml": "x: 1\n"})
    result = parity.compare_ci_support(root / "a", root / "b")
    assert (result.missing, result.extra) == (("old.yaml",), ("new.yaml",))
    assert result.first_difference() == "missing old.yaml"


def test_lint_codes_from_json_report() -> None:
    report = {"findings": [{"code": "SMY2"}, {"code": "SMY1"}, {"code": "SMY2"}]}
    assert parity.lint_codes(json.dumps(report)) == ["SMY1", "SMY2"]
    assert parity.lint_codes("not json") == []


def test_end_to_end_run_finds_a_changed_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Seed the expected files with smithy itself, then corrupt one value.
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "examples" / "pyfoo-feedstock", corpus / "feedstocks" / "pyfoo")
    pinning = corpus / "pinnings" / "1"
    pinning.mkdir(parents=True)
    shutil.copy(default_pinning_dir() / "conda_build_config.yaml", pinning)
    entry = {"name": "pyfoo", "commit": "0" * 40, "pinning_version": "1"}
    (corpus / "index.json").write_text(json.dumps([{**entry, "recipe_format": "recipe.yaml"}]))
    seed = corpus / "feedstocks" / "pyfoo"
    seeded = parity._run(
        [sys.executable, "-m", "smithy", "rerender", "-q", "--pinning", str(pinning), str(seed)],
        tmp_path,
    )
    assert seeded.exit_code == 0, seeded.stderr
    assert seeded.cpu_seconds > 0

    out = tmp_path / "out.json"
    assert parity.main(["--corpus", str(corpus), "--json", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "identical 1/1"
    assert json.loads(out.read_text())[0]["comparison"]["identical"] is True

    expected = sorted((seed / ".ci_support").glob("*.yaml"))[0]
    expected.write_text(expected.read_text() + "extra_key:\n- surprise\n")
    assert parity.main(["--corpus", str(corpus), "--only", "pyfoo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "identical 0/1"
    assert f"values {expected.name}" in lines[1]
