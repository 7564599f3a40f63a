"""smithy.versions: rattler's Version and MatchSpec with typed errors."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smithy.versions import (
    BadMatchSpec,
    BadVersion,
    parse_match_spec,
    parse_version,
    version_or_none,
)


def test_versions_parse_and_compare() -> None:
    assert parse_version("1.10") > parse_version("1.9")
    assert version_or_none("1.0a1") == parse_version("1.0a1")


@pytest.mark.parametrize("text", ["", "1..2", "1 2", "{{ version }}"])
def test_bad_versions_are_typed(text: str) -> None:
    with pytest.raises(BadVersion):
        parse_version(text)
    assert version_or_none(text) is None


def test_match_specs_parse_and_bad_ones_are_typed() -> None:
    assert str(parse_match_spec("numpy >=1.26", strict=False).name.normalized) == "numpy"
    with pytest.raises(BadMatchSpec) as info:
        parse_match_spec("numpy >=1.26,,<2[", strict=True)
    assert str(info.value)


@given(st.text(max_size=20))
def test_any_text_is_a_version_or_bad_version(text: str) -> None:
    try:
        parse_version(text)
    except BadVersion:
        assert version_or_none(text) is None


@given(st.text(max_size=20), st.booleans())
def test_any_text_is_a_match_spec_or_bad_match_spec(text: str, strict: bool) -> None:
    with contextlib.suppress(BadMatchSpec):  # any other exception fails the test
        parse_match_spec(text, strict=strict)
