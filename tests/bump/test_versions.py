"""Version ordering and pre-release detection."""

from __future__ import annotations

import pytest

from smithy.bump.versions import is_newer, is_prerelease, newest


@pytest.mark.parametrize(
    ("text", "pre"),
    [
        ("1.0", False),
        ("2.1.post1", False),
        ("1.2-3", False),
        ("1.0rc1", True),
        ("2.0.0-beta.1", True),
        ("3.1_alpha", True),
        ("1.0.dev4", True),
        ("0.9-preview2", True),
        ("2.0.0-next.1", True),
    ],
)
def test_is_prerelease(text: str, pre: bool) -> None:
    assert is_prerelease(text) is pre


def test_newest_orders_as_conda_does() -> None:
    assert newest(["1.9", "1.10", "1.2", "1.10rc1"]) == "1.10"
    assert newest(["1.9", "1.10", "1.11rc1"], include_pre=True) == "1.11rc1"
    assert newest(["1.9", "1.10"], exclude=["1.10"]) == "1.9"
    assert newest(["not a version!", "0.1"]) == "0.1"
    assert newest([]) is None


def test_cran_dashes_compare_as_conda_reads_them() -> None:
    assert is_newer("1.2-10", "1.2-9")
    assert not is_newer("1.2-9", "1.2-9")
