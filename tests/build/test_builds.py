"""Build plans and real offline builds with py-rattler-build into a temporary channel."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from smithy.build.plan import StepKind, plan_builds
from smithy.build.runner import INSTALL_HINT, StepStatus, dry_run, load_backend, run_builds
from smithy.errors import GraphCycleError, SmithyError
from smithy.graph.collect import collect_records
from smithy.graph.discover import discover_feedstocks
from smithy.graph.feedstock_graph import FeedstockGraph
from tests.build.conftest import A
from tests.graph.conftest import PINNING, record

PLATFORM = "linux-64"


def graph_of(root: Path) -> FeedstockGraph:
    found = discover_feedstocks([root])
    records = collect_records(found, platforms=[PLATFORM], pinning=str(PINNING), workers=1).records
    return FeedstockGraph(records)


def test_plan_orders_parents_first_and_blocks_what_cannot_build(abc: Path, tmp_path: Path) -> None:
    plan = plan_builds(graph_of(abc), channel=tmp_path / "chan", platform=PLATFORM)
    assert [(s.name, s.wave, s.kind) for s in plan.steps] == [
        ("a", 0, StepKind.build), ("b", 1, StepKind.build), ("c", 2, StepKind.build),
    ]  # fmt: skip
    assert plan.steps[2].outputs == ("pkg-c",)
    assert [r.status for r in dry_run(plan).results] == [StepStatus.not_run] * 3
    graph = FeedstockGraph(
        [
            record("old"),
            replace(record("v0", host=["old"]), format="meta.yaml"),
            record("bad", error="recipe.yaml:3: error: broken"),
            record("winonly", platforms=["win-64"]),
        ]
    )
    steps = {s.name: s for s in plan_builds(graph, channel=tmp_path, platform=PLATFORM).steps}
    assert steps["winonly"].kind is StepKind.skip
    assert steps["v0"].kind is StepKind.blocked and "conda-build" in steps["v0"].reason
    assert steps["bad"].kind is StepKind.blocked and "broken" in steps["bad"].reason
    assert steps["old"].kind is StepKind.build
    # --dry-run plans only what would build: the meta.yaml feedstock is not "planned"
    plan = plan_builds(graph, channel=tmp_path, platform=PLATFORM)
    shown = {r.step.name: r for r in dry_run(plan).results}
    assert shown["old"].status is StepStatus.not_run
    assert shown["v0"].status is StepStatus.skipped and "conda-build" in shown["v0"].message
    cyclic = FeedstockGraph([record("x", host=["y"]), record("y", run=["x"])])
    with pytest.raises(GraphCycleError, match="x -> y"):
        plan_builds(cyclic, channel=tmp_path, platform=PLATFORM)


def test_missing_backend_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "rattler_build", None)
    with pytest.raises(SmithyError) as info:
        load_backend()
    assert info.value.message == INSTALL_HINT


@pytest.fixture
def backend():
    return pytest.importorskip("rattler_build")


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a system C compiler")
def test_real_offline_builds_in_order(abc: Path, tmp_path: Path, backend) -> None:
    channel = tmp_path / "chan"
    plan = plan_builds(graph_of(abc), channel=channel, platform=PLATFORM)
    events = []
    run = run_builds(plan, on_event=events.append, backend=backend)
    assert run.ok, [(r.step.name, r.message, r.log_tail) for r in run.results]
    assert [r.status for r in run.results] == [StepStatus.built] * 3
    assert [Path(p).name.split("-1.0")[0] for r in run.results for p in r.packages] == [
        "pkg-a", "pkg-b", "pkg-c",
    ]  # fmt: skip
    assert [(e.step.name, e.result is None) for e in events][:2] == [("a", True), ("a", False)]
    noarch = json.loads((channel / "noarch" / "repodata.json").read_text())
    assert sorted(p["name"] for p in noarch["packages.conda"].values()) == ["pkg-a", "pkg-b"]
    linux = json.loads((channel / PLATFORM / "repodata.json").read_text())
    (pkg_c,) = linux["packages.conda"].values()
    assert pkg_c["depends"] == []  # pkg-b was a build-only requirement


def test_failure_stops_the_run(abc: Path, tmp_path: Path, backend) -> None:
    recipe = abc / "a-feedstock" / "recipe" / "recipe.yaml"
    recipe.write_text(
        A.replace("    - mkdir -p", "    - echo going to fail\n    - exit 3\n    - mkdir -p")
    )
    plan = plan_builds(graph_of(abc), channel=tmp_path / "chan", platform=PLATFORM)
    run = run_builds(plan, backend=backend)
    assert not run.ok
    assert [r.status for r in run.results] == [
        StepStatus.failed, StepStatus.not_run, StepStatus.not_run,
    ]  # fmt: skip
    assert run.results[0].message
    assert any("going to fail" in line for line in run.results[0].log_tail)
