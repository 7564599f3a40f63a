"""The collapse's indexes (rows allowed per dimension, jobs some output was rendered for) give
what a scan of every output gives; the scans are kept here as the reference."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from smithy.matrix.collapse import Meta, _allowed_rows, _RenderedJobs
from smithy.variants.model import VariantConfig

KEYS = ("a", "b", "c")
VALUES = ("1", "2")


def scan_allowed_rows(
    config: VariantConfig,
    dimension: tuple[str, ...],
    metas: Sequence[Meta],
    rendered: Callable[[str], bool],
) -> list[tuple[str, ...]]:
    """A row is kept when some output agrees on each key it uses and rendering read."""
    rows = list(zip(*(config.values[key] for key in dimension), strict=False))
    keep = []
    for row in rows:
        for meta in metas:
            checked = [(k, v) for k, v in zip(dimension, row, strict=True) if k in meta.used]
            if all(meta.variant.get(k) == v for k, v in checked if rendered(k)):
                keep.append(row)
                break
    return keep


def scan_job_kept(checked: Sequence[str], metas: Sequence[Meta], job: Mapping[str, Any]) -> bool:
    """A job is kept when some output has each checked key with the job's one value."""
    required = [(key, set(job[key])) for key in checked]
    return any(
        all(key in meta.variant and not values - {meta.variant[key]} for key, values in required)
        for meta in metas
    )


def _meta(variant: dict[str, str], used: frozenset[str]) -> Meta:
    return Meta(variant, used, used, False)


variants = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES))
key_sets = st.frozensets(st.sampled_from(KEYS))
metas_strategy = st.lists(st.builds(_meta, variants, key_sets), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    metas=metas_strategy,
    dimension=st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True).map(tuple),
    rows=st.lists(st.tuples(*[st.sampled_from(VALUES)] * 3), min_size=1, max_size=5),
    read=key_sets,
)
# Every output uses a key of the dimension: rows are filtered, a missing key agrees with none.
@example(
    metas=[_meta({"a": "1"}, frozenset("ab")), _meta({"a": "2", "b": "2"}, frozenset("a"))],
    dimension=("a", "b"),
    rows=[("1", "1", "1"), ("1", "2", "1"), ("2", "1", "1")],
    read=frozenset("ab"),
)
# One output uses none of the dimension's keys: every row is kept.
@example(
    metas=[_meta({"a": "1"}, frozenset("a")), _meta({"a": "1"}, frozenset("c"))],
    dimension=("a",),
    rows=[("1", "1", "1"), ("2", "1", "1")],
    read=frozenset("a"),
)
def test_allowed_rows_match_the_scan(
    metas: list[Meta],
    dimension: tuple[str, ...],
    rows: list[tuple[str, str, str]],
    read: frozenset[str],
) -> None:
    config = VariantConfig(
        values={key: tuple(row[i] for row in rows) for i, key in enumerate(dimension)}
    )

    def rendered(key: str) -> bool:
        return key in read

    expected = scan_allowed_rows(config, dimension, metas, rendered)
    assert _allowed_rows(config, dimension, metas, rendered) == expected


jobs = st.fixed_dictionaries(
    {key: st.lists(st.sampled_from(VALUES), max_size=2, unique=True) for key in KEYS}
)


@settings(max_examples=300, deadline=None)
@given(
    metas=metas_strategy,
    checked=st.lists(st.sampled_from(KEYS), unique=True).map(sorted),
    job=jobs,
)
# The job's values are an output's: kept; another output lacks a key: not that one.
@example(
    metas=[_meta({"a": "1", "b": "2"}, frozenset()), _meta({"a": "2"}, frozenset())],
    checked=["a", "b"],
    job={"a": ["1"], "b": ["2"], "c": []},
)
@example(
    metas=[_meta({"a": "2"}, frozenset()), _meta({"a": "1", "b": "1"}, frozenset())],
    checked=["a", "b"],
    job={"a": ["2"], "b": ["1"], "c": []},
)
# A key without a value in the job: any output having that key.
@example(
    metas=[_meta({"a": "1"}, frozenset()), _meta({"a": "2", "b": "1"}, frozenset())],
    checked=["a", "b"],
    job={"a": ["1"], "b": [], "c": []},
)
@example(
    metas=[_meta({"a": "1"}, frozenset()), _meta({"a": "1", "b": "2"}, frozenset())],
    checked=["a", "b"],
    job={"a": ["1"], "b": [], "c": []},
)
# Two values of one key: no output has both.
@example(
    metas=[_meta({"a": "1"}, frozenset())],
    checked=["a"],
    job={"a": ["1", "2"], "b": [], "c": []},
)
def test_rendered_jobs_match_the_scan(
    metas: list[Meta], checked: list[str], job: dict[str, list[str]]
) -> None:
    assert (job in _RenderedJobs(checked, metas)) == scan_job_kept(checked, metas, job)
