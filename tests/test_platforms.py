"""The selector namespace: names, precedence and order, value types."""

from __future__ import annotations

from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from smithy.platforms import MAIN_PLATFORMS, coerce_variant_value, selector_namespace


def test_variant_keys_follow_the_names_and_never_replace_them() -> None:
    variant = {
        "zlib": "1.3",
        "linux": "0",  # a platform name: the platform's boolean wins
        "py": "27",  # computed from `python`, not read from the variant
        "python": "3.11.* *_cpython",
        "cuda_compiler_version": "None",
        "is_freethreading": "true",
        "abi": "12",
        "target_platform": "osx-64",
    }
    namespace = selector_namespace("linux-aarch64", variant, "linux-64")

    assert namespace["linux"] is True and namespace["aarch64"] is True
    assert namespace["py"] == 311 and namespace["py3k"] is True
    assert namespace["target_platform"] == "linux-aarch64"
    assert namespace["build_platform"] == "linux-64"
    assert namespace["zlib"] == "1.3"
    assert namespace["cuda_compiler_version"] == "None"
    assert namespace["is_freethreading"] is True
    assert namespace["abi"] == 12 and type(namespace["abi"]) is int
    # The names first, in their own order; then only the variant's new keys, in its order.
    names = list(selector_namespace("linux-aarch64", {}, "linux-64"))
    assert list(namespace)[: len(names)] == names
    assert list(namespace)[len(names) :] == [
        "zlib",
        "python",
        "cuda_compiler_version",
        "is_freethreading",
        "abi",
    ]


def test_namespace_from_a_read_only_variant_equals_one_from_a_dict() -> None:
    variant = {"numpy": "2.0", "mpi": "openmpi", "x": "False"}
    from_proxy = selector_namespace("win-64", MappingProxyType(variant))
    assert from_proxy == selector_namespace("win-64", variant)
    assert from_proxy["np"] == 20 and from_proxy["x"] is False and from_proxy["win"] is True


KEYS = ["python", "numpy", "linux", "win", "py", "np", "unix", "mpi", "abi", "target_platform"]
KEY_NAMES = st.sampled_from(KEYS) | st.text(min_size=1, max_size=4)
VALUES = ["3.11", "3.12.* *_cpython", "2.0", "1", "0", "true", "False", "None", "openmpi", ""]


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(KEY_NAMES, st.sampled_from(VALUES)),
    st.sampled_from(MAIN_PLATFORMS),
    st.sampled_from([None, "linux-64", "osx-64"]),
)
def test_namespace_is_the_names_then_the_other_variant_keys(
    variant: dict[str, str], platform: str, build: str | None
) -> None:
    # The plain definition: the variant-free names for the variant's python and numpy, then
    # each variant key they lack, coerced, in the variant's order.
    pythons: dict[str, str] = {key: variant[key] for key in ("python", "numpy") if key in variant}
    expected = dict(selector_namespace(platform, pythons, build))
    for key in pythons:
        del expected[key]
    for key, value in variant.items():
        if key not in expected:
            expected[key] = coerce_variant_value(value)
    got = selector_namespace(platform, variant, build)
    assert list(got.items()) == list(expected.items())
    assert [type(value) for value in got.values()] == [type(v) for v in expected.values()]
    assert selector_namespace(platform, variant, build) == got  # the cached names are not changed
