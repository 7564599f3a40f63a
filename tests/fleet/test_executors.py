"""The local pool and a real dask LocalCluster on generated feedstocks: results and faults."""

from __future__ import annotations

import json
import socket
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from smithy.fleet.dask_executor import NO_DASHBOARD, QUIET_LOCAL_CLUSTER, DaskExecutor
from smithy.fleet.executors import PoolExecutor
from smithy.fleet.service import FleetRequest, run_fleet
from tests.fleet import faults
from tests.fleet.conftest import normalised

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A LocalCluster of two worker processes, set up as ``--dask local:2`` sets its own.

    A task is failed when a second worker dies under it (Dask's default is 3): short tests.
    """
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(faults)
    settings = {**QUIET_LOCAL_CLUSTER, "distributed.scheduler.allowed-failures": 1}
    with (
        dask.config.set(settings),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, **NO_DASHBOARD
        ) as local,
    ):
        yield local.scheduler_address


def _request(inputs: Path, output: Path, **kw: object) -> FleetRequest:
    return FleetRequest(operation="check", inputs=(inputs,), output=output, **kw)  # type: ignore[arg-type]


def _records(path: Path) -> dict[str, dict[str, object]]:
    return {r["name"]: r for r in map(json.loads, path.read_text().splitlines())}


def test_pool_and_dask_results_are_identical(fleet: Path, tmp_path: Path, cluster: str) -> None:
    pool = run_fleet(_request(fleet, tmp_path / "pool.jsonl"), executor=PoolExecutor(2))
    dask = run_fleet(_request(fleet, tmp_path / "dask.jsonl"), executor=DaskExecutor(cluster))
    assert pool.summary.by_status == dask.summary.by_status
    assert pool.summary.by_status["changed"] == 8 and pool.summary.by_status["failed"] == 1
    assert normalised(pool.output) == normalised(dask.output)
    names = [r["name"] for r in map(json.loads, pool.output.read_text().splitlines())]
    assert names == sorted(names)


def _check_faults(output: Path) -> None:
    records = _records(output)
    assert records["crash-feedstock"]["status"] == "failed"
    assert "worker" in str(records["crash-feedstock"]["error"])
    assert records["hang-feedstock"]["status"] == "timeout"
    assert "longer than 8 s" in str(records["hang-feedstock"]["error"])
    broken = records["broken-feedstock"]
    assert broken["status"] == "failed"
    assert str(broken["error"]).startswith("recipe/meta.yaml:3:")
    others = [r for name, r in records.items() if name.startswith("pkg")]
    assert len(others) == 8 and all(r["status"] == "changed" for r in others)


def test_pool_records_crash_hang_and_bad_input(faulty_fleet: Path, tmp_path: Path) -> None:
    request = _request(faulty_fleet, tmp_path / "out.jsonl", timeout=8)
    report = run_fleet(request, executor=PoolExecutor(2), fn=faults.faulty_task)
    _check_faults(report.output)
    assert report.summary.failed == 3


def test_dask_records_crash_hang_and_bad_input(
    faulty_fleet: Path, tmp_path: Path, cluster: str
) -> None:
    request = _request(faulty_fleet, tmp_path / "out.jsonl", timeout=8)
    report = run_fleet(request, executor=DaskExecutor(cluster), fn=faults.faulty_task)
    _check_faults(report.output)


def test_shards_merge_to_the_single_run(fleet: Path, tmp_path: Path) -> None:
    from smithy.fleet.inputs import parse_shard
    from smithy.fleet.results import merge_results

    whole = run_fleet(_request(fleet, tmp_path / "all.jsonl", jobs=2))
    parts = []
    for index in (1, 2, 3):
        shard = parse_shard(f"{index}/3")
        part = run_fleet(_request(fleet, tmp_path / f"s{index}.jsonl", jobs=2, shard=shard))
        parts.append(part.output)
        assert 0 < part.planned < 9
    assert sum(len(p.read_text().splitlines()) for p in parts) == 9
    merge_results(parts, tmp_path / "merged.jsonl")
    assert normalised(tmp_path / "merged.jsonl") == normalised(whole.output)


def test_resume_redoes_failed_and_changed_inputs_only(fleet: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = run_fleet(_request(fleet, out, jobs=2))
    assert first.summary.failed == 1
    before = _records(out)
    recipe = fleet / "pkg00003-feedstock" / "recipe" / "meta.yaml"
    recipe.write_text(recipe.read_text().replace("number: 0", "number: 1"))
    second = run_fleet(_request(fleet, out, jobs=2, resume=out))
    assert second.reused == 7  # all but the broken one and the edited one
    assert second.summary.total == 9
    after = _records(out)
    assert after["pkg00003-feedstock"]["input_hash"] != before["pkg00003-feedstock"]["input_hash"]
    assert after["pkg00001-feedstock"] == before["pkg00001-feedstock"]  # copied, not redone


def test_interrupt_keeps_finished_results(fleet: Path, tmp_path: Path) -> None:
    seen: list[str] = []

    def stop_after_two(record: dict[str, object]) -> None:
        seen.append(str(record["name"]))
        if len(seen) == 2:
            raise KeyboardInterrupt  # as Ctrl-C arrives in the coordinator's main thread

    out = tmp_path / "out.jsonl"
    report = run_fleet(_request(fleet, out, jobs=1), on_record=stop_after_two)
    assert report.interrupted
    kept = list(_records(out))
    assert kept == sorted(kept) and set(seen) <= set(kept) and 2 <= len(kept) < 9


def test_rerender_writes_each_feedstock_and_then_has_nothing_to_change(
    fleet: Path, tmp_path: Path
) -> None:
    first = run_fleet(
        FleetRequest(operation="rerender", inputs=(fleet,), output=tmp_path / "r.jsonl", jobs=2)
    )
    assert first.summary.by_status["changed"] == 8
    assert (fleet / "pkg00001-feedstock" / ".ci_support").is_dir()
    again = run_fleet(_request(fleet, tmp_path / "c.jsonl", jobs=2))
    assert again.summary.by_status == {"ok": 8, "changed": 0, "failed": 1, "timeout": 0}


def test_a_local_cluster_serves_no_dashboard_and_never_asks_for_port_8787() -> None:
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("127.0.0.1", 8787))  # another cluster's dashboard, as on a shared machine
        holder.listen()
    except OSError:
        pass  # someone already holds it: the same situation
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            executor = DaskExecutor("local:1")
            port = executor._cluster.scheduler.http_server.port
            modules = set(sys.modules)
            executor.close(wait=True)
    finally:
        holder.close()
    assert [str(w.message) for w in caught if "already in use" in str(w.message)] == []
    assert port != 8787
    assert "distributed.dashboard.scheduler" not in modules
