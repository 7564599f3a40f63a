"""The comparison of the two renders: what counts as the same, what is shown when not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from smithy.convert.ci_matrix import builds, ci_differences
from smithy.convert.model import Difference
from smithy.convert.variant_keys import KeyChanges, key_changes, with_key_changes
from smithy.convert.verify import RenderedFeedstock, compare, spelling
from smithy.errors import Span
from smithy.recipe.model import (
    Dependency,
    RawRecipe,
    RecipeFormat,
    RenderedOutput,
    RenderedRecipe,
    Requirements,
)
from smithy.report.convert_report import differences_table

META_RUNTIME = "  string: cpu_h{{ PKG_HASH }}_{{ PKG_BUILDNUM }}\n"
RAW = RawRecipe(Path("recipe/meta.yaml"), RecipeFormat.V0, "", "recipe/meta.yaml")


def _output(
    build_string: str | None = None, host: tuple[str, ...] = (), number: int = 1
) -> RenderedOutput:
    requirements = Requirements(host=tuple(Dependency(spec, Span("recipe")) for spec in host))
    return RenderedOutput(
        "libfoo", "1.0", number, Span("recipe"), build_string=build_string,
        requirements=requirements,
    )  # fmt: skip


def _side(*outputs: RenderedOutput) -> RenderedFeedstock:
    recipe = RenderedRecipe(RAW, "foo", "1.0", "linux-64", "linux-64", {}, outputs)
    return RenderedFeedstock({"linux-64": (recipe,)}, {})


def _fields(before: RenderedOutput, after: RenderedOutput, meta: str, recipe: str) -> set[str]:
    found = compare(_side(before), _side(after), spelling(meta, recipe))
    return {difference.field for difference in found}


def test_hash_and_build_number_of_a_build_string_are_placeholders() -> None:
    # meta.yaml's render leaves PKG_HASH/PKG_BUILDNUM empty; recipe.yaml spells them.
    before = _output("cpu_h_", host=("libbar * cpu_h*_",))
    after = _output("cpu_h${{ hash }}_1", host=("libbar * cpu_h*_1",))
    assert _fields(before, after, META_RUNTIME, "") == set()


def test_a_changed_build_string_template_is_still_a_difference() -> None:
    before = _output("cpu_h_")
    for changed in ("gpu_h${{ hash }}_1", "cpu_${{ hash }}_1", "cpu_h${{ hash }}", "cpu_h_2"):
        assert _fields(before, _output(changed), META_RUNTIME, "") == {"build_string"}


def test_build_number_is_kept_when_meta_yaml_spells_it_itself() -> None:
    # Without PKG_BUILDNUM in meta.yaml the number was written out there too: compare as is.
    assert _fields(_output("cpu_1"), _output("cpu_1"), "", "") == set()
    assert _fields(_output("cpu_"), _output("cpu_1"), "", "") == {"build_string"}


def test_exact_subpackage_pin_compares_name_and_version() -> None:
    meta = "    - {{ pin_subpackage('libbar', exact=True) }}\n"
    before = _output(host=("libbar 1.0 cpu_h_",))
    assert _fields(before, _output(host=("libbar 1.0",)), meta, "") == set()
    assert _fields(before, _output(host=("libbar 1.1",)), meta, "") == {"requirements.host"}
    # a build string written by hand is compared
    assert _fields(before, _output(host=("libbar 1.0",)), "", "") == {"requirements.host"}


def test_pin_compatible_of_an_expression_is_matched_from_the_renders() -> None:
    recipe = "- ${{ pin_compatible(c_stdlib ~ '_' ~ target_platform) }}\n"
    before = _output(host=("sysroot_linux-64 >=2.17,<3.0a0", "zlib >=1.3,<2.0a0"))
    after = _output(host=("sysroot_linux-64", "zlib >=1.3,<2.0a0"))
    assert _fields(before, after, "", recipe) == set()
    # without such a call, a lost bound is a difference
    assert _fields(before, after, "", "") == {"requirements.host"}
    # and a bound that is not pin_compatible's shape is never taken for one
    odd = _output(host=("sysroot_linux-64 2.17", "zlib >=1.3,<2.0a0"))
    assert _fields(odd, after, "", recipe) == {"requirements.host"}


def test_a_list_difference_shows_only_the_entries_that_differ() -> None:
    long = tuple(f"dependency-number-{i} >=1" for i in range(12))
    before = _output(host=(*long, "m2-autoconf"))
    after = _output(host=(*long, "m2-autoconf 2.71"))
    (difference,) = compare(_side(before), _side(after))
    assert (difference.before, difference.after) == ("m2-autoconf", "m2-autoconf 2.71")


def test_key_changes_group_ci_files_by_platform() -> None:
    before: dict[str, dict[str, Any]] = {
        ".ci_support/linux_64_is_ftfalse.yaml": {"target_platform": ["linux-64"], "is_ft": []},
        ".ci_support/linux_64_is_fttrue.yaml": {"target_platform": ["linux-64"], "is_ft": []},
        ".ci_support/win_64_.yaml": {
            "target_platform": ["win-64"], "zlib": [], "pin_run_as_build": {"zlib": {}},
            "zip_keys": [["zlib", "vs"]],
        },
    }  # fmt: skip
    after = {
        ".ci_support/linux_64_.yaml": {"target_platform": ["linux-64"], "vc": []},
        ".ci_support/win_64_.yaml": {"target_platform": ["win-64"], "vc": []},
    }
    assert key_changes(before, after) == KeyChanges(frozenset({"is_ft", "zlib"}), frozenset({"vc"}))


RECIPE = """\
schema_version: 1

recipe:
  name: split
  version: "1.0"

outputs:
  - package:
      name: libz
  - package:
      name: z-wapi
    requirements:
      host:
        - ${{ pin_subpackage('z', exact=True) }}
"""


def test_a_kept_key_goes_to_the_output_pinning_that_subpackage() -> None:
    text = with_key_changes(RECIPE, KeyChanges(frozenset({"z", "mpi"}), frozenset({"vc"})))
    doc = YAML(typ="safe").load(text)
    assert doc["build"]["variant"] == {"use_keys": ["mpi"], "ignore_keys": ["vc"]}
    libz, wapi = doc["outputs"]
    assert libz["build"]["variant"] == {"ignore_keys": ["vc"]}
    assert wapi["build"]["variant"] == {"use_keys": ["z"], "ignore_keys": ["vc"]}


def test_table_keeps_file_names_whole_and_cuts_long_values() -> None:
    name = ".ci_support/linux_64_is_freethreadingfalseis_python_minfalsepython3.11.____cpython.yaml"
    rows = [Difference(".ci_support", name, "file", "present", "-")]
    rows.append(Difference("linux-64", "libfoo", "requirements.host", "x" * 100, "-"))
    table = differences_table(rows)
    assert name in table
    assert "x" * 57 + "..." in table and "x" * 58 not in table


def _job(platform: str, **keys: Any) -> dict[str, Any]:
    return {"target_platform": [platform], "channel_targets": ["conda-forge main"], **keys}


def test_same_builds_split_into_other_jobs_is_one_row() -> None:
    before = {".ci_support/linux_64_.yaml": _job("linux-64", extra=["a", "b"], zlib=["1"])}
    after = {
        ".ci_support/linux_64_extraa.yaml": _job("linux-64", extra=["a"], zlib=["1"]),
        ".ci_support/linux_64_extrab.yaml": _job("linux-64", extra=["b"], zlib=["1"]),
    }
    (row,) = ci_differences(before, after)
    assert (row.output, row.field, row.before) == ("linux-64", "jobs", "1 files")
    assert row.after == "2 files (split by extra), same builds"


def test_other_builds_are_shown_file_by_file() -> None:
    before = {".ci_support/linux_64_.yaml": _job("linux-64", extra=["a", "b"])}
    after = {
        ".ci_support/linux_64_extraa.yaml": _job("linux-64", extra=["a"]),
        ".ci_support/linux_64_extrac.yaml": _job("linux-64", extra=["c"]),
    }
    rows = ci_differences(before, after)
    assert [(r.field, r.before, r.after) for r in rows] == [
        ("file", "present", "-"),
        ("file", "-", "present"),
        ("file", "-", "present"),
    ]


def test_zipped_keys_are_one_dimension_of_the_builds() -> None:
    zipped = {"python": ["3.11", "3.12"], "numpy": ["1", "2"], "zip_keys": [["python", "numpy"]]}
    config = _job("linux-64", **zipped)
    assert builds({"a.yaml": config}) == frozenset(
        frozenset(
            {("python", f'"{p}"'), ("numpy", f'"{n}"'), ("target_platform", '"linux-64"'),
             ("channel_targets", '"conda-forge main"')}
        )
        for p, n in (("3.11", "1"), ("3.12", "2"))
    )  # fmt: skip


def test_build_number_written_in_meta_yaml_is_compared_even_beside_a_hash() -> None:
    meta = "  string: py{{ py }}h{{ PKG_HASH }}_{{ build }}\n"
    assert _fields(_output("py310h_4", number=4), _output("py310h${{ hash }}_4", number=4),
                   meta, "") == set()  # fmt: skip
    assert _fields(_output("py310h_4", number=4), _output("py310h${{ hash }}_5", number=4),
                   meta, "") == {"build_string"}  # fmt: skip


def test_builds_are_not_compared_when_a_zip_group_is_uneven_or_too_large() -> None:
    uneven = {"python": ["3.11", "3.12"], "numpy": ["1"], "zip_keys": [["python", "numpy"]]}
    assert builds({"a.yaml": _job("linux-64", **uneven)}) is None
    wide = {f"k{index}": [str(value) for value in range(10)] for index in range(5)}
    assert builds({"a.yaml": _job("linux-64", **wide)}) is None  # 100,000 builds
    assert builds({"a.yaml": _job("linux-64", **dict(list(wide.items())[:4]))}) is not None
