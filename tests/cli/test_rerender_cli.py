"""``smithy rerender`` end to end on a tiny feedstock: write, check, dry run, safety, seeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smithy.cli import main
from tests.conftest import DATA

FIXTURE = DATA / "rerender_matrix" / "feedstock"
PINNING = DATA / "rerender_matrix" / "pinning"
REPO = Path(__file__).resolve().parents[2]
EXPECTED_JOBS = [
    "linux_64_numpy2.0python3.11.____cpython",
    "linux_64_numpy2.0python3.12.____cpython",
    "linux_64_numpy2.1python3.13.____cp313",
    "linux_aarch64_numpy2.0python3.11.____cpython",
    "linux_aarch64_numpy2.0python3.12.____cpython",
    "linux_aarch64_numpy2.1python3.13.____cp313",
    "osx_64_numpy2.0python3.11.____cpython",
    "osx_64_numpy2.0python3.12.____cpython",
    "osx_64_numpy2.1python3.13.____cp313",
    "osx_arm64_numpy2.0python3.11.____cpython",
    "osx_arm64_numpy2.0python3.12.____cpython",
    "osx_arm64_numpy2.1python3.13.____cp313",
    "win_64_numpy2.0python3.11.____cpython",
    "win_64_numpy2.0python3.12.____cpython",
    "win_64_numpy2.1python3.13.____cp313",
]


@pytest.fixture
def fs(tmp_path: Path) -> Path:
    """A fresh copy of the fixture feedstock."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "tinyext-feedstock"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run(*args: str) -> int:
    return main(["rerender", *args, "--pinning", str(PINNING)])


def test_rerender_writes_job_files_then_is_up_to_date(
    fs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(fs)) == 0
    err = capsys.readouterr().err
    assert "15 job(s), changed" in err
    written = sorted(p.stem for p in (fs / ".ci_support").glob("*.yaml"))
    assert written == EXPECTED_JOBS
    assert (fs / ".github" / "workflows" / "conda-build.yml").is_file()
    assert (fs / "azure-pipelines.yml").is_file()
    first = snapshot(fs)

    assert run(str(fs)) == 0
    assert "already up to date" in capsys.readouterr().err
    assert snapshot(fs) == first

    assert run(str(fs), "--check") == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "up to date" in captured.err


def test_check_reports_an_edited_file_with_a_unified_diff(
    fs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(fs)) == 0
    target = fs / ".ci_support" / "win_64_numpy2.0python3.11.____cpython.yaml"
    original = target.read_text()
    target.write_text(original.replace("- vs2022\n", "- vs2019\n"))
    capsys.readouterr()
    edited = snapshot(fs)

    assert run(str(fs), "--check") == 1
    captured = capsys.readouterr()
    out = captured.out
    assert "out of date" in captured.err
    rel = ".ci_support/win_64_numpy2.0python3.11.____cpython.yaml"
    assert f"--- a/{rel}\n+++ b/{rel}\n" in out
    assert "\n-- vs2019\n+- vs2022\n" in out
    assert snapshot(fs) == edited  # --check writes nothing

    assert run(str(fs)) == 0
    assert target.read_text() == original


def test_dry_run_writes_nothing(fs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(fs)
    assert run(str(fs), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would create    .ci_support/linux_64_numpy2.0python3.11.____cpython.yaml" in out
    assert out.splitlines()[-1].endswith("would create")
    assert snapshot(fs) == before


def test_user_files_are_never_removed(fs: Path) -> None:
    custom = fs / ".github" / "workflows" / "other.yml"
    custom.parent.mkdir(parents=True)
    custom.write_text("name: mine\n")
    notes = fs / ".ci_support" / "notes.txt"
    notes.write_text("keep me\n")
    assert run(str(fs)) == 0
    # A second rerender with a changed matrix (aarch64 dropped) removes only generated files.
    (fs / "conda-forge.yml").write_text("build_platform:\n  osx_arm64: osx_64\n")
    assert run(str(fs)) == 0
    assert custom.read_text() == "name: mine\n"
    assert notes.read_text() == "keep me\n"
    assert (fs / "recipe" / "build.sh").read_text() == "#!/bin/bash\necho build\n"
    assert (fs / "recipe" / "meta.yaml").is_file()
    names = sorted(p.stem for p in (fs / ".ci_support").glob("*.yaml"))
    assert names == [name for name in EXPECTED_JOBS if "aarch64" not in name]


def test_broken_pinning_is_an_input_error_and_changes_nothing(
    fs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(fs)) == 0
    (fs / ".ci_support" / "linux_64_numpy2.0python3.11.____cpython.yaml").write_text("stale\n")
    before = snapshot(fs)
    broken = tmp_path / "broken"
    shutil.copytree(PINNING, broken)
    cbc = broken / "conda_build_config.yaml"
    cbc.write_text(cbc.read_text() + "zlib: [unclosed\n")
    capsys.readouterr()
    assert main(["rerender", str(fs), "--pinning", str(broken)]) == 3
    err = capsys.readouterr().err
    assert "conda_build_config.yaml:" in err
    assert snapshot(fs) == before


def test_missing_feedstock_is_an_input_error(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope")) == 3


def test_check_and_dry_run_together_is_a_usage_error(fs: Path) -> None:
    assert run(str(fs), "--check", "--dry-run") == 2


def test_variants_json_lists_the_jobs(fs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["variants", str(fs), "--pinning", str(PINNING), "--json"]) == 0
    out = capsys.readouterr().out
    for name in EXPECTED_JOBS:
        assert name in out


def test_output_is_independent_of_the_hash_seed(tmp_path: Path) -> None:
    trees = []
    for seed in ("0", "12345"):
        root = Path(shutil.copytree(FIXTURE, tmp_path / seed / "tinyext-feedstock"))
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        env.pop("SMITHY_PINNING", None)
        result = subprocess.run(
            [sys.executable, "-m", "smithy", "rerender", str(root), "--pinning", str(PINNING)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        trees.append(snapshot(root))
    assert len(trees[0]) > 20
    assert trees[0].keys() == trees[1].keys()
    for path, content in trees[0].items():
        assert trees[1][path] == content, path


# conda-forge.yml: unknown keys warn, invalid values refuse, nothing silently defaulted -------


def test_unknown_config_keys_warn_with_line_and_suggestion(
    fs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = fs / "conda-forge.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "providr:\n  linux_64: azure\nbot:\n  automrge: true\n  inspection: hint-al\n",
        encoding="utf-8",
    )
    assert run(str(fs), "--dry-run") == 0
    err = capsys.readouterr().err.splitlines()
    lines = config.read_text(encoding="utf-8").splitlines()
    providr = lines.index("providr:") + 1
    assert f"{config}:{providr}:1: warning: unknown key 'providr' at the top level" in err[0]
    assert "did you mean 'provider'?" in err[0]
    assert any("unknown key 'automrge' in bot (did you mean 'automerge'?)" in e for e in err)
    assert any("bot.inspection has invalid value 'hint-al'" in e for e in err)
    assert not any("default is used" in e for e in err)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("os_version:\n  linux_64: cos8\n", "os_version.linux_64 has invalid value 'cos8'"),
        ("conda_build_tool: conda-bild\n", "did you mean 'conda-build'?"),
        ("provider: 5\n", "provider should be a mapping keyed by platform"),
    ],
)
def test_invalid_config_values_are_refused_with_exit_3(
    fs: Path, capsys: pytest.CaptureFixture[str], entry: str, message: str
) -> None:
    config = fs / "conda-forge.yml"
    config.write_text("build_platform:\n  osx_arm64: osx_64\n" + entry, encoding="utf-8")
    before = snapshot(fs)
    for command in (["rerender"], ["variants"], ["render", "-p", "linux-64"]):
        code = main([*command, str(fs), "--pinning", str(PINNING)])
        err = capsys.readouterr().err
        assert code == 3, command
        where, _, rest = err.partition(": error: ")
        assert where.split(":")[0].endswith("conda-forge.yml"), err
        assert where.split(":")[1] in ("3", "4"), err
        assert message in rest and "default" not in rest
        assert len(err.splitlines()) == 1
    assert snapshot(fs) == before


def test_deprecated_config_value_still_works_with_a_warning(
    fs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = fs / "conda-forge.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "build_with_mambabuild: false\n", encoding="utf-8"
    )
    assert run(str(fs), "--dry-run") == 0
    err = capsys.readouterr().err
    assert "warning: build_with_mambabuild is deprecated" in err
