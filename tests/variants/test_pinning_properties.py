"""Property tests: random variant files only ever raise SmithyError; the fast YAML path agrees
with ruamel wherever it accepts a text; well-formed pinnings load back exactly."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smithy.errors import SmithyError
from smithy.variants import yaml_tree
from smithy.variants.expand import combinations
from smithy.variants.pinning import check_zip_keys, load_variant_file, merge_variant_configs
from smithy.variants.yaml_tree import Map, Node, Scalar, Seq

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = [
    "- ", "-", "key:", "a: ", "b:", "zip_keys:", "pin_run_as_build:", "extend_keys:", "if: ",
    "then: ", "else: ", "python", "numpy", "'q''x'", "'", '"d"', '"', "[a, b]", "[[a], [b]]",
    "{k: v}", "{k: {m: n}}", "[", "]", "{", "}", ",", ":", "#", " # c", "# [linux]", "# [win]",
    '# [os.environ.get("BUILD_PLATFORM") == "linux-64"]', "# [unknown_name]", "# [1 +]",
    "&a ", "*a", "!!str ", "|", ">", "? ", "%YAML", "---", "...", "3.10", "None", "true", "~",
    "\t", "\\", "\x85", "\u2028", "\ufeff", "\x00", "é", " ", "  ", "x.x",
]  # fmt: skip
INDENTS = ["", "", " ", "  ", "    ", "\t"]


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    """Text that looks like a variant file often enough to reach every branch."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        indent = draw(st.sampled_from(INDENTS))
        pieces = draw(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=4))
        lines.append(indent + "".join(pieces))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("props")


def _exercise(path: Path, text: str, name: str) -> None:
    path = path / name
    path.write_text(text, encoding="utf-8", newline="")
    try:
        config = load_variant_file(path, platform="linux-64", env={"BUILD_PLATFORM": "linux-64"})
        merged = merge_variant_configs(config, config)
        check_zip_keys(merged)
        combinations(merged, sorted(merged.keys())[:3])
    except SmithyError:
        pass


@SETTINGS
@given(text=yamlish())
def test_yamlish_text_only_raises_smithy_errors(folder: Path, text: str) -> None:
    _exercise(folder, text, "conda_build_config.yaml")
    _exercise(folder, text, "variants.yaml")


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_text_only_raises_smithy_errors(folder: Path, text: str) -> None:
    _exercise(folder, text, "conda_build_config.yaml")


def _shape(node: Node | None) -> object:
    """The tree with positions, except of empty scalars (whose position YAML leaves vague)."""
    if node is None or isinstance(node, Scalar):
        return node if node is None or node.value else ""
    if isinstance(node, Seq):
        return ("seq", node.line, node.column, [_shape(item) for item in node.items])
    assert isinstance(node, Map)
    return ("map", node.line, node.column, [(_shape(k), _shape(v)) for k, v in node.entries])


def _agrees_with_ruamel(text: str) -> None:
    try:
        fast = yaml_tree._parse_fast(text)
    except yaml_tree._Unsupported:
        return
    assert _shape(fast) == _shape(yaml_tree._parse_general(text, "x"))


@SETTINGS
@given(text=yamlish())
def test_fast_parser_agrees_with_ruamel_whenever_it_accepts(text: str) -> None:
    _agrees_with_ruamel(text)


PLAIN = st.text(st.sampled_from("ab1.-_:# *'\"[]{},&!|>?%@`~é"), min_size=1, max_size=6)
SCALARS = st.one_of(
    PLAIN,
    PLAIN.map(lambda text: "'" + text.replace("'", "''") + "'"),
    PLAIN.map(lambda text: '"' + text + '"'),
    st.sampled_from(["", "[]", "{}", "[a, 'b']", "[[a, b], [c]]", "{k: v, m: [n]}"]),
)
TREES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(st.sampled_from(["a", "b", "if", "then", "k_1"]), children, max_size=3)
    ),
    max_leaves=8,
)


def _render(tree: object, indent: int, draw: st.DrawFn) -> list[str]:
    """Block-style YAML for ``tree`` with randomly chosen indentation and comments."""
    pad = " " * indent
    comment = draw(st.sampled_from(["", "", "  # c", " #x"]))
    if isinstance(tree, str):
        return [pad + tree + comment]
    lines: list[str] = []
    pairs = tree.items() if isinstance(tree, dict) else [("-", item) for item in tree]
    for key, value in pairs:
        head = f"{pad}{key}" if key == "-" else f"{pad}{key}:"
        if isinstance(value, str):
            lines.append(f"{head} {value}{comment}".rstrip() if value else head)
            continue
        step = draw(st.sampled_from([1, 2, 4] + ([0] if isinstance(value, tuple) else [])))
        if key == "-" and step == 0:
            step = 2
        lines.append(head + comment)
        lines.extend(_render(value, indent + step, draw))
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Mostly valid YAML in the styles variant files use, to test the fast parser hard."""
    return "\n".join(_render(draw(TREES), draw(st.sampled_from([0, 0, 2])), draw)) + "\n"


@SETTINGS
@given(text=documents())
def test_fast_parser_agrees_with_ruamel_on_documents(text: str) -> None:
    _agrees_with_ruamel(text)


KEYS = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda key: key not in {"zip_keys", "pin_run_as_build", "extend_keys", "ignore_version"}
)
VALUES = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("éß€"), max_size=12
)


@SETTINGS
@given(pinning=st.dictionaries(KEYS, st.lists(VALUES, min_size=1, max_size=4), max_size=6))
def test_block_lists_load_back_exactly(folder: Path, pinning: dict[str, list[str]]) -> None:
    lines = []
    for key, values in pinning.items():
        lines.append(f"{key}:")
        lines.extend("  - '" + value.replace("'", "''") + "'" for value in values)
    path = folder / "variants.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = load_variant_file(path, platform="win-64", env={})
    assert {k: list(v) for k, v in config.values.items()} == pinning
    expected_lines = itertools.count(1)
    for key, values in pinning.items():
        next(expected_lines)
        assert [span.line for span in config.origins[key]] == [next(expected_lines) for _ in values]
