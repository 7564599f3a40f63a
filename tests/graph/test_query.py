"""why, upstream/downstream, --changed-since and pinning impact."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from smithy.errors import SmithyError
from smithy.graph.changes import changed_feedstocks
from smithy.graph.discover import discover_feedstocks
from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.impact import migration_file_stem, pinning_impact
from smithy.graph.model import View
from smithy.graph.query import downstream_of, neighbourhood, why
from tests.graph.conftest import record, v1_recipe


def chain() -> FeedstockGraph:
    return FeedstockGraph(
        [
            record("libffi"),
            record("python", host=["libffi"], run=["libffi"], used_keys=["libffi"]),
            record("cffi", host=["python", "libffi"], run=["python"], jobs=4),
            record("cryptography", host=["cffi", "python"], run=["cffi"], jobs=4),
            record("pure", noarch=True, host=["libffi"], run=["cffi"]),
            record("tool", build=["libffi@linux-64"], jobs=2),
            record("broken", host=["libffi"], error="recipe.yaml:1: error: bad"),
        ]
    )


def test_why_gives_labelled_shortest_paths() -> None:
    report = why(chain(), "libffi", "cryptography")
    assert [[(e.source, e.target) for e in path] for path in report.paths] == [
        [("libffi", "cffi"), ("cffi", "cryptography")],
        [("libffi", "python"), ("python", "cryptography")],
    ]
    first = report.paths[0][0]
    assert first.labels() == [
        "host: libffi (linux-64, osx-64, win-64)",
    ]
    assert why(chain(), "cryptography", "libffi").paths == ()
    # a run-only view explains through runtime edges only
    run_only = why(chain(), "libffi", "cryptography", view=View.run)
    assert [(e.source, e.target) for e in run_only.paths[0]] == [
        ("libffi", "python"), ("python", "cffi"), ("cffi", "cryptography"),
    ]  # fmt: skip


def test_upstream_and_downstream_with_depth() -> None:
    graph = chain()
    down = neighbourhood(graph, "libffi", direction="downstream")
    assert list(down.distances.items())[:3] == [("broken", 1), ("cffi", 1), ("pure", 1)]
    assert down.distances["cryptography"] == 2
    near = neighbourhood(graph, "libffi", direction="downstream", depth=1)
    assert "cryptography" not in near.distances
    up = neighbourhood(graph, "cryptography", direction="upstream")
    assert up.distances == {"cffi": 1, "python": 1, "libffi": 2}
    assert list(up.distances) == ["cffi", "python", "libffi"]
    with pytest.raises(SmithyError, match="--depth"):
        neighbourhood(graph, "libffi", direction="upstream", depth=0)
    assert downstream_of(graph, ["python"], view=View.all) == {
        "python",
        "cffi",
        "cryptography",
        "pure",
    }


def test_impact_excludes_producer_noarch_and_broken() -> None:
    report = pinning_impact(chain(), "libffi", to="3.5")
    assert report.producers == ("libffi",)
    assert [(a.name, a.wave, a.jobs) for a in report.affected] == [
        ("python", 0, 3), ("tool", 0, 6), ("cffi", 1, 12),
    ]  # fmt: skip
    assert report.total_jobs == 21
    assert report.noarch_skipped == ("pure",)
    assert report.migration_name == "libffi35"
    assert report.order.to_json()["waves"] == [["python", "tool"], ["cffi"]]
    assert migration_file_stem("aws-c-io", "0.14.7") == "aws_c_io0147"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True,
        env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
             "GIT_COMMITTER_EMAIL": "t@e", "PATH": "/usr/bin:/bin", "HOME": str(repo)},
    )  # fmt: skip


def test_changed_since_in_one_repo_and_per_feedstock_repos(feedstocks) -> None:
    root = feedstocks({"a": v1_recipe("a"), "b": v1_recipe("b", host=["a"]), "c": v1_recipe("c")})
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "one")
    found = discover_feedstocks([root])
    assert changed_feedstocks(found, "HEAD") == ()
    (root / "b-feedstock" / "recipe" / "recipe.yaml").write_text(v1_recipe("b", host=["c"]))
    (root / "c-feedstock" / "recipe" / "new.txt").write_text("untracked")
    assert changed_feedstocks(found, "HEAD") == ("b", "c")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "two")
    assert changed_feedstocks(found, "HEAD~1") == ("b", "c")
    assert changed_feedstocks(found, "HEAD") == ()
    with pytest.raises(SmithyError, match="no-such-ref"):
        changed_feedstocks(found, "no-such-ref")


def test_changed_since_needs_a_repository(feedstocks) -> None:
    root = feedstocks({"a": v1_recipe("a")})
    a = root / "a-feedstock"
    _git(a, "init", "-q")
    _git(a, "add", ".")
    _git(a, "commit", "-q", "-m", "one")
    (a / "conda-forge.yml").write_text("{}\n")
    assert changed_feedstocks(discover_feedstocks([root]), "HEAD") == ("a",)
    with pytest.raises(SmithyError, match="revision"):
        changed_feedstocks(discover_feedstocks([root]), "--output=x")
