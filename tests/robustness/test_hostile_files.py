"""Something other than a file where smithy reads one is an error, never "no file".

A folder, a broken or looping link named conda-forge.yml or conda_build_config.yaml was taken
for no file at all: its defaults were used in silence, and a rerender replaced the feedstock's
CI files (7 jobs) by the default platforms' (3 jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from smithy import cli
from tests.conftest import write_tree

META = """\
package:
  name: foo
  version: "1.0"
build:
  number: 0
requirements:
  build:
    - {{ compiler('c') }}
"""
CONFIG = "build_platform:\n  osx_arm64: osx_64\n"


def _folder(path: Path) -> None:
    path.mkdir()


def _broken_link(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.yml")


def _looping_link(path: Path) -> None:
    path.symlink_to(path.name)


MAKERS = {"folder": _folder, "broken link": _broken_link, "looping link": _looping_link}


def _feedstock(root: Path) -> Path:
    return write_tree(root, {"recipe/meta.yaml": META, "conda-forge.yml": CONFIG})


@pytest.mark.parametrize("name", ["conda-forge.yml", "recipe/conda_build_config.yaml"])
@pytest.mark.parametrize("kind", sorted(MAKERS))
@pytest.mark.parametrize("command", ["rerender", "variants", "render"])
def test_a_non_file_in_place_of_an_input_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    kind: str,
    command: str,
) -> None:
    root = _feedstock(tmp_path / "foo-feedstock")
    target = root / name
    target.unlink(missing_ok=True)
    make: Callable[[Path], None] = MAKERS[kind]
    make(target)
    args = [command, str(root)] + (["--dry-run"] if command == "rerender" else [])
    assert cli.main(args) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{name}: error: cannot read: " in err
    assert not (root / ".ci_support").exists()


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        # nan passed min=0 and "> 0": a nan deadline is never reached, so --wait nan waited
        # forever for a held lock, and --timeout nan gave no limit at all.
        (["rerender", "--dry-run", "--wait", "nan"], 2),
        (["fleet", "check", "--timeout", "nan"], 3),
    ],
)
def test_a_nan_number_of_seconds_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)  # where fleet writes its results
    root = _feedstock(tmp_path / "foo-feedstock")
    assert cli.main([*argv, str(root)]) == code
    err = capsys.readouterr().err
    assert "--wait" in err or "--timeout must be a positive number" in err
    assert not (root / ".ci_support").exists()


@pytest.mark.parametrize("name", ["$(id)", "B C", "1ST", "A;B", "A\\nB", ""])
def test_a_secret_that_is_no_variable_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # Pasted into run_docker_build.sh as `-e NAME`: `$(id)` ran a command in CI.
    root = _feedstock(tmp_path / "foo-feedstock")
    (root / "conda-forge.yml").write_text(f"secrets:\n  - GOOD_1\n  - '{name}'\n")
    assert cli.main(["rerender", "--dry-run", str(root)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "conda-forge.yml:3:5: error: secrets[1] must be an environment variable name" in err


def test_secret_names_are_kept(tmp_path: Path) -> None:
    root = _feedstock(tmp_path / "foo-feedstock")
    (root / "conda-forge.yml").write_text("secrets: [GOOD_1, _OTHER]\n")
    assert cli.main(["rerender", str(root)]) == 0
    script = (root / ".scripts" / "run_docker_build.sh").read_text()
    assert "-e GOOD_1 \\" in script and "-e _OTHER \\" in script


def test_graph_names_the_reading_error_of_a_recipe_linked_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # relative_to() of the resolved recipe raised ValueError: "internal error" was recorded.
    root = _feedstock(tmp_path / "foo-feedstock")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/sh\n")
    (root / "recipe" / "meta.yaml").unlink()
    (root / "recipe" / "meta.yaml").symlink_to(outside)
    argv = ["graph", "build", "--no-cache", "-o", str(tmp_path / "g.json"), str(root)]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert f"{outside}:1: error: " in err
