"""Piecewise parsing of meta.yaml text gives exactly what one whole parse gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smithy.errors import RecipeParseError
from smithy.recipe.yaml_chunks import parse_document
from smithy.recipe.yaml_tree import YNode, parse_tree

PIECES = [
    "package:\n", "  name: a\n", "outputs:\n", "  - name: b\n", "    requirements:\n",
    "      - c\n", "  -\n", "- x\n", "build: {number: 1}\n", "about:\n  summary: |\n",
    "    text\n", "extra: &e\n  k: v\n", "other: *e\n", "'quoted': 1\n", "# comment\n",
    "\n", "  # indented comment\n", "key: \"multi\n", "line\"\n", "x: [a,\n", "b]\n",
    "outputs: []\n", "\t", " ", "outputs:  # c\n", "   - name: d\n", "test:\n  commands:\n",
    "    - echo a: b\n", "source:\n  - url: u\n",
]  # fmt: skip


def outcome(function: object, text: str) -> YNode | str | None:
    try:
        return function(text, "m")  # type: ignore[operator, no-any-return]
    except RecipeParseError as exc:
        return str(exc)


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_pieces_equal_the_whole_parse(parts: list[str]) -> None:
    text = "".join(parts)
    assert outcome(parse_document, text) == outcome(parse_tree, text)


@pytest.mark.parametrize(
    "case", sorted((Path(__file__).parent.parent / "data" / "recipes" / "v0").glob("*"))
)
def test_fixture_shaped_text_equals_the_whole_parse(case: Path) -> None:
    # Jinja left in place is YAML text too; both parses must still agree.
    text = (case / "meta.yaml").read_text(encoding="utf-8").replace("{%", "#").replace("{{", "x{")
    assert outcome(parse_document, text) == outcome(parse_tree, text)
