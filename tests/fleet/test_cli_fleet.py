"""``smithy fleet`` on the command line: runs, reports, merge, status and bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from smithy.cli import main
from smithy.errors import SmithyError
from smithy.fleet.drift import changed_keys
from smithy.fleet.inputs import Shard, parse_shard


def test_check_writes_results_html_and_graph(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, html, graph = tmp_path / "r.jsonl", tmp_path / "r.html", tmp_path / "g.json"
    code = main(["fleet", "check", str(fleet), "-j", "2", "-o", str(out), "--html", str(html),
                 "--graph", str(graph)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 1  # the broken feedstock failed
    assert "changed           8" in captured.out and "failed            1" in captured.out
    assert "[9/9]" in captured.err  # plain progress lines off a terminal
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["name"] for r in records] == sorted(r["name"] for r in records)
    broken = next(r for r in records if r["name"] == "broken-feedstock")
    assert broken["error"].startswith("recipe/meta.yaml:3:12: error: invalid YAML")
    assert "<svg" in html.read_text() and "broken-feedstock" in html.read_text()
    assert json.loads(graph.read_text())  # a graph smithy graph commands can read
    assert main(["graph", "order", str(graph)]) == 0


def test_status_and_merge_repeat_the_summary(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shards = []
    for index in (1, 2):
        shards.append(tmp_path / f"s{index}.jsonl")
        main(
            ["fleet", "lint", str(fleet), "-j", "1", "--shard", f"{index}/2", "-o", str(shards[-1])]
        )
    capsys.readouterr()
    merged = tmp_path / "all.jsonl"
    assert main(["fleet", "merge", *map(str, shards), "-o", str(merged)]) == 1
    merged_out = capsys.readouterr().out
    assert main(["fleet", "status", str(merged), "--html", str(tmp_path / "s.html")]) == 1
    assert capsys.readouterr().out in merged_out
    assert len(merged.read_text().splitlines()) == 9
    assert main(["fleet", "merge", str(shards[0]), str(shards[0]), "-o", str(merged)]) == 0


def test_overlapping_shards_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = '{"name":"a-feedstock","operation":"check","status":"ok","seconds":1}\n'
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    one.write_text(line)
    two.write_text(line)
    assert main(["fleet", "merge", str(one), str(two), "-o", str(tmp_path / "m.jsonl")]) == 3
    assert f"{two}:1: error: 'a-feedstock' is also in {one}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json\n", ":2: error: not JSON"),
        ('{"name": "x", "operation": "check", "status": "weird"}\n', ":2: error: unknown status"),
        ("[1]\n", ":2: error: not a fleet result"),
    ],
)
def test_bad_results_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    results = tmp_path / "r.jsonl"
    results.write_text('{"name":"a","operation":"check","status":"ok","seconds":1}\n' + text)
    assert main(["fleet", "status", str(results)]) == 3
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_dask_is_a_clear_message(
    fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    code = main(["fleet", "check", str(fleet), "--dask", "local:2", "-o", str(tmp_path / "r")])
    assert code == 3
    assert "pip install 'smithy-forge[fleet]'" in capsys.readouterr().err


@pytest.mark.parametrize("shard", ["0/3", "4/3", "x", "1/0"])
def test_bad_shard(fleet: Path, capsys: pytest.CaptureFixture[str], shard: str) -> None:
    assert main(["fleet", "check", str(fleet), "--shard", shard]) == 3
    assert "--shard" in capsys.readouterr().err


def test_shards_are_stable_and_cover_everything() -> None:
    names = [f"pkg{i}-feedstock" for i in range(300)]
    shards = [parse_shard(f"{i}/3") for i in (1, 2, 3)]
    owners = [[s.index for s in shards if s.holds(name)] for name in names]
    assert all(len(found) == 1 for found in owners)
    assert Shard(1, 3).holds("zlib-feedstock") is (Shard(1, 3).holds("zlib-feedstock"))
    assert [s.holds("zlib-feedstock") for s in shards] == [False, False, True]  # fixed forever
    with pytest.raises(SmithyError):
        parse_shard("2/1")


def test_changed_keys_compares_job_files() -> None:
    old = b"python:\n- '3.11'\nzlib:\n- '1.2'\nc_compiler:\n- gcc\n"
    new = b"python:\n- '3.11'\nzlib:\n- '1.3'\nlibpng:\n- '1.6'\nc_compiler:\n- gcc\n"
    assert changed_keys(old, new) == ["libpng", "zlib"]


def _many(fleet: Path, count: int) -> int:
    # Enough distinct feedstocks that the run is still going when the signal lands: a check
    # takes tens of milliseconds, and identical recipes would share smithy's caches.
    for index in range(count):
        copy = shutil.copytree(fleet / "pkg00000-feedstock", fleet / f"zz{index:03d}-feedstock")
        for recipe in copy.glob("recipe/*.yaml"):
            recipe.write_text(recipe.read_text() + f"# copy {index}\n")
    return len(list(fleet.glob("*-feedstock")))


def _interrupt(command: list[str], out: Path) -> tuple[subprocess.Popen[bytes], bytes, list[int]]:
    """Start ``command``, wait for its first record, Ctrl-C its process group, let it end.

    Returns the process, its stderr, and the ids of its child processes when the signal went.
    """
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or not out.read_bytes().strip()):
        time.sleep(0.05)
    children = [child.pid for child in psutil.Process(process.pid).children(recursive=True)]
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    _stdout, stderr = process.communicate(timeout=120)
    return process, stderr, children


def _alive(pids: list[int]) -> list[int]:
    found = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                found.append(pid)
        except psutil.NoSuchProcess:
            pass
    return found


def _left_behind(pids: list[int], grace: float = 20.0) -> list[int]:
    """The processes of ``pids`` still running ``grace`` seconds after their parent ended.

    A worker or resource tracker notices its parent's end through a closed pipe, which on a
    loaded machine can take a moment; one still running after the grace period is an orphan.
    """
    deadline = time.monotonic() + grace
    while (alive := _alive(pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.parametrize("executor", [["-j", "1"], ["--dask", "local:2"]], ids=["pool", "dask"])
def test_ctrl_c_keeps_results_so_far(fleet: Path, tmp_path: Path, executor: list[str]) -> None:
    """SIGINT to the whole process group: exit 130, results kept, no worker process left."""
    if executor[0] == "--dask":
        pytest.importorskip("distributed")
    total = _many(fleet, 150)
    out = tmp_path / "r.jsonl"
    command = [sys.executable, "-m", "smithy", "fleet", "check", str(fleet), *executor,
               "-o", str(out)]  # fmt: skip
    process, stderr, children = _interrupt(command, out)
    assert process.returncode == 130, stderr
    assert b"interrupted: results so far are kept" in stderr
    assert b"Traceback" not in stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    names = [record["name"] for record in records]
    assert 1 <= len(names) < total and names == sorted(names)
    assert all(record["status"] in {"changed", "failed"} for record in records)
    assert [r for r in records if r["status"] == "failed"] == [
        r for r in records if r["name"] == "broken-feedstock"
    ]  # running feedstocks finished normally: none recorded as killed
    assert children and not _left_behind(children)
    assert list(fleet.glob("*/.ci_support")) == []  # check never writes


def test_graph_operation_writes_a_graph_smithy_graph_reads(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = tmp_path / "graph.json"
    code = main(["fleet", "graph", str(fleet), "-j", "2", "-o", str(tmp_path / "g.jsonl"),
                 "--graph", str(graph)])  # fmt: skip
    assert code == 1  # the broken recipe
    assert "graph: 8 feedstocks, " in capsys.readouterr().out
    assert main(["graph", "order", str(graph)]) == 0
    data = json.loads(graph.read_text())
    assert len(data["nodes"]) == 8 and data["links"]  # generated recipes depend on each other


def test_operations_share_their_options_in_one_order() -> None:
    import typer

    from smithy.cli.fleet import fleet_app

    group = typer.main.get_command(fleet_app)
    shared = ["inputs", "output", "pinning", "jobs", "shard", "dask", "timeout", "resume", "html"]
    own = {"check": ["graph"], "rerender": [], "lint": ["conda_forge"], "graph": ["graph"],
           "migrate": ["dry_run"]}  # fmt: skip
    for name, extra in own.items():
        command = group.commands[name]  # type: ignore[attr-defined]
        names = [param.name for param in command.params]
        leading = ["migration"] if name == "migrate" else []
        assert names == [*leading, *shared, *extra], name
    bump = [param.name for param in group.commands["bump"].params]  # type: ignore[attr-defined]
    assert bump[: len(shared) + 2] == [*shared, "check", "commit"]
