"""A rerender never writes through symlinks and never deletes what it did not generate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from smithy.cli import main
from smithy.errors import ExitCode

pytestmark = pytest.mark.usefixtures("embedded_pinning")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zlib-ng-feedstock"


def _feedstock(tmp_path: Path) -> Path:
    root = tmp_path / "zlib-ng-feedstock"
    shutil.copytree(EXAMPLE, root)
    return root


def test_forged_manifest_entry_does_not_delete_the_recipe(tmp_path) -> None:
    root = _feedstock(tmp_path)
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    manifest_path = root / ".smithy" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for victim in ("recipe/meta.yaml", "notes.txt"):
        manifest["files"].append({"path": victim, "sha256": "0" * 64, "mode": "0644"})
    (root / "notes.txt").write_text("mine\n")
    manifest_path.write_text(json.dumps(manifest))
    assert main(["rerender", "-q", str(root)]) == ExitCode.OK
    assert (root / "recipe" / "meta.yaml").is_file()
    assert (root / "notes.txt").read_text() == "mine\n"


def test_symlinked_generated_folder_is_refused(tmp_path) -> None:
    root = _feedstock(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.yaml").write_text("precious: true\n")
    shutil.rmtree(root / ".ci_support", ignore_errors=True)
    (root / ".ci_support").symlink_to(outside, target_is_directory=True)
    assert main(["rerender", "-q", str(root)]) == ExitCode.INPUT
    assert sorted(p.name for p in outside.iterdir()) == ["keep.yaml"]
    assert (outside / "keep.yaml").read_text() == "precious: true\n"
