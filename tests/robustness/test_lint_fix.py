"""``smithy lint --fix`` never writes outside the recipe: planted temp symlinks, linked recipes."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from smithy import cli
from smithy.atomic import journal

HEAD = """\
package:
  name: foo
  version: "1.0"
source:
  url: https://example.org/foo-1.0.tar.gz
  sha256: 5b3b022489f3ced82384f06db1e13ba148cbce38c7941e424d6cb414416acd18
build:
  number: 0
test:
  commands:
    - foo --help
"""
ABOUT = """\
about:
  home: https://example.org
  license: MIT
  license_file: LICENSE
  summary: foo
"""
EXTRA = """\
extra:
  recipe-maintainers:
    - someone
"""
UNORDERED = HEAD + EXTRA + ABOUT  # SMY102: --fix puts about before extra


def feedstock(root: Path, text: str = UNORDERED) -> Path:
    (root / "recipe").mkdir(parents=True)
    (root / "recipe" / "meta.yaml").write_text(text, encoding="utf-8")
    (root / "conda-forge.yml").write_text("{}\n", encoding="utf-8")
    return root


def test_fix_ignores_a_planted_temp_symlink(tmp_path: Path) -> None:
    root = feedstock(tmp_path / "fs")
    victim = tmp_path / "victim.txt"
    victim.write_text("original", encoding="utf-8")
    for name in ("meta.yaml.smithy-tmp", ".meta.yaml.tmp"):
        (root / "recipe" / name).symlink_to(victim)
    assert cli.main(["lint", "--fix", str(root)]) == 0
    assert victim.read_text(encoding="utf-8") == "original"
    meta = root / "recipe" / "meta.yaml"
    assert not meta.is_symlink()
    fixed = meta.read_text(encoding="utf-8")
    assert fixed.index("about:") < fixed.index("extra:")


def test_fix_keeps_the_permission_bits(tmp_path: Path) -> None:
    meta = feedstock(tmp_path / "fs") / "recipe" / "meta.yaml"
    meta.chmod(0o640)
    assert cli.main(["lint", "--fix", str(tmp_path / "fs")]) == 0
    assert stat.S_IMODE(meta.stat().st_mode) == 0o640
    assert [p.name for p in meta.parent.iterdir()] == ["meta.yaml"]


@pytest.mark.parametrize("how", ["file", "folder"])
def test_fix_does_not_write_through_a_symlinked_recipe(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "meta.yaml").write_text(UNORDERED, encoding="utf-8")
    root = tmp_path / "fs"
    root.mkdir()
    (root / "conda-forge.yml").write_text("{}\n", encoding="utf-8")
    if how == "file":
        (root / "recipe").mkdir()
        (root / "recipe" / "meta.yaml").symlink_to(outside / "meta.yaml")
    else:
        (root / "recipe").symlink_to(outside)
    assert cli.main(["lint", "--fix", str(root)]) == 1  # the lint stays: nothing was fixed
    assert (outside / "meta.yaml").read_text(encoding="utf-8") == UNORDERED
    assert "not fixed (reached through a symlink)" in capsys.readouterr().err


def test_a_failed_fix_leaves_the_recipe_as_it_was(
    tmp_path: Path, disk_full_on: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    root = feedstock(tmp_path / "fs")
    disk_full_on("meta.yaml")
    assert cli.main(["lint", "--fix", str(root)]) == 3
    error = capsys.readouterr().err
    assert "cannot write the fixed recipe (No space left on device); nothing was changed" in error
    assert (root / "recipe" / "meta.yaml").read_text(encoding="utf-8") == UNORDERED
    assert not (root / journal.WORK_AREA).exists()


def test_fix_goes_through_the_journal(tmp_path: Path) -> None:
    root = feedstock(tmp_path / "fs")
    steps: list[list[journal.Step]] = []
    real_apply = journal.apply_steps

    def recorded(at: Path, planned: list[journal.Step], *, what: str) -> None:
        steps.append(planned)
        real_apply(at, planned, what=what)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("smithy.lint.apply.apply_steps", recorded)
        assert cli.main(["lint", "--fix", str(root)]) == 0
    assert [[step.path for step in planned] for planned in steps] == [["recipe/meta.yaml"]]
    assert not (root / journal.WORK_AREA).exists()


def test_a_recipe_named_twice_is_fixed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = feedstock(tmp_path / "fs")
    assert cli.main(["lint", "--fix", str(root), str(root / "recipe")]) == 0
    fixed = [line for line in capsys.readouterr().err.splitlines() if ": fixed " in line]
    assert len(fixed) == 1, fixed
    text = (root / "recipe" / "meta.yaml").read_text(encoding="utf-8")
    assert text.index("about:") < text.index("extra:")
