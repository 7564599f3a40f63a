"""Piecewise parsing of meta.yaml text gives exactly what one whole parse gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smithy.errors import RecipeParseError
from smithy.recipe import yaml_chunks
from smithy.recipe.yaml_chunks import parse_document
from smithy.recipe.yaml_tree import YMap, YNode, YSeq, parse_tree

PIECES = [
    "package:\n", "  name: a\n", "outputs:\n", "  - name: b\n", "    requirements:\n",
    "      - c\n", "  -\n", "- x\n", "build: {number: 1}\n", "about:\n  summary: |\n",
    "    text\n", "extra: &e\n  k: v\n", "other: *e\n", "'quoted': 1\n", "# comment\n",
    "\n", "  # indented comment\n", "key: \"multi\n", "line\"\n", "x: [a,\n", "b]\n",
    "outputs: []\n", "\t", " ", "outputs:  # c\n", "   - name: d\n", "test:\n  commands:\n",
    "    - echo a: b\n", "source:\n  - url: u\n",
]  # fmt: skip


# Output items whose keys are parsed one by one: keys, values, nesting, anchors, odd openings.
ITEM_PIECES = [
    "outputs:\n", "  - name: b\n", "  - name: c  # n\n", "  -   name: w\n", "  -\n", "  - x\n",
    "    requirements:\n", "      host:\n", "        - d\n", "      - e\n", "    build: {a: 1}\n",
    "    script: |\n", "      echo a\n", "    script: >-\n", "\n", "    # c\n", "  # c\n",
    "    name: dup\n", "    test: &t\n", "      k: v\n", "    about: *t\n", "    'q': 1\n",
    "    x: \"multi\n", "    y\": 2\n", "    l: [a,\n", "    b]\n", "    ? k\n", "    : v\n",
    "    - z\n", "     deeper: 1\n", "   shallow: 2\n", "about:\n", "  summary: s\n",
    "    v: plain\n", "    continued\n", "    !!str tagged: 1\n", "    k: &a v\n", "    m: *a\n",
    "    1: one\n", "    -x: y\n",
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


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ITEM_PIECES), max_size=25))
def test_output_items_key_by_key_equal_the_whole_parse(parts: list[str]) -> None:
    text = "".join(parts)
    assert outcome(parse_document, text) == outcome(parse_tree, text)


@pytest.mark.parametrize(
    "case", sorted((Path(__file__).parent.parent / "data" / "recipes" / "v0").glob("*"))
)
def test_fixture_shaped_text_equals_the_whole_parse(case: Path) -> None:
    # Jinja left in place is YAML text too; both parses must still agree.
    text = (case / "meta.yaml").read_text(encoding="utf-8").replace("{%", "#").replace("{{", "x{")
    assert outcome(parse_document, text) == outcome(parse_tree, text)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts yaml_chunks hands to the YAML parser from now on."""
    texts: list[str] = []

    def counting(text: str, path: str, line_offset: int = 0) -> YNode | None:
        texts.append(text)
        return parse_tree(text, path, line_offset)

    monkeypatch.setattr(yaml_chunks, "parse_tree", counting)
    return texts


def test_an_output_item_is_parsed_again_only_in_its_changed_keys(parsed: list[str]) -> None:
    item = "  - name: {0}-lib\n    build:\n      number: 1\n    requirements:\n      run:\n"
    text = (
        "package:\n  name: {0}\noutputs:\n"
        + item
        + "        - {1}\n    test:\n      commands: [t]\n"
    )
    first, second = text.format("chunk7", "zlib"), text.format("chunk7", "xz")
    assert parse_document(first, "m") == parse_tree(first, "m")
    parsed.clear()
    assert parse_document(second, "m") == parse_tree(second, "m")
    assert parsed == ["    requirements:\n      run:\n        - xz\n"]
    pieced, whole = parse_document(second, "m"), parse_tree(second, "m")
    assert isinstance(pieced, YMap) and isinstance(whole, YMap)
    columns = []
    for tree in (pieced, whole):
        outputs = tree.entries["outputs"]
        assert isinstance(outputs, YSeq) and isinstance(outputs.items[0], YMap)
        columns.append(outputs.items[0].key_columns)
    assert columns[0] == columns[1] == {"name": 5, "build": 5, "requirements": 5, "test": 5}


def layout(node: YNode | None) -> object:
    """Everything a node holds, positions included (node equality leaves columns out)."""
    if isinstance(node, YMap):
        entries = {key: layout(value) for key, value in node.entries.items()}
        return ("map", node.line, node.size, entries, node.key_lines, node.key_columns)
    if isinstance(node, YSeq):
        return ("seq", node.line, node.size, [layout(item) for item in node.items])
    return node if node is None else ("scalar", node.value, node.line, node.column, node.size)


def test_a_piece_met_again_at_another_line_is_moved_not_parsed_again(parsed: list[str]) -> None:
    item = (
        "  - name: moved8-lib\n    test:\n      commands:\n        - a: &x b\n"
        "        - *x\n        - {k: v,\n           w: ''}\n    about: {summary: s}\n"
    )
    first = "package:\n  name: moved8\noutputs:\n" + item
    second = "package:\n  name: moved8\n  version: 1\noutputs:\n" + item
    parse_document(first, "m")
    parsed.clear()
    moved = parse_document(second, "m")
    assert parsed == ["package:\n  name: moved8\n  version: 1\n"]
    whole = parse_tree(second, "m")
    assert isinstance(moved, YMap) and isinstance(whole, YMap)
    # (a piecewise parse leaves the top level's key columns out, moved or not)
    assert layout(moved)[:5] == layout(whole)[:5]  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "package:\n  name: a\n\ufeffbuild:\n  number: 1\n",
        "package:\n  name: a\noutputs:\n  - name: x\n    build: {number: 1}\n\ufeff  y: 2\n",
        "package:\n  name: a\noutputs:\n  - name: x\n    build:\n      number: 1\n"
        "\ufeff    requirements:\n      - a\n",
    ],
)
def test_a_byte_order_mark_inside_the_text_reads_as_in_the_whole_parse(text: str) -> None:
    # Only the stream's first character may be a byte order mark the parser drops: one that
    # opens a later piece is part of a key in the whole text, not to be dropped with it.
    assert outcome(parse_document, text) == outcome(parse_tree, text)
    assert outcome(parse_document, "\ufeff" + text) == outcome(parse_tree, "\ufeff" + text)


@pytest.mark.parametrize(
    "text",
    [
        "#\n  \t \t\nx: 'quoted\n  \tmultiline'\n",
        "x:\t'quoted\n  multiline'\noutputs:\n  - name: o2\n    script: |\n     \techo hi\n",
    ],
)
def test_a_tab_anywhere_reads_as_in_the_whole_parse(text: str) -> None:
    # The YAML parser takes a tab differently by what precedes and follows it: the whole text
    # decides (a piece alone accepted what the whole refuses).
    assert outcome(parse_document, text) == outcome(parse_tree, text)


@pytest.mark.parametrize(
    "text",
    [
        "# co\x0bment\nabout:\n  summary: s\n",
        "package:\n  name: a\noutputs: \n# com\x1cent\n  - name: o6\n",
        "package:\n  name: a\noutputs:\u3000 # c\n  - name: o9\n  - name: o1\n",
        " \x0c \n#\npackage:\n  name: a\n",
        "\u00a0\npackage:\n  name: a\n",
    ],
)
def test_white_space_and_characters_yaml_refuses_between_pieces_read_as_in_the_whole_parse(
    text: str,
) -> None:
    # Blank to Python's \s, not to YAML (U+3000, U+00A0), or refused by the YAML reader in a
    # comment or a blank line no piece holds (\x0b, \x0c, \x1c).
    assert outcome(parse_document, text) == outcome(parse_tree, text)


# ASCII, one byte per character (both deleting bytes), wider characters (the pattern), pin
# placeholders only (deleted, then the bytes), placeholders and other wide characters.
@pytest.mark.parametrize("prefix", ["", "é", "\u0100", "\ue0000\ue001", "\ue001\ue000\u0100"])
def test_refused_characters_found_alike_in_every_kind_of_text(prefix: str) -> None:
    for code in [*range(0xA1), 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000]:
        text = f"{prefix}key: a{chr(code)}b\n"
        found = yaml_chunks._NON_PRINTABLE.search(text) is not None
        assert yaml_chunks._has_non_printable(text) is found, hex(code)
