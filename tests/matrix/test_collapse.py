"""Tests of the grouping rules that turn rendered outputs into job configs (reference 3.4)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from smithy.matrix.collapse import Meta, collapse
from smithy.variants.model import VariantConfig

SPACE = VariantConfig(
    values={
        "python": ("3.11", "3.12"),
        "numpy": ("2.0", "2.1"),
        "python_impl": ("cpython", "cpython"),
        "zlib": ("1.3",),
        "libpng": ("1.6", "1.7"),
        "target_platform": ("linux-64",),
        "docker_image": ("img",),
        "unused": ("a", "b"),
    },
    zip_keys=(("python", "numpy", "python_impl"),),
    pin_run_as_build={"python": {"min_pin": "x.x", "max_pin": "x.x"}, "zlib": {"max_pin": "x"}},
)


def metas(
    used: Iterable[str], *, top: Iterable[str] | None = None, noarch: bool = False
) -> list[Meta]:
    """One meta per variant of the space's looping keys, all using ``used``."""
    used_set = frozenset(used) | ({"target_platform"} if not noarch else frozenset())
    top_set = used_set if top is None else frozenset(top)
    rows = zip(SPACE.values["python"], SPACE.values["numpy"], strict=True)
    result = []
    for (python, numpy), libpng in itertools.product(rows, SPACE.values["libpng"]):
        variant: Mapping[str, str] = {
            "python": python,
            "numpy": numpy,
            "python_impl": "cpython",
            "zlib": "1.3",
            "libpng": libpng,
            "target_platform": "linux-64",
        }
        result.append(Meta(variant, used_set, top_set, noarch))
    return result


def test_zipped_top_level_keys_split_jobs_and_keep_used_zip_members() -> None:
    result = collapse(SPACE, metas({"python", "numpy"}))
    assert result.top_level == {"python", "numpy", "target_platform"}
    assert [(c["python"], c["numpy"]) for c in result.configs] == [
        (["3.11"], ["2.0"]),
        (["3.12"], ["2.1"]),
    ]
    first = result.configs[0]
    assert first["zip_keys"] == [["python", "numpy"]]
    assert "python_impl" not in first and "unused" not in first
    # Only pins of present keys, min_pin first.
    assert list(first["pin_run_as_build"]) == ["python"]
    assert list(first["pin_run_as_build"]["python"]) == ["min_pin", "max_pin"]
    assert first["docker_image"] == ["img"]
    assert first["target_platform"] == ["linux-64"]


def test_zip_group_with_one_used_key_is_not_written() -> None:
    result = collapse(SPACE, metas({"python"}))
    assert all("zip_keys" not in config for config in result.configs)
    assert [config["python"] for config in result.configs] == [["3.11"], ["3.12"]]


def test_key_not_used_at_top_level_by_every_output_stays_a_list() -> None:
    lib = metas({"zlib"})
    py = metas({"python", "libpng"})
    result = collapse(SPACE, lib + py)
    assert result.top_level == {"target_platform"}
    assert len(result.configs) == 1
    config = result.configs[0]
    assert config["python"] == ["3.11", "3.12"]
    assert config["libpng"] == ["1.6", "1.7"]
    assert config["zlib"] == ["1.3"]
    assert "numpy" not in config


def test_single_valued_keys_never_split() -> None:
    result = collapse(SPACE, metas({"zlib"}))
    assert result.top_level == {"target_platform"}
    assert [config["zlib"] for config in result.configs] == [["1.3"]]
    assert result.configs[0]["pin_run_as_build"] == {"zlib": {"max_pin": "x"}}


def test_skipped_variants_leave_no_job() -> None:
    kept = [meta for meta in metas({"python", "libpng"}) if meta.variant["python"] != "3.11"]
    result = collapse(SPACE, kept)
    assert [(c["python"], c["libpng"]) for c in result.configs] == [
        (["3.12"], ["1.6"]),
        (["3.12"], ["1.7"]),
    ]


def test_no_metas_means_no_jobs() -> None:
    result = collapse(SPACE, [])
    assert result.configs == ()
    assert result.top_level == frozenset()


def test_noarch_outputs_do_not_keep_target_platform() -> None:
    result = collapse(SPACE, metas(set(), noarch=True)[:1])
    assert result.configs == ({"docker_image": ["img"]},)


def test_keep_keys_and_extra_used_are_written() -> None:
    space = VariantConfig(values={**SPACE.values, "github_actions_labels": ("hosted",)})
    result = collapse(
        space, metas({"zlib"}), keep_keys={"github_actions_labels"}, extra_used={"unused"}
    )
    config = result.configs[0]
    assert config["github_actions_labels"] == ["hosted"]
    assert config["unused"] == ["a", "b"]
    assert "unused" not in result.top_level


def test_mpi_expands_to_every_implementation_key() -> None:
    space = VariantConfig(values={"mpi": ("mpich", "openmpi"), "mpich": ("4",), "impi": ("2021",)})
    meta = Meta({"mpi": "mpich"}, frozenset({"mpi"}), frozenset({"mpi"}), False)
    other = Meta({"mpi": "openmpi"}, frozenset({"mpi"}), frozenset({"mpi"}), False)
    result = collapse(space, [meta, other])
    assert [config["mpi"] for config in result.configs] == [["mpich"], ["openmpi"]]
    assert all(config["mpich"] == ["4"] and config["impi"] == ["2021"] for config in result.configs)
