"""Tests for recipe.yaml trees: parsing with lines, if/then/else, merging outputs."""

from __future__ import annotations

from typing import Any

import pytest

from smithy.errors import JinjaError, RecipeParseError, SelectorError, Span
from smithy.recipe.v1_expressions import Scope
from smithy.recipe.v1_functions import condition_names
from smithy.recipe.v1_tree import Mapping, Scalar, Sequence, TreeRenderer, merge_output, parse_tree


def test_scalars_are_typed_like_yaml_but_floats_stay_text() -> None:
    tree = parse_tree("a: 3.10\nb: '7'\nc: 7\nd: true\ne:\nf: ~\ng: |\n  x\n", "r.yaml")
    values = {key: value.value for key, value in tree.items if isinstance(value, Scalar)}
    assert values == {"a": "3.10", "b": "7", "c": 7, "d": True, "e": None, "f": None, "g": "x\n"}
    assert tree.get("b") == Scalar("7", plain=False, line=2)
    assert tree.key_line("g") == 7


def test_parse_is_cached_by_text() -> None:
    text = "package: {name: a}\n"
    assert parse_tree(text, "r.yaml") is parse_tree(text, "r.yaml")


def test_lines_of_sequence_items() -> None:
    tree = parse_tree("x:\n  - a\n\n  - b\n  - if: linux\n    then: c\n", "r.yaml")
    items = tree.get("x")
    assert isinstance(items, Sequence)
    assert [item.line for item in items.items] == [2, 4, 5]


def test_aliases_are_shared_and_bounded() -> None:
    tree = parse_tree("a: &x [1, 2]\nb: *x\n", "r.yaml")
    assert tree.get("a") is tree.get("b")
    layers = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    layers += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(RecipeParseError, match="expands to more than"):
        parse_tree("\n".join(layers) + "\n", "r.yaml")


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: [1\n", 1), ("a: 1\n a: 2\n", 2), ("a: b: c\n", 1), ("[1, 2]\n", 1), ("", 0)],
)
def test_parse_errors(text: str, line: int) -> None:
    # An unclosed flow list is reported where it opens, as for meta.yaml (one YAML reader).
    with pytest.raises(RecipeParseError) as info:
        parse_tree(text, "r.yaml")
    assert info.value.span is not None
    assert (info.value.span.path, info.value.span.line) == ("r.yaml", line)


def renderer(platform: str = "linux-64") -> TreeRenderer:
    names = condition_names(platform, platform, {})
    scope = Scope(platform, {}, {}, None, names, frozenset())

    def condition(value: Any, span: Span) -> bool:
        if isinstance(value, str):
            if value not in names:
                raise SelectorError(f"unknown {value}", span)
            return bool(names[value])
        return bool(value)

    return TreeRenderer(scope, condition, "r.yaml")


def test_conditional_items_are_spliced_with_their_lines() -> None:
    tree = parse_tree(
        "l:\n  - a\n  - if: linux\n    then:\n      - b\n      - if: win\n        then: c\n"
        "        else: [d, e]\n  - if: osx\n    then: f\n  - ${{ 'g' if linux }}\n",
        "r.yaml",
    )
    assert renderer().items(tree.get("l")) == [("a", 2), ("b", 5), ("d", 8), ("e", 8), ("g", 11)]
    assert renderer("osx-64").value(tree.get("l")) == ["a", "f"]


def test_items_render_in_order_so_the_first_bad_item_is_reported() -> None:
    tree = parse_tree("l:\n  - ${{ nope }}\n  - if: unknown_name\n    then: x\n", "r.yaml")
    with pytest.raises(JinjaError, match="nope") as info:
        renderer().items(tree.get("l"))
    assert info.value.span == Span("r.yaml", 2)
    later = parse_tree("l:\n  - if: unknown_name\n    then: x\n  - ${{ nope }}\n", "r.yaml")
    with pytest.raises(SelectorError, match="unknown_name"):
        renderer().items(later.get("l"))


def test_templates_and_conditionals_are_known_from_the_parse() -> None:
    tree = parse_tree("a: ${{ x }}\nb: plain\nc: 7\nd:\n  if: linux\n  then: 1\n", "r.yaml")
    flags = {key: getattr(value, "template", None) for key, value in tree.items}
    assert flags == {"a": True, "b": False, "c": False, "d": None}
    conditional = tree.get("d")
    assert isinstance(conditional, Mapping) and conditional.conditional
    assert not tree.conditional
    assert tree.only(("d",)).get("d") is conditional


def test_conditional_mapping_values() -> None:
    tree = parse_tree(
        "s:\n  if: win\n  then: bld.bat\n  else: build.sh\nt:\n  if: win\n  then: 1\n", "r"
    )
    assert renderer().value(tree) == {"s": "build.sh"}
    assert renderer("win-64").value(tree) == {"s": "bld.bat", "t": 1}


def test_conditional_with_stray_key_is_an_error() -> None:
    tree = parse_tree("l:\n  - if: linux\n    then: a\n    than: b\n", "r.yaml")
    with pytest.raises(RecipeParseError, match="unexpected key 'than'") as info:
        renderer().value(tree)
    assert info.value.span == Span("r.yaml", 4)


def test_mapping_helpers() -> None:
    tree = parse_tree("a: 1\nb: 2\nc: 3\n", "r.yaml")
    assert isinstance(tree, Mapping)
    assert [key for key, _ in tree.without(("b",)).items] == ["a", "c"]
    assert tree.only(("b",)).key_lines == (2,)


def test_merge_output_follows_rattler_build() -> None:
    top = {
        "build": {"number": 3, "script": "top.sh", "skip": False},
        "about": {"license": "MIT", "summary": "top"},
        "extra": {"recipe-maintainers": ["a"]},
        "source": [{"url": "u"}],
        "tests": [{"script": ["top"]}],
    }
    output = {
        "package": {"name": "x"},
        "build": {"noarch": "generic", "skip": False},
        "about": {"summary": "out"},
        "tests": [{"script": ["out"]}],
    }
    merged = merge_output(top, output, from_staging=False)
    assert merged["build"] == {"number": 3, "script": "top.sh", "skip": False, "noarch": "generic"}
    assert merged["about"] == {"license": "MIT", "summary": "out"}
    assert merged["extra"] == {"recipe-maintainers": ["a"]}
    assert merged["source"] == [{"url": "u"}]
    assert merged["tests"] == [{"script": ["top"]}, {"script": ["out"]}]
    staged = merge_output(top, output, from_staging=True)
    assert "script" not in staged["build"] and "source" not in staged
    assert staged["tests"] == [{"script": ["out"]}]
    skipped = merge_output(
        {"build": {"skip": True}}, {"package": {"name": "x"}}, from_staging=False
    )
    assert skipped["build"] == {"skip": True}
