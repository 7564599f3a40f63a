"""Reading rendered meta.yaml text: conda-build's scalar rules, lines, hostile YAML."""

from __future__ import annotations

import pytest

from smithy.errors import RecipeParseError
from smithy.recipe.yaml_tree import YMap, YScalar, YSeq, parse_tree, to_plain


def test_scalars_follow_conda_build() -> None:
    tree = parse_tree(
        "v: 1.10\nn: 007\nt: yes\nf: Off\nz: ~\ne:\nq: 'yes'\nb: |\n  text\nfl: 1.5e3\n", "m"
    )
    assert to_plain(tree) == {
        "v": "1.10", "n": "007", "t": True, "f": False, "z": None, "e": None,
        "q": "yes", "b": "text\n", "fl": "1.5e3",
    }  # fmt: skip


def test_lines_of_keys_items_and_values() -> None:
    tree = parse_tree("# c\npackage:\n  name: a\nreqs:\n  - x\n  - y\n", "m")
    assert isinstance(tree, YMap)
    assert tree.key_lines == {"package": 2, "reqs": 4}
    reqs = tree.get("reqs")
    assert isinstance(reqs, YSeq) and [item.line for item in reqs.items] == [5, 6]
    package = tree.get("package")
    assert isinstance(package, YMap) and package.line == 3


def test_duplicate_keys_keep_their_first_place_and_last_value() -> None:
    tree = parse_tree("a: 1\nb: 2\na: 3\n", "m")
    assert isinstance(tree, YMap)
    assert list(tree.entries) == ["a", "b"] and to_plain(tree) == {"a": "3", "b": "2"}
    assert tree.key_lines["a"] == 3


def test_aliases_and_merge_keys() -> None:
    tree = parse_tree("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b]\n", "m")
    assert to_plain(tree)["use"] == {"y": "3", "x": "1"}
    assert to_plain(tree)["list"] == [{"x": "1", "y": "2"}]


def test_offset_shifts_lines_and_errors() -> None:
    tree = parse_tree("a:\n  - x\n", "m", line_offset=10)
    assert isinstance(tree, YMap) and tree.line == 11
    with pytest.raises(RecipeParseError) as info:
        parse_tree("a: [\n", "m", line_offset=10)
    assert info.value.span is not None and info.value.span.line == 12


def test_empty_document_is_none_and_plain_scalars_are_nodes() -> None:
    assert parse_tree("# only a comment\n", "m") is None
    assert parse_tree("text", "m") == YScalar("text", 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [*a]\n", "recursive"),
        ("a: [1\n", "invalid YAML"),
        ("? [a]\n: b\n", "plain text"),
        ("a: 1\n---\nb: 2\n", "invalid YAML"),
        ("\x00", "invalid YAML"),
        ("[" * 500 + "]" * 500, "nested"),
    ],
)
def test_bad_yaml_raises_parse_errors(text: str, message: str) -> None:
    with pytest.raises(RecipeParseError, match=message):
        parse_tree(text, "m")


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(RecipeParseError, match="expands to more than"):
        parse_tree("\n".join(lines) + "\n", "m")
