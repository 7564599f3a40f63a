"""Reading a variant file's macOS pins for "macOS, any architecture" (conda-smithy's view)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.lint.rules.osx_pins import OsxPins, osx_pins

VARIANTS = Path("recipe/variants.yaml")
CBC = Path("recipe/conda_build_config.yaml")


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        # both architectures' branches are kept, in file order; linux/win names are false
        (
            VARIANTS,
            "c_stdlib_version:\n  - if: osx and x86_64\n    then: '10.13'\n"
            "  - if: osx and arm64\n    then: '11.0'\n"
            "  - if: linux64\n    then: '2.17'\n    else: ['12.0']\n",
            OsxPins(("10.13", "11.0", "12.0"), None),
        ),
        (
            CBC,
            "c_stdlib_version:\n  - 10.9  # [osx and x86_64]\n  - 2.28  # [linux]\n"
            "MACOSX_SDK_VERSION:  # [osx]\n  - '10.13'  # [osx]\n",
            OsxPins(("10.9",), ("10.13",)),
        ),
        (CBC, "other: [1]\n", OsxPins(None, None)),
        # unreadable as a variant file: the render reports it, the rule has nothing to compare
        (VARIANTS, "c_stdlib_version:\n  - if: osx\n", OsxPins(None, None)),
        (VARIANTS, "c_stdlib_version: {a: 1}\n", OsxPins(None, None)),
        (VARIANTS, "[unclosed\n", OsxPins(None, None)),
    ],
    ids=["v1-branches", "cbc-selectors", "unset", "if-without-then", "mapping", "not-yaml"],
)
def test_osx_pins(path: Path, text: str, expected: OsxPins) -> None:
    assert osx_pins(text, path) == expected
