"""The generated build-locally.py runs: help, job listing, selection, dry runs per OS."""

from __future__ import annotations

import ast
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from smithy.config.schema import FeedstockConfig
from smithy.rerender.feedstock_files import feedstock_files
from smithy.rerender.model import FeedstockFacts

FACTS = FeedstockFacts(
    name="libzed",
    version="1",
    outputs=("libzed",),
    feedstock_name="libzed-feedstock",
    recipe_file="meta.yaml",
)
JOBS = (
    "linux_64_python3.12.____cpython",
    "linux_64_python3.13.____cp313",
    "linux_aarch64_python3.12.____cpython",
    "osx_arm64_python3.12.____cpython",
    "win_64_python3.12.____cpython",
)


@pytest.fixture
def feedstock(tmp_path: Path) -> Path:
    planned = feedstock_files((), FeedstockConfig(), FACTS, tmp_path)["build-locally.py"]
    script = tmp_path / "build-locally.py"
    script.write_bytes(planned.content)
    script.chmod(planned.mode)
    (tmp_path / ".ci_support" / "migrations").mkdir(parents=True)
    for name in JOBS:
        (tmp_path / ".ci_support" / f"{name}.yaml").write_text("target_platform: [x]\n")
    (tmp_path / ".ci_support" / "README").write_text("not a job\n")
    (tmp_path / ".ci_support" / "migrations" / "python314.yaml").write_text("{}\n")
    return tmp_path


def run(feedstock: Path, *args: str, system: str = "Linux") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SMITHY_BUILD_LOCALLY_SYSTEM": system}
    env.pop("MINIFORGE_HOME", None)
    env.pop("OSX_SDK_DIR", None)
    return subprocess.run(
        [sys.executable, str(feedstock / "build-locally.py"), *args],
        cwd=feedstock,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=30,
    )


def test_script_is_python38_compatible_and_executable(feedstock: Path) -> None:
    source = (feedstock / "build-locally.py").read_text()
    ast.parse(source, feature_version=(3, 8))
    assert source.startswith("#!/usr/bin/env python3\n")
    assert (feedstock / "build-locally.py").stat().st_mode & stat.S_IXUSR


def test_help(feedstock: Path) -> None:
    done = run(feedstock, "--help")
    assert done.returncode == 0
    for option in ("--filter", "--list", "--dry-run", "--debug", "--output-id"):
        assert option in done.stdout


def test_list_shows_jobs_sorted_and_filtered(feedstock: Path) -> None:
    assert run(feedstock, "--list").stdout.splitlines() == list(JOBS)
    assert run(feedstock, "--list", "--filter", "linux_64_*").stdout.splitlines() == list(JOBS[:2])


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ("linux_aarch64_python3.12.____cpython", "linux_aarch64_python3.12.____cpython"),
        ("*cp313", "linux_64_python3.13.____cp313"),
        ("linux_aarch64", "linux_aarch64_python3.12.____cpython"),  # a prefix
    ],
)
def test_selects_one_job_and_dry_runs_docker(feedstock: Path, request_: str, expected: str) -> None:
    done = run(feedstock, request_, "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"job: {expected}" in lines
    assert "command: .scripts/run_docker_build.sh" in lines
    assert f"CONFIG={expected}" in lines
    assert "UPLOAD_PACKAGES=False" in lines
    assert "IS_PR_BUILD=True" in lines
    assert f"MINIFORGE_HOME={feedstock / 'miniforge3'}" in lines


def test_filter_with_single_match_needs_no_question(feedstock: Path) -> None:
    done = run(feedstock, "--filter", "win_*", "--dry-run", system="Windows")
    assert done.returncode == 0, done.stderr
    assert "command: cmd /D /Q /C CALL .scripts\\run_win_build.bat" in done.stdout


def test_osx_job_runs_in_docker_on_linux_and_natively_on_a_mac(feedstock: Path) -> None:
    on_linux = run(feedstock, "osx_*", "--dry-run", system="Linux")
    assert "command: .scripts/run_docker_build.sh" in on_linux.stdout
    on_mac = run(feedstock, "osx_*", "--dry-run", system="Darwin")
    assert on_mac.returncode == 2
    assert "OSX_SDK_DIR" in on_mac.stderr


def test_ambiguous_choice_without_a_terminal_is_an_error(feedstock: Path) -> None:
    done = run(feedstock, "linux_64_*", "--dry-run")
    assert done.returncode == 2
    assert "several jobs match" in done.stderr


def test_unknown_job_and_foreign_os(feedstock: Path) -> None:
    missing = run(feedstock, "nope", "--dry-run")
    assert missing.returncode == 2
    assert "no job matches" in missing.stderr
    foreign = run(feedstock, "win_*", "--dry-run", system="Linux")
    assert foreign.returncode == 2
    assert "cannot run on Linux" in foreign.stderr


def test_runs_the_build_script_and_cleans_the_licence_copy(feedstock: Path) -> None:
    scripts = feedstock / ".scripts"
    scripts.mkdir()
    fake = scripts / "run_docker_build.sh"
    fake.write_text(
        "#!/bin/sh\nmkdir -p recipe\necho copied > recipe/recipe-scripts-license.txt\n"
        'echo "built $CONFIG upload=$UPLOAD_PACKAGES"\nexit 7\n'
    )
    fake.chmod(0o755)
    done = run(feedstock, "linux_aarch64_*")
    assert done.returncode == 7
    assert "built linux_aarch64_python3.12.____cpython upload=False" in done.stdout
    assert not (feedstock / "recipe" / "recipe-scripts-license.txt").exists()
