"""Waves, cycles and views over feedstock graphs built from records (no rendering)."""

from __future__ import annotations

import pytest

from smithy.errors import GraphCycleError, SmithyError
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.model import View
from smithy.graph.order import build_order, find_cycles
from tests.graph.conftest import record


def diamond() -> FeedstockGraph:
    return FeedstockGraph(
        [
            record("top", host=["left", "right"]),
            record("left", host=["base"], run=["base"]),
            record("right", host=["base"]),
            record("base"),
            record("lonely"),
        ]
    )


def test_diamond_waves_parents_first() -> None:
    order = build_order(diamond())
    assert order.to_json() == {
        "waves": [["base", "lonely"], ["left", "right"], ["top"]],
        "cycles": [],
    }
    assert order.names.index("base") < order.names.index("left") < order.names.index("top")


def test_cycle_is_one_group_with_closing_edges() -> None:
    graph = FeedstockGraph(
        [
            record("a"),
            record("b", host=["a", "c"]),
            record("c", run=["b"]),
            record("d", host=["c"]),
        ]
    )
    order = build_order(graph)
    assert order.to_json() == {"waves": [["a"], ["b", "c"], ["d"]], "cycles": [["b", "c"]]}
    (cycle,) = order.cycles
    assert cycle.closing_edges == (("c", "b"),)
    with pytest.raises(GraphCycleError) as info:
        order.require_acyclic()
    assert info.value.cycle == ("b", "c")


def test_run_view_drops_host_cycle_and_abi_view_drops_build_tools() -> None:
    graph = FeedstockGraph(
        [
            record("cmake"),
            record("lib", build=["cmake"], run=["app"]),
            record("app", host=["lib"]),
        ]
    )
    assert [c.members for c in find_cycles(graph)] == [("app", "lib")]
    assert find_cycles(graph, view=View.run) == ()
    abi = build_order(graph, view=View.abi)
    assert abi.cycles[0].members == ("app", "lib")
    assert abi.waves == (("app", "cmake", "lib"),)
    assert build_order(graph).waves == (("cmake",), ("app", "lib"))


def test_platform_view_keeps_only_edges_on_that_platform() -> None:
    graph = FeedstockGraph([record("winlib"), record("app", host=["winlib@win-64"])])
    assert build_order(graph, platform="win-64").waves == (("winlib",), ("app",))
    assert build_order(graph, platform="linux-64").waves == (("app", "winlib"),)


def test_noarch_edges_hold_on_every_platform() -> None:
    graph = FeedstockGraph([record("lib"), record("pure", noarch=True, run=["lib"])])
    for platform in ("linux-64", "osx-arm64", None):
        assert build_order(graph, platform=platform).waves == (("lib",), ("pure",))


def test_targets_keep_what_they_need() -> None:
    order = build_order(diamond(), targets=["left"])
    assert order.waves == (("base",), ("left",))
    # a package name works as a target too
    graph = FeedstockGraph([record("m", outputs=["libm", "py-m"]), record("x", host=["libm"])])
    assert build_order(graph, targets=["py-m"]).waves == (("m",),)
    with pytest.raises(SmithyError, match="neither a feedstock"):
        build_order(graph, targets=["nope"])


def test_only_keeps_order_through_omitted_feedstocks() -> None:
    graph = FeedstockGraph([record("a"), record("b", host=["a"]), record("c", host=["b"])])
    order = build_order(graph, only={"a", "c"})
    assert order.waves == (("a",), ("c",))


def test_self_loop_is_a_cycle_of_one() -> None:
    graph = FeedstockGraph(
        [record("x", outputs=["x-lib"]), record("y", outputs=["y"], host=["x-lib"])]
    )
    assert find_cycles(graph) == ()
    # two feedstocks making one package both become parents
    graph = FeedstockGraph(
        [
            record("zlib"),
            record("zlib-ng", outputs=["zlib-ng", "zlib"]),
            record("app", host=["zlib"]),
        ]
    )
    assert graph.conflicts == {"zlib": ("zlib", "zlib-ng")}
    assert build_order(graph).waves == (("zlib", "zlib-ng"), ("app",))


def test_deterministic_regardless_of_record_order() -> None:
    records = [record(f"n{i}", host=[f"n{i - 1}"] if i else []) for i in range(30)]
    forward = build_order(FeedstockGraph(records)).to_json()
    backward = build_order(FeedstockGraph(list(reversed(records)))).to_json()
    assert forward == backward
    assert len(forward["waves"]) == 30
