"""``smithy convert`` end to end: write and rerender, refuse, force, dry run, verify-only."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from smithy.cli import main
from smithy.matrix import render as matrix_render
from smithy.recipe.model import RawRecipe, RecipeFormat
from tests.convert.recipes import CONSTRUCTS, MULTI_OUTPUT, STAGED


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def convert(root: Path, *args: str) -> int:
    return main(["convert", str(root), "--pinning", str(root / "pinning.yaml"), *args])


@pytest.mark.parametrize(
    "recipe", [CONSTRUCTS, MULTI_OUTPUT, STAGED], ids=["single", "multi-output", "staged"]
)
def test_convert_writes_recipe_yaml_and_rerenders(
    make_feedstock: Callable[..., Path], recipe: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_feedstock(recipe, {"recipe/build.sh": "make install\n"})
    assert convert(root) == 0
    assert "verified: same outputs; written and rerendered" in capsys.readouterr().err
    assert not (root / "recipe" / "meta.yaml").exists()
    assert (root / "recipe" / "recipe.yaml").read_text().startswith("schema_version: 1\n")
    config = (root / "conda-forge.yml").read_text()
    assert config.startswith(
        "# build on the three main platforms\nconda_build_tool: rattler-build\n"
    )
    ci_files = sorted(p.name for p in (root / ".ci_support").glob("*.yaml"))
    assert ci_files and all(name.startswith(("linux_", "osx_", "win_")) for name in ci_files)
    # the rerendered feedstock is up to date and the conversion now verifies as done
    assert main(["rerender", str(root), "--check", "--pinning", str(root / "pinning.yaml")]) == 0


def test_the_rerender_after_the_write_reuses_the_proofs_render(
    make_feedstock: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """meta.yaml renders once, the converted recipe once (twice when widened), and not again.

    That the reused render gives the rerender's files is checked above (``--check``).
    """
    rendered: list[RecipeFormat] = []
    render_matrix = matrix_render.render_matrix

    def counting(raw: RawRecipe, *args: Any, **kwargs: Any) -> matrix_render.FeedstockMatrix:
        rendered.append(raw.format)
        return render_matrix(raw, *args, **kwargs)

    monkeypatch.setattr(matrix_render, "render_matrix", counting)
    root = make_feedstock(MULTI_OUTPUT)
    assert convert(root) == 0
    assert (root / ".ci_support").is_dir()
    assert rendered == [RecipeFormat.V0, RecipeFormat.V1]
    assert main(["rerender", str(root), "--pinning", str(root / "pinning.yaml")]) == 0
    assert rendered == [RecipeFormat.V0, RecipeFormat.V1, RecipeFormat.V1]  # rerender renders


def test_keep_meta_then_verify_only(make_feedstock: Callable[..., Path]) -> None:
    root = make_feedstock(CONSTRUCTS)
    assert convert(root, "--keep-meta") == 0
    assert (root / "recipe" / "meta.yaml").is_file()
    assert convert(root, "--verify-only") == 0


def test_verify_only_reports_a_changed_package_as_a_table(
    make_feedstock: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_feedstock(CONSTRUCTS)
    assert convert(root, "--keep-meta") == 0
    recipe = root / "recipe" / "recipe.yaml"
    recipe.write_text(recipe.read_text().replace("    - numpy >=1.22\n", "    - numpy >=1.26\n"))
    before = snapshot(root)
    capsys.readouterr()
    assert convert(root, "--verify-only") == 1
    out = capsys.readouterr().out
    header, rule, *rows = out.splitlines()
    assert header.split() == ["platform", "output", "field", "before", "after"]
    assert set(rule) <= {"-", " "}
    assert any(
        row.split()[:3] == ["linux-64", "demo", "requirements.run"] and ">=1.22" in row
        for row in rows
    )
    assert snapshot(root) == before


def test_issues_refuse_to_write_unless_forced(
    make_feedstock: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    looped = CONSTRUCTS.replace(
        "    - numpy >=1.22\n",
        '{% set deps = "numpy scipy" %}\n'
        "{% for dep in deps.split() %}\n    - {{ dep }}\n{% endfor %}\n",
    )
    root = make_feedstock(looped)
    before = snapshot(root)
    assert convert(root) == 1
    err = capsys.readouterr().err
    assert "recipe/meta.yaml:44: error: a jinja for-loop over a list only known when" in err
    assert snapshot(root) == before
    assert convert(root, "--force") == 1  # still reported, but written
    assert (root / "recipe" / "recipe.yaml").is_file()


def test_dry_run_writes_nothing_and_json_reports(
    make_feedstock: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_feedstock(MULTI_OUTPUT)
    before = snapshot(root)
    assert convert(root, "--dry-run", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["clean"] is True and data["written"] is False
    assert data["issues"] == [] and data["differences"] == []
    assert snapshot(root) == before


def test_deterministic_output(make_feedstock: Callable[..., Path], tmp_path: Path) -> None:
    first = make_feedstock(CONSTRUCTS, name="one")
    second = make_feedstock(CONSTRUCTS, name="two")
    assert convert(first) == 0 and convert(second) == 0
    assert snapshot(first / "recipe") == snapshot(second / "recipe")


def test_key_only_conda_build_counts_is_kept_with_use_keys(
    make_feedstock: Callable[..., Path],
) -> None:
    # conda-build counts `zlib` as used (its name is in ignore_run_exports), rattler-build does
    # not: the conversion names it in build.variant.use_keys so the CI matrix stays the same.
    recipe = CONSTRUCTS.replace("  host:\n    - python\n    - pip\n", "  host:\n    - python\n")
    recipe = recipe.replace("    # zlib is only needed for the C extension\n    - zlib\n", "")
    root = make_feedstock(recipe)
    assert convert(root) == 0
    doc = YAML(typ="safe").load((root / "recipe" / "recipe.yaml").read_text())
    assert doc["build"]["variant"] == {"use_keys": ["zlib"]}
    for ci_file in (root / ".ci_support").glob("*.yaml"):
        assert "zlib" in YAML(typ="safe").load(ci_file.read_text())


def test_bad_input_exits_3_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "recipe").mkdir()
    assert main(["convert", str(tmp_path)]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith("meta.yaml: error: no meta.yaml to convert")


def test_a_render_error_names_the_users_file_not_the_scratch_copy(
    make_feedstock: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_feedstock(CONSTRUCTS.replace("# [win]", "# [os.system('x')]", 1))
    monkeypatch.chdir(root.parent)
    assert convert(root.relative_to(root.parent), "--dry-run") == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{root.name}/recipe/meta.yaml:"), line
    assert ": error: invalid selector" in line


def test_the_proof_renders_in_place_a_named_pipe_is_left_alone(
    make_feedstock: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Both recipes render in the feedstock itself: no file of it is copied or read whole.

    A copy of the feedstock would stop on the pipes (or hang reading them).
    """
    root = make_feedstock(CONSTRUCTS)
    os.mkfifo(root / "recipe" / "pipe")
    os.mkfifo(root / "pipe")
    before = snapshot(root)
    assert convert(root, "--dry-run") == 0
    assert "verified: same outputs; nothing written" in capsys.readouterr().err
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("recipe", "expected"),
    [
        ("", "meta.yaml:1: error: the recipe is empty"),
        ("- a\n- b\n", "meta.yaml:1: error: a meta.yaml must be a mapping of sections"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", "meta.yaml:1:1003: error: YAML nested deeper"),
    ],
    ids=["empty", "list", "deep"],
)
def test_a_meta_yaml_that_does_not_render_is_bad_input(
    make_feedstock: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    recipe: str,
    expected: str,
) -> None:
    root = make_feedstock(recipe)
    before = snapshot(root)
    assert convert(root) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert expected in line
    assert snapshot(root) == before


def test_a_recipe_that_renders_but_cannot_be_converted_is_not_called_verified(
    make_feedstock: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    huge = "9" * 5000
    root = make_feedstock(CONSTRUCTS.replace("extra:\n", f"extra:\n  huge: {huge}\n", 1))
    assert convert(root) == 1
    lines = capsys.readouterr().err.splitlines()
    assert "a number longer than 4300 digits" in lines[0]
    assert "not converted, 1 issue(s) to convert by hand; nothing written" in lines[-1]
