"""Graphs built from generated feedstock trees: rendering, labels, cache, JSON round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy.errors import SmithyError
from smithy.graph.collect import collect_records
from smithy.graph.discover import ci_support_platforms, discover_feedstocks
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.order import build_order
from smithy.graph.serialize import dumps_graph, loads_graph
from tests.graph.conftest import v0_recipe, v1_recipe

TREE = {
    "base": v1_recipe("base"),
    "left": v1_recipe("left", host=["base"], run=["base"]),
    "right": v0_recipe("right", host=["base"], run=["winonly  # [win]"]),
    "top": v1_recipe("top", host=["left", "right", "python"], test=["pytest-helper"]),
    "multi": v1_recipe(
        "multi",
        outputs={"libmulti": {"host": ["top"]}, "py-multi": {"run": ["libmulti", "python"]}},
    ),
    "pure": v1_recipe("pure", noarch="python", run=["py-multi"]),
    "pytest-helper": v1_recipe("pytest-helper", noarch="generic"),
    "winonly": v1_recipe("winonly"),
}


def graph_of(root: Path, pinning: str, **kwargs) -> FeedstockGraph:
    result = collect_records(discover_feedstocks([root]), pinning=pinning, workers=1, **kwargs)
    return FeedstockGraph(result.records)


def test_edges_carry_sections_packages_and_platforms(feedstocks, pinning) -> None:
    graph = graph_of(feedstocks(TREE), pinning)
    assert graph.edge("base", "left").via["run"]["base"] == (
        "linux-64", "linux-aarch64", "linux-ppc64le", "osx-64", "osx-arm64", "win-64",
    )  # fmt: skip
    assert graph.edge("winonly", "right").via == {"run": {"winonly": ("win-64",)}}
    assert graph.edge("pytest-helper", "top").via.keys() == {"test"}
    assert graph.edge("multi", "pure").via == {"run": {"py-multi": ("noarch",)}}
    assert graph.edge("multi", "multi") is None  # own outputs make no edge
    assert graph.outputs["libmulti"] == ("multi",)
    assert graph.unprovided == {"python": ("multi", "top")}
    assert graph.records["pure"].jobs == {"noarch": 1}
    assert graph.records["top"].jobs["linux-64"] == 2  # two pythons in the pinning


def test_waves_of_rendered_tree(feedstocks, pinning) -> None:
    graph = graph_of(feedstocks(TREE), pinning)
    assert build_order(graph).to_json()["waves"] == [
        ["base", "pytest-helper", "winonly"],
        ["left", "right"],
        ["top"],
        ["multi"],
        ["pure"],
    ]
    assert build_order(graph, platform="linux-64").waves[0] == ("base", "pytest-helper", "winonly")
    linux = build_order(graph, platform="linux-64").wave_of()
    assert linux["right"] == 1 and linux["winonly"] == 0


def test_render_only_requested_platform(feedstocks, pinning) -> None:
    graph = graph_of(feedstocks(TREE), pinning, platforms=["linux-64"])
    assert graph.edge("winonly", "right") is None
    assert graph.records["base"].jobs == {"linux-64": 1}
    with pytest.raises(SmithyError, match="unknown platform"):
        graph_of(feedstocks(TREE), pinning, platforms=["linux-65"])


def test_broken_recipe_is_listed_not_fatal(feedstocks, pinning) -> None:
    root = feedstocks({**TREE, "broken": "context:\n  v: 1\npackage:\n  name: [oops\n"})
    graph = graph_of(root, pinning)
    assert "broken" in graph.errors and "recipe.yaml" in graph.errors["broken"]
    assert len(graph) == len(TREE) + 1


def test_json_is_deterministic_node_link_and_round_trips(feedstocks, pinning) -> None:
    root = feedstocks(TREE)
    text = dumps_graph(graph_of(root, pinning))
    assert text == dumps_graph(graph_of(root, pinning))
    data = json.loads(text)
    assert [n["id"] for n in data["nodes"]] == sorted(TREE)
    links = [(link["source"], link["target"]) for link in data["links"]]
    assert links == sorted(links) and ("base", "left") in links
    assert data["graph"]["unprovided"] == {"python": ["multi", "top"]}
    loaded = loads_graph(text)
    assert dumps_graph(loaded) == text
    import networkx as nx

    assert nx.node_link_graph(data, edges="links").number_of_edges() == len(links)
    with pytest.raises(SmithyError, match="not a smithy graph"):
        loads_graph('{"nodes": []}')


def test_cache_reuses_unchanged_and_reparses_changed(feedstocks, pinning, tmp_path) -> None:
    root = feedstocks(TREE)
    cache = tmp_path / "cache"
    found = discover_feedstocks([root])
    cold = collect_records(found, pinning=pinning, cache_dir=cache, workers=1)
    assert (cold.parsed, cold.cached) == (len(TREE), 0)
    warm = collect_records(found, pinning=pinning, cache_dir=cache, workers=1)
    assert (warm.parsed, warm.cached) == (0, len(TREE))
    assert warm.records == cold.records
    recipe = root / "left-feedstock" / "recipe" / "recipe.yaml"
    recipe.write_text(v1_recipe("left", host=["base", "winonly"]))
    again = collect_records(found, pinning=pinning, cache_dir=cache, workers=1)
    assert (again.parsed, again.cached) == (1, len(TREE) - 1)
    assert FeedstockGraph(again.records).edge("winonly", "left") is not None


def test_parallel_parse_equals_serial(feedstocks, pinning) -> None:
    root = feedstocks(
        {f"pkg{i}": v1_recipe(f"pkg{i}", host=[f"pkg{i - 1}"] if i else []) for i in range(8)}
    )
    found = discover_feedstocks([root])
    serial = collect_records(found, pinning=pinning, workers=1)
    parallel = collect_records(found, pinning=pinning, workers=2)
    assert serial.records == parallel.records


def test_discovery_of_lists_and_duplicates(feedstocks, tmp_path) -> None:
    root = feedstocks({"a": v1_recipe("a"), "b": v1_recipe("b")})
    listing = tmp_path / "list.txt"
    listing.write_text("# feedstocks\nfeedstocks/a-feedstock\n\nfeedstocks/b-feedstock/recipe\n")
    assert [f.name for f in discover_feedstocks([listing])] == ["a", "b"]
    assert [f.name for f in discover_feedstocks([root / "a-feedstock"])] == ["a"]
    (tmp_path / "other" / "a-feedstock" / "recipe").mkdir(parents=True)
    (tmp_path / "other" / "a-feedstock" / "recipe" / "recipe.yaml").write_text(v1_recipe("a"))
    with pytest.raises(SmithyError, match="two feedstocks are named 'a'"):
        discover_feedstocks([root, tmp_path / "other"])
    with pytest.raises(SmithyError, match="no feedstock here"):
        discover_feedstocks([tmp_path / "other" / "a-feedstock" / "recipe" / ".." / ".." / ".."])


def test_ci_support_names_give_platforms(tmp_path) -> None:
    support = tmp_path / ".ci_support"
    support.mkdir()
    for name in ("linux_64_python3.12.yaml", "osx_arm64_.yaml", "win_64_.yaml", "README"):
        (support / name).write_text("")
    assert ci_support_platforms(tmp_path) == ("linux-64", "osx-arm64", "win-64")
