"""YAML 1.2 floats as ruamel.yaml (rattler-build, conda-smithy's SMY107 check) reads them."""

from __future__ import annotations

import pytest

from smithy.yaml import compose
from smithy.yaml.floats import float_scalars


@pytest.mark.parametrize(
    ("text", "floats"),
    [
        ("v: 1.10\n", ["1.10"]),
        ("v: 1.1_0\n", ["1.1_0"]),
        ("v: 1e5\n", ["1e5"]),
        ("v: -.inf\n", ["-.inf"]),
        ("v: .nan\n", [".nan"]),
        ("v: .5\n", [".5"]),
        ("v: 1\n", []),
        ("v: 1.2.3\n", []),
        ("v: '1.10'\n", []),
        ("v: !!str 1.10\n", []),
        ("v: e5\n", []),
    ],
)
def test_which_scalars_are_floats(text: str, floats: list[str]) -> None:
    assert [node.value for _key, node in float_scalars(compose(text, "t.yaml"))] == floats


def test_key_paths_name_items_as_conda_smithy_does() -> None:
    text = "package:\n  version: 1.0\nb:\n  - x\n  - [2.5]\n1.5: key\n"
    found = [(key, node.line) for key, node in float_scalars(compose(text, "t.yaml"))]
    assert found == [("package.version", 2), ("b[1][0]", 5)]
