"""conda-build's pin expressions: lower and upper bounds from versions and ``x.x`` pins."""

from __future__ import annotations

import pytest

from smithy.recipe.pins import (
    PinError,
    apply_pin_expressions,
    bare_version,
    pin_compatible_spec,
    pin_subpackage_spec,
)


@pytest.mark.parametrize(
    ("version", "min_pin", "max_pin", "expected"),
    [
        ("1.2.3", "x.x.x.x.x.x", "x", ">=1.2.3,<2.0a0"),
        ("1.2.3", "x.x.x.x.x.x", "x.x", ">=1.2.3,<1.3.0a0"),
        ("1.2.3", "x.x", "x.x.x", ">=1.2,<1.2.4.0a0"),
        ("2.0", "x.x.x.x.x.x", "x.x.x.x", ">=2.0,<2.1.0a0"),  # max_pin longer than the version
        ("9b", "x.x.x.x.x.x", "x", ">=9b,<10a"),  # letters: jpeg-style upper bound
        ("1.1.1k", "x.x.x", "x.x.x", ">=1.1.1k,<1.1.2a"),
        ("1.2.0rc1", "x.x.x", "x.x", ">=1.2.0rc1,<1.3.0a0"),  # pre-release keeps itself
        ("1.26.*", "x.x", "x", ">=1.26,<2.0a0"),
        ("1.2.3", None, "x.x", "<1.3.0a0"),
        ("1.2.3", "x.x", None, ">=1.2"),
        ("1.2.3", None, None, ""),
    ],
)
def test_apply_pin_expressions(
    version: str, min_pin: str | None, max_pin: str | None, expected: str
) -> None:
    assert apply_pin_expressions(version, min_pin, max_pin) == expected


@pytest.mark.parametrize(
    ("version", "pin"), [("1.2", "y.y"), ("1.2", "x..x"), ("", "x"), ("1 2", "x")]
)
def test_bad_versions_and_pins_raise_pin_error(version: str, pin: str) -> None:
    with pytest.raises(PinError):
        apply_pin_expressions(version, "x", pin)


def test_bare_version() -> None:
    assert bare_version("3.12.* *_cpython") == "3.12"
    assert bare_version("1.26.4") == "1.26.4"
    assert bare_version("==2.0") == "2.0"
    assert bare_version(">=1.20") is None
    assert bare_version("") is None


def test_subpackage_and_compatible_specs() -> None:
    assert pin_subpackage_spec("lib", "1.2.3", max_pin="x.x") == "lib >=1.2.3,<1.3.0a0"
    assert pin_subpackage_spec("lib", "1.2.3", exact=True, build_id="h1_0") == "lib 1.2.3 h1_0"
    assert pin_compatible_spec("numpy", "2.1.3", max_pin="x.x") == "numpy >=2.1.3,<2.2.0a0"
    assert pin_compatible_spec("numpy", None) == "numpy"
    assert pin_compatible_spec("numpy", "2.1", exact=True) == "numpy 2.1"
    assert pin_compatible_spec("numpy", "2.1", upper_bound="3") == "numpy >=2.1,<3"
    assert (
        pin_compatible_spec("numpy", None, lower_bound="1.22", upper_bound="3") == "numpy >=1.22,<3"
    )
