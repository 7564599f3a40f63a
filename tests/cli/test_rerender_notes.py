"""What a rerender says on stderr besides errors: unevaluated calls, files it removes and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smithy.cli import main
from smithy.errors import ExitCode

pytestmark = pytest.mark.usefixtures("embedded_pinning")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zlib-ng-feedstock"
SETUP_PY_RECIPE = """\
{% set data = load_setup_py_data() %}
package:
  name: frompy
  version: {{ data.get('version') }}
build:
  number: 0
  noarch: python
requirements:
  host:
    - python
  run:
    - python
"""


def _feedstock(tmp_path: Path) -> Path:
    root = tmp_path / "zlib-ng-feedstock"
    shutil.copytree(EXAMPLE, root)
    return root


def test_render_warns_about_load_setup_py_data(tmp_path: Path, capsys) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "meta.yaml").write_text(SETUP_PY_RECIPE)
    assert main(["render", "--platform", "linux-64", str(recipe)]) == ExitCode.OK
    err = capsys.readouterr().err.splitlines()
    warning = [line for line in err if ": warning: " in line]
    assert len(warning) == 1
    assert warning[0].endswith(
        "meta.yaml:1:15: warning: load_setup_py_data() would run setup.py; smithy does not "
        "evaluate it, so every value read from it is empty"
    )


def test_rerender_warns_about_load_setup_py_data(tmp_path: Path, capsys) -> None:
    root = _feedstock(tmp_path)
    (root / "recipe" / "meta.yaml").write_text(SETUP_PY_RECIPE)
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    err = capsys.readouterr().err
    assert "meta.yaml:1:15: warning: load_setup_py_data() would run setup.py" in err


def test_recipe_without_such_calls_has_no_warning(tmp_path: Path, capsys) -> None:
    root = _feedstock(tmp_path)
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    assert "warning" not in capsys.readouterr().err


def test_summary_names_removed_files_smithy_did_not_write(tmp_path: Path, capsys) -> None:
    """A feedstock without smithy's manifest loses foreign job files, as with conda-smithy."""
    root = _feedstock(tmp_path)
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    # As last rerendered by conda-smithy (no manifest): every .ci_support/*.yaml is generated.
    (root / ".smithy" / "manifest.json").unlink()
    mine = root / ".ci_support" / "linux_64_my_own.yaml"
    mine.write_text("c_compiler:\n- gcc\n")
    capsys.readouterr()
    assert main(["rerender", "--check", str(root)]) == ExitCode.FINDINGS
    assert (
        ".ci_support/linux_64_my_own.yaml: would remove: smithy did not generate it"
        in capsys.readouterr().err
    )
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    err = capsys.readouterr().err
    assert ".ci_support/linux_64_my_own.yaml: removed: smithy did not generate it" in err
    assert "no job of the new matrix has this name" in err
    assert not mine.exists()
    # Its own files, once dropped from the matrix, go without a note: they are in the manifest.
    meta = root / "recipe" / "meta.yaml"
    meta.write_text(
        meta.read_text().replace("  number: 1\n", "  number: 1\n  skip: true  # [win]\n")
    )
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    assert ": removed:" not in capsys.readouterr().err
    assert not (root / ".ci_support" / "win_64_.yaml").exists()
