"""Solvability per CI job against local channels, with the job's virtual packages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy import api, cli
from smithy.bot.virtual import glibc_of, osx_of, virtual_packages
from smithy.matrix.model import CiJob
from tests.bot.channel import write_channel
from tests.bot.ecosystem import git
from tests.conftest import write_tree

PINNING = """\
docker_image:  # [linux]
  - quay.io/condaforge/linux-anvil-x86_64:cos7  # [linux]
libffi:
  - '3.4'
"""
CHANNEL = [
    ("libffi", "3.4.2", []),
    ("libfoo", "1.0", []),
    ("libbar", "2.0", ["__glibc >=2.34"]),
]


def recipe(name: str, host: str, run: str = "") -> str:
    text = f'context:\n  version: "1.0"\npackage:\n  name: {name}\n  version: "1.0"\n'
    text += f"requirements:\n  host:\n    - {host}\n"
    return text + (f"  run:\n    - {run}\n" if run else "")


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path, api.Channels]:
    pinning = write_tree(tmp_path / "pin", {"conda_build_config.yaml": PINNING})
    feedstocks = write_tree(
        tmp_path / "fs",
        {
            "good-feedstock/recipe/recipe.yaml": recipe("good", "libffi", run="libffi"),
            "missing-feedstock/recipe/recipe.yaml": recipe("missing", "libfoo >=9"),
            "glibc-feedstock/recipe/recipe.yaml": recipe("glibc", "libbar"),
        },
    )
    channel = write_channel(tmp_path / "channel", CHANNEL)
    return pinning, feedstocks, api.Channels((str(channel),), tmp_path / "cache")


def solve(world, name: str) -> api.JobResult:
    pinning, feedstocks, channels = world
    (job,) = api.solvable(
        feedstocks / f"{name}-feedstock", channels, pinning=str(pinning), jobs=["linux_64_"]
    )
    return job


def test_solvable_job_solves_host_and_run(world) -> None:
    job = solve(world, "good")
    assert job.solvable
    assert job.virtual == {"__unix": "0", "__linux": "4.18", "__glibc": "2.17"}
    assert [(env.env, env.specs) for env in job.envs] == [
        ("host", ("libffi 3.4.*",)),
        ("run", ("libffi",)),
    ]


def test_missing_version_reports_the_solver_reason(world) -> None:
    job = solve(world, "missing")
    assert not job.solvable
    (host,) = job.envs
    assert "No candidates were found for libfoo >=9" in host.reason


def test_newer_glibc_than_the_image_is_not_solvable(world) -> None:
    job = solve(world, "glibc")
    assert not job.solvable
    assert "__glibc >=2.34, for which no candidates were found" in job.envs[0].reason


def test_cli_exit_codes_text_and_json(world, capsys) -> None:
    pinning, feedstocks, channels = world
    base = ["solvable", "--pinning", str(pinning), "-c", channels.sources[0], "--job", "linux_64_"]
    cache = ["--solver-cache", str(channels.cache_dir)]
    assert cli.main([*base, *cache, str(feedstocks / "good-feedstock")]) == 0
    assert "linux_64_ (linux-64; __unix 0, __linux 4.18, __glibc 2.17): solvable" in (
        capsys.readouterr().out
    )
    assert cli.main([*base, *cache, str(feedstocks / "glibc-feedstock"), "-f", "json"]) == 1
    (data,) = json.loads(capsys.readouterr().out)
    assert data["solvable"] is False and "__glibc >=2.34" in data["environments"][0]["reason"]
    assert cli.main([*base, *cache, str(feedstocks / "good-feedstock"), "--job", "nope"]) == 3
    assert "no CI job 'nope'" in capsys.readouterr().err
    assert cli.main(["solvable", str(feedstocks / "good-feedstock")]) == 2
    capsys.readouterr()
    bad = ["solvable", str(feedstocks / "good-feedstock"), "--pinning", str(pinning)]
    assert cli.main([*bad, "-c", "http://", *cache]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: bad channel 'http://': could not parse url")
    assert cli.main([*bad, "-c", "./no/such/folder", *cache]) == 3
    assert "channel folder './no/such/folder' does not exist" in capsys.readouterr().err


def test_virtual_packages_from_image_stdlib_deployment_target_and_cuda() -> None:
    assert glibc_of({"docker_image": ["quay.io/condaforge/linux-anvil-x86_64:alma9"]}) == "2.34"
    assert glibc_of({"docker_image": ["quay.io/condaforge/linux-anvil-cos7-x86_64"]}) == "2.17"
    assert glibc_of({"c_stdlib_version": ["2.28"]}) == "2.28"
    assert osx_of({"MACOSX_DEPLOYMENT_TARGET": ["11.0"]}, "osx-64") == "11.0"
    assert osx_of({}, "osx-arm64") == "11.0"
    job = CiJob(
        "x", "x", "linux-64", "linux-64", "azure", True, {"cuda_compiler_version": ["12.6"]}
    )
    assert virtual_packages(job, "linux-64")["__cuda"] == "12.6"
    no_cuda = CiJob(
        "x", "x", "linux-64", "linux-64", "azure", True, {"cuda_compiler_version": ["None"]}
    )
    assert "__cuda" not in virtual_packages(no_cuda, "linux-64")


def test_apply_require_solvable_refuses_then_applies(ecosystem, tmp_path, capsys) -> None:
    pinning, folder = ecosystem
    feedstock = folder / "leaf02-feedstock"
    subdirs = ("linux-64", "osx-64", "win-64")
    old = write_channel(tmp_path / "old", [("libffi", "3.4.2", []), ("zlib", "1.3", [])], subdirs)
    argv = ["migration", "apply", "libffi35", str(feedstock), "--pinning", str(pinning)]
    argv += ["--no-cache", "--require-solvable", "--solver-cache", str(tmp_path / "c")]
    assert cli.main([*argv, "-c", str(old)]) == 1
    out = capsys.readouterr().out
    assert "not-solvable: jobs that do not solve: linux_64_, osx_64_, win_64_" in out
    assert git(feedstock, "branch", "--list", "rebuild-libffi35-0-1") == ""
    new = write_channel(tmp_path / "new", [("libffi", "3.5.0", []), ("zlib", "1.3", [])], subdirs)
    assert cli.main([*argv, "-c", str(new)]) == 0
    assert "applied: 3 job(s) change" in capsys.readouterr().out
    assert git(feedstock, "branch", "--list", "rebuild-libffi35-0-1") != ""


def test_http_channel_cached_then_solved_offline(world, tmp_path) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    pinning, feedstocks, channels = world
    handler = functools.partial(SimpleHTTPRequestHandler, directory=channels.sources[0])
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    good = feedstocks / "good-feedstock"
    cache = tmp_path / "http-cache"
    try:
        online = api.Channels((url,), cache)
        (job,) = api.solvable(good, online, pinning=str(pinning), jobs=["linux_64_"])
        assert job.solvable
    finally:
        server.shutdown()
        server.server_close()
    offline = api.Channels((url,), cache, offline=True)
    (job,) = api.solvable(good, offline, pinning=str(pinning), jobs=["linux_64_"])
    assert job.solvable
    empty = api.Channels((url,), tmp_path / "empty-cache", offline=True)
    (job,) = api.solvable(good, empty, pinning=str(pinning), jobs=["linux_64_"])
    assert not job.solvable and job.envs[0].reason


def test_next_and_status_mark_ready_feedstocks_not_solvable(ecosystem, tmp_path, capsys) -> None:
    pinning, folder = ecosystem
    subdirs = ("linux-64", "osx-64", "win-64")
    channel = write_channel(tmp_path / "no-zlib", [("libffi", "3.5.0", [])], subdirs)
    inputs = [str(folder / f"{name}-feedstock") for name in ("a1", "a2", "leaf06")]
    argv = ["migration", "next", "libffi35", *inputs, "--pinning", str(pinning), "--no-cache"]
    argv += ["-c", str(channel), "--solver-cache", str(tmp_path / "c"), "-f", "json"]
    assert cli.main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["eligible"] == ["a1"]
    assert list(data["not_solvable"]) == ["leaf06"]
    assert "No candidates were found for zlib 1.3.*" in data["not_solvable"]["leaf06"]
    argv[1] = "status"
    argv[-1] = "table"
    assert cli.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    (row,) = [line for line in lines if line.startswith("leaf06 ")]
    assert row.split()[1:4] == ["not-solvable", "linux_64_", "host:"]
