"""Collapse one platform's rendered outputs into CI job configs, as conda-smithy groups them.

Keys every output uses at the top level and that take several values split jobs (one
``.ci_support`` file each); every other used key stays a list inside the job, where the build
tool loops over it. Values are kept only where some rendered, not skipped, output needs them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from smithy.records import record
from smithy.variants.model import PIN_RUN_AS_BUILD, ZIP_KEYS, VariantConfig

# MPI implementations hide behind one `mpi` key; each is a variant key of its own too.
MPI_KEYS = frozenset({"mpich", "openmpi", "msmpi", "mpi_serial", "impi"})
# Written to every job config when the variant space has them (conda-smithy's list).
ALWAYS_KEPT = frozenset(
    {
        "MACOSX_DEPLOYMENT_TARGET",
        "MACOSX_SDK_VERSION",
        "macos_min_version",
        "macos_machine",
        "channel_sources",
        "channel_targets",
        "docker_image",
        "build_number_decrement",
    }
)

Row = tuple[str, ...]


@record
class Meta:
    """One rendered output of one variant, as the collapse needs it.

    Attributes:
        variant: every key's value the output was rendered with.
        used: keys the output uses (its own text, scripts and requirements).
        top_used: keys used by the recipe's top level together with this output.
        noarch: the output is noarch.
    """

    variant: Mapping[str, str]
    used: frozenset[str]
    top_used: frozenset[str]
    noarch: bool


@record
class Collapsed:
    """The job configs of one platform and the keys that split them.

    Attributes:
        configs: one mapping per job: key -> list of values, plus ``zip_keys`` and
            ``pin_run_as_build`` when used.
        top_level: keys whose values differ between jobs (``target_platform`` included).
    """

    configs: tuple[dict[str, Any], ...]
    top_level: frozenset[str]


def _dimensions(config: VariantConfig) -> list[tuple[str, ...]]:
    """Every key of ``config`` in one dimension: a zip group's present keys, or itself."""
    placed: set[str] = set()
    result: list[tuple[str, ...]] = []
    for group in config.zip_keys:
        present = tuple(key for key in group if key in config.values and key not in placed)
        if present:
            placed.update(present)
            result.append(present)
    result.extend((key,) for key in config.values if key not in placed)
    return result


def _rows(config: VariantConfig, dimension: tuple[str, ...]) -> list[Row]:
    return list(zip(*(config.values[key] for key in dimension), strict=False))


def _allowed_rows(
    config: VariantConfig,
    dimension: tuple[str, ...],
    metas: Sequence[Meta],
    rendered: Callable[[str], bool],
) -> list[Row]:
    """Rows of a dimension that some output's variant agrees with, in input order.

    An output checks a row on the dimension's keys it uses and rendering read; outputs are
    grouped by those positions, each group keeping the set of its variants' values there, so
    a row costs one set lookup per group instead of a comparison per output.
    """
    rows = _rows(config, dimension)
    # Outputs of one kind share their ``used`` set: the positions are worked out once per set.
    positions_of: dict[frozenset[str], tuple[int, ...]] = {}
    seen: dict[tuple[int, ...], set[tuple[Any, ...]]] = {}
    for meta in metas:
        positions = positions_of.get(meta.used)
        if positions is None:
            positions = positions_of[meta.used] = tuple(
                i for i, key in enumerate(dimension) if key in meta.used and rendered(key)
            )
        if not positions:
            return rows  # an output that checks none of the keys agrees with every row
        # A key missing from the variant agrees with no row (``get`` gives None).
        values = tuple(meta.variant.get(dimension[i]) for i in positions)
        seen.setdefault(positions, set()).add(values)
    return [
        row
        for row in rows
        if any(tuple(row[i] for i in at) in values for at, values in seen.items())
    ]


def _loop_candidates(config: VariantConfig) -> frozenset[str]:
    return frozenset(key for key, values in config.values.items() if len(set(values)) > 1)


def _used_keys(metas: Sequence[Meta], extra_used: Iterable[str]) -> set[str]:
    used: set[str] = set(extra_used)
    for meta in metas:
        used |= meta.used
    if "mpi" in used:
        used |= MPI_KEYS
    return used


def _top_level(metas: Sequence[Meta], candidates: frozenset[str]) -> tuple[set[str], set[str]]:
    """(keys that split jobs, keys the top level uses): intersections over the outputs."""
    loops = set.intersection(*(set(meta.top_used & candidates) for meta in metas))
    used = set.intersection(*(set(meta.top_used) for meta in metas))
    return loops, used


def _unique(items: Iterable[Row]) -> list[Row]:
    return list(dict.fromkeys(items))


def _used_values(
    config: VariantConfig,
    metas: Sequence[Meta],
    keep: set[str],
    top_only: set[str],
    rendered: Callable[[str], bool],
) -> tuple[dict[str, list[Row]], list[tuple[str, ...]]]:
    """Each used dimension's distinct rows over its used keys, and the zip groups kept.

    Keys that split jobs but no output uses directly take all input values (conda-smithy
    copies them from the input variants).
    """
    values: dict[str, list[Row]] = {}
    groups: list[tuple[str, ...]] = []
    for dimension in _dimensions(config):
        used = tuple(key for key in dimension if key in keep)
        if not used:
            continue
        if len(dimension) == 1 and dimension[0] in top_only:
            rows = _rows(config, dimension)
        else:
            rows = _allowed_rows(config, dimension, metas, rendered)
        index = [dimension.index(key) for key in used]
        trimmed = _unique(tuple(row[i] for i in index) for row in rows)
        if len(used) > 1:
            groups.append(used)
            values[",".join(used)] = trimmed
        else:
            values[used[0]] = trimmed
    return values, groups


def _sorted_rows(rows: Iterable[Row]) -> list[Row]:
    return sorted(set(rows))


def _split(
    values: Mapping[str, list[Row]], top_level: set[str]
) -> tuple[list[list[dict[str, list[str]]]], dict[str, list[str]]]:
    """Dimensions of job configs (one entry per job-splitting value) and the shared rest."""
    dimensions: list[list[dict[str, list[str]]]] = []
    shared: dict[str, list[str]] = {}
    for name in sorted(values):
        keys = name.split(",")
        rows = _sorted_rows(values[name])
        split_at = [i for i, key in enumerate(keys) if key in top_level]
        if not split_at:
            for i, key in enumerate(keys):
                shared[key] = [row[i] for row in rows]
            continue
        by_split: dict[Row, list[Row]] = {}
        for row in rows:
            by_split.setdefault(tuple(row[i] for i in split_at), []).append(row)
        dimensions.append(
            [
                {key: [row[i] for row in members] for i, key in enumerate(keys)}
                for _, members in sorted(by_split.items())
            ]
        )
    return dimensions, shared


class _RenderedJobs:
    """Which jobs some output was rendered for: the outputs' values of the checked keys.

    A job is kept when some output was rendered with each checked key's one value in the job;
    the outputs' value tuples are kept in a set so a job costs one lookup, not a scan of every
    output. A key missing from an output's variant matches no job (``_MISSING`` is no value).
    """

    def __init__(self, checked: Sequence[str], metas: Sequence[Meta]) -> None:
        self._checked = tuple(checked)
        self._seen = {
            tuple(meta.variant.get(key, _MISSING) for key in self._checked) for meta in metas
        }

    def __contains__(self, job: Mapping[str, Any]) -> bool:
        values = []
        for key in self._checked:
            choices = set(job[key])
            if len(choices) != 1:
                # Several values: no output has them all. None: rare (a job without a value of
                # a key), any output with the key matches.
                return not choices and self._any_with(key, job)
            values.append(next(iter(choices)))
        return tuple(values) in self._seen

    def _any_with(self, empty: str, job: Mapping[str, Any]) -> bool:
        at = self._checked.index(empty)
        wanted = [(i, set(job[key])) for i, key in enumerate(self._checked) if i != at]
        return any(
            seen[at] is not _MISSING
            and all(seen[i] is not _MISSING and not values - {seen[i]} for i, values in wanted)
            for seen in self._seen
        )


_MISSING = object()


def _pins(config: VariantConfig, keys: Iterable[str]) -> dict[str, dict[str, str]]:
    present = set(keys)
    pins = {
        name: dict(sorted(pin.items(), reverse=True))
        for name, pin in sorted(config.pin_run_as_build.items())
        if name.replace("-", "_") in present
    }
    return pins


def collapse(
    config: VariantConfig,
    metas: Sequence[Meta],
    *,
    keep_keys: Iterable[str] = (),
    extra_used: Iterable[str] = (),
    rendered_keys: Iterable[str] | None = None,
) -> Collapsed:
    """Group one platform's rendered outputs into job configs.

    Args:
        config: the platform's variant space (pinning, recipe files, migrations).
        metas: the rendered outputs that are built on this platform (not skipped).
        keep_keys: keys written whenever the variant space has them, used or not.
        extra_used: keys the recipe uses outside what rendering reports (``python_min``).
        rendered_keys: the keys rendering read (None: every key). The outputs were rendered
            with one value of any other key and render alike for all of them, so every value
            of such a key is a job (conda-build's text scan counts `{% set u = "/python/" %}`
            as a use of python, which no render reads).

    Returns:
        The job configs, empty when ``metas`` is empty (the platform is not built).
    """
    if not metas:
        return Collapsed((), frozenset())
    read = None if rendered_keys is None else frozenset(rendered_keys)

    def rendered(key: str) -> bool:
        return read is None or key in read

    used = _used_keys(metas, extra_used)
    top_level, top_used = _top_level(metas, _loop_candidates(config))
    if "target_platform" in used:
        top_level.add("target_platform")
    keep = used | set(ALWAYS_KEPT) | set(keep_keys) | top_used
    if not all(meta.noarch for meta in metas):
        keep.add("target_platform")
    values, groups = _used_values(config, metas, keep | top_level, top_level - used, rendered)
    dimensions, shared = _split(values, top_level)
    present = {key for name in values for key in name.split(",")}
    pins = _pins(config, present)
    zips = sorted(list(group) for group in groups)
    configs: list[dict[str, Any]] = []
    # A job is kept when some output was rendered with each top-level key's single value;
    # keys no render read match any value (see ``rendered_keys``).
    rendered_jobs = _RenderedJobs([key for key in sorted(top_level) if rendered(key)], metas)
    for choice in itertools.product(*dimensions):
        job: dict[str, Any] = dict(shared)
        for part in choice:
            job.update(part)
        if zips:
            job[ZIP_KEYS] = zips
        if pins:
            job[PIN_RUN_AS_BUILD] = pins
        if job in rendered_jobs:
            configs.append(job)
    return Collapsed(tuple(configs), frozenset(top_level))
