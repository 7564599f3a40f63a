"""Compare the ``.ci_support`` files the two recipes give: file names, keys, and the builds.

conda-smithy makes one CI job (file) per combination of the keys every output loops over and
keeps other keys as lists inside a job. The two engines may split the same builds into jobs
differently; such a platform is reported in one row (how many jobs on each side, and that the
builds are the same) instead of one row per file name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from smithy.convert.model import Difference
from smithy.errors import VariantError
from smithy.variants.expand import MAX_COMBINATIONS, combinations
from smithy.variants.model import VariantConfig

ABSENT = "-"
CiFiles = Mapping[str, Mapping[str, Any]]


def ci_platform(name: str, config: Mapping[str, Any]) -> str:
    """The target platform of one ``.ci_support`` file (``linux-64``)."""
    target = config.get("target_platform")
    if isinstance(target, list) and target:
        return str(target[0])
    return "_".join(PurePosixPath(name).stem.split("_")[:2])  # linux_64_<keys>.yaml


def variant_keys(config: Mapping[str, Any]) -> set[str]:
    """The variant keys of one file: its list-valued keys but ``zip_keys``.

    ``pin_run_as_build`` is a mapping conda-smithy writes for the variant keys a file has.
    """
    return {key for key, value in config.items() if isinstance(value, list) and key != "zip_keys"}


def _as_variants(config: Mapping[str, Any]) -> VariantConfig:
    """One ``.ci_support`` file as the variants layer holds a platform's variants.

    Values become their JSON text; each zip group keeps the keys the file has.
    """
    keys = variant_keys(config)
    groups = (
        tuple(key for key in group if key in keys)
        for group in config.get("zip_keys") or ()
        if isinstance(group, list)
    )
    return VariantConfig(
        values={key: tuple(json.dumps(value) for value in config[key]) for key in keys},
        zip_keys=tuple(group for group in groups if group),
    )


def builds(files: CiFiles) -> frozenset[frozenset[tuple[str, str]]] | None:
    """Every build (one value per variant key) the files describe.

    None when there are too many to compare or a zip group's keys differ in length (the
    files are then compared by name only).
    """
    found: set[frozenset[tuple[str, str]]] = set()
    for config in files.values():
        variants = _as_variants(config)
        try:
            found.update(
                frozenset(build.items()) for build in combinations(variants, variants.keys())
            )
        except VariantError:
            return None
        if len(found) > MAX_COMBINATIONS:
            return None
    return frozenset(found)


def by_platform(files: CiFiles) -> dict[str, dict[str, Mapping[str, Any]]]:
    """The files of each target platform."""
    grouped: dict[str, dict[str, Mapping[str, Any]]] = {}
    for name, config in files.items():
        grouped.setdefault(ci_platform(name, config), {})[name] = config
    return grouped


def _file_rows(before: CiFiles, after: CiFiles) -> list[Difference]:
    found: list[Difference] = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after or name not in before:
            state = ("present", ABSENT) if name in before else (ABSENT, "present")
            found.append(Difference(".ci_support", name, "file", *state))
            continue
        old_keys, new_keys = set(before[name]), set(after[name])
        if old_keys != new_keys:
            gone = ", ".join(sorted(old_keys - new_keys)) or ABSENT
            added = ", ".join(sorted(new_keys - old_keys)) or ABSENT
            found.append(Difference(".ci_support", name, "keys", gone, added))
    return found


def ci_differences(before: CiFiles, after: CiFiles) -> list[Difference]:
    """File names and keys that differ, per platform.

    A platform whose builds are the same, split into other jobs, is one ``jobs`` row.
    """
    old, new = by_platform(before), by_platform(after)
    found: list[Difference] = []
    for platform in sorted(old.keys() | new.keys()):
        old_files, new_files = old.get(platform, {}), new.get(platform, {})
        if old_files.keys() != new_files.keys() and old_files and new_files:
            same = builds(old_files)
            if same is not None and same == builds(new_files):
                split = _split_keys(old_files, new_files)
                found.append(
                    Difference(
                        ".ci_support",
                        platform,
                        "jobs",
                        f"{len(old_files)} files",
                        f"{len(new_files)} files{split}, same builds",
                    )
                )
                continue
        found += _file_rows(old_files, new_files)
    return found


def looped_keys(files: CiFiles) -> set[str]:
    """Keys the jobs are split by: one value in each file, not the same in all."""
    if not files:
        return set()
    keys = set.intersection(*(variant_keys(config) for config in files.values()))
    single = {k for k in keys if all(len(c[k]) == 1 for c in files.values())}
    values = {k: {json.dumps(c[k]) for c in files.values()} for k in single}
    return {k for k, seen in values.items() if len(seen) > 1}


def named_keys(files: CiFiles) -> set[str]:
    """Keys written in every job's file name (conda-smithy names files ``<key><value>...``)."""
    if not files:
        return set()
    keys = set.intersection(*(variant_keys(config) for config in files.values()))
    return {
        key
        for key in keys
        if all(
            len(config[key]) == 1 and f"{key}{str(config[key][0])[:1]}" in PurePosixPath(name).stem
            for name, config in files.items()
        )
    }


def _split_keys(before: CiFiles, after: CiFiles) -> str:
    """`` split by KEYS`` : keys with one value per file on one side, not on the other."""
    old, new = looped_keys(before), looped_keys(after)
    keys = new - old or old - new
    return f" (split by {', '.join(sorted(keys))})" if keys else ""
