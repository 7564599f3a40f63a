"""The graph counts jobs and used keys with the rerender's rules (one code path)."""

from __future__ import annotations

from collections import Counter

from smithy import api
from smithy.graph.parse import parse_feedstock
from tests.graph.conftest import v0_recipe

PLATFORMS = ("linux-64", "osx-64", "win-64")


def _ci_jobs(root, pinning: str) -> dict[str, int]:
    _source, matrix = api.variants(root, pinning=pinning)
    files = {(job.ci_support_path, job.platform) for job in matrix.jobs}
    return dict(Counter(platform for _path, platform in files))


def test_a_run_only_python_does_not_multiply_jobs(feedstocks, pinning) -> None:
    tree = feedstocks({"tool": v0_recipe("tool", build=["{{ compiler('c') }}"], run=["python"])})
    root = tree / "tool-feedstock"
    record = parse_feedstock("tool", root, platforms=PLATFORMS, pinning=pinning, environ={})
    assert record.error is None
    assert dict(record.jobs) == _ci_jobs(root, pinning) == dict.fromkeys(PLATFORMS, 1)
    assert "python" not in record.used_keys


def test_a_host_python_splits_jobs_as_the_rerender_does(feedstocks, pinning) -> None:
    tree = feedstocks({"ext": v0_recipe("ext", host=["python"], run=["python"])})
    root = tree / "ext-feedstock"
    record = parse_feedstock("ext", root, platforms=PLATFORMS, pinning=pinning, environ={})
    assert dict(record.jobs) == _ci_jobs(root, pinning) == dict.fromkeys(PLATFORMS, 2)
    assert record.used_keys["python"] == PLATFORMS
