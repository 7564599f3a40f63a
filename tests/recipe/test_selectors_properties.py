"""Property tests: selectors fail only with SelectorError and agree with references."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smithy.errors import SelectorError, Span
from smithy.platforms import selector_namespace
from smithy.recipe.selectors import (
    SELECTOR_PATTERN,
    apply_line_selectors,
    evaluate_selector,
    selector_names_in_text,
    split_selector,
    split_selector_lines,
)

SPAN = Span("recipe.yaml", 1)
ENV = {"BUILD_PLATFORM": "linux-64", "CF_CUDA_ENABLED": "True"}
FUNCTIONS = {"match": lambda value, spec: str(value).startswith(str(spec))}

# Truth table written by hand (conda-build's definitions), independent of smithy.platforms.
TABLE: dict[str, dict[str, bool]] = {
    platform: {name: name in true_names for name in ("linux", "osx", "win", "unix", "x86_64")}
    | {"aarch64": "aarch64" in platform, "arm64": platform.endswith("arm64")}
    for platform, true_names in {
        "linux-64": {"linux", "unix", "x86_64"},
        "linux-aarch64": {"linux", "unix"},
        "linux-ppc64le": {"linux", "unix"},
        "osx-64": {"osx", "unix", "x86_64"},
        "osx-arm64": {"osx", "unix"},
        "win-64": {"win", "x86_64"},
        "win-arm64": {"win"},
    }.items()
}
NAMES = sorted(TABLE["linux-64"])

LINE_PIECES = [*"ab #[]()'\"\t\r.=!<>_-01,:", "linux", "win", "or", "not", "- x", "  "]
LINE_PIECES += ["# ", "[a]", "[ b ]", "[win]", "x]", "[y", "[[", "]]", "](", ")[", "#[c]"]
lines = st.lists(st.sampled_from(LINE_PIECES), max_size=14).map("".join)
texts = st.lists(lines | st.text(max_size=40), max_size=12).map("\n".join)

TOKENS = [
    *NAMES,
    "py",
    "mpi",
    "target_platform",
    "bogus",
    "and",
    "or",
    "not",
    "in",
    "is",
    "==",
    "!=",
    "<",
    ">=",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    ":",
    "|",
    "~",
    "+",
    "-",
    "*",
    "lambda",
    "for",
    "if",
    "else",
    "True",
    "false",
    "none",
    "None",
    "1",
    "311",
    "'linux-64'",
    '"x"',
    "os.environ.get",
    "environ",
    "env.get",
    "os.getenv",
    ".startswith",
    ".lower",
    ".replace",
    ".split",
    "__class__",
    "__import__",
    "match",
    "open",
    "${{",
    "}}",
    "\n",
    ":=",
    "**",
]
token_soup = st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join)
glued_soup = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_random_text_only_raises_selector_error(text: str) -> None:
    namespace = selector_namespace("linux-64")
    try:
        out = apply_line_selectors(text, namespace, env=ENV, path="m.yaml")
    except SelectorError:
        return
    assert out.count("\n") == text.count("\n")
    assert isinstance(selector_names_in_text(text), frozenset)


def conda_build_split(line: str) -> tuple[str, str | None]:
    # Reference: conda-build's per-line rules applied with SELECTOR_PATTERN itself.
    stripped = line.rstrip()
    if not stripped or stripped.lstrip().startswith("#"):
        return line, None
    match = SELECTOR_PATTERN.match(stripped)
    if match is None:
        return line, None
    quote = stripped[-1] if stripped[-1] in "'\"" else ""
    return (match.group(1) + quote).rstrip(), match.group(3).strip()


@settings(max_examples=1000, deadline=None)
@given(lines | st.text(max_size=30).filter(lambda text: "\n" not in text))
def test_split_selector_matches_the_conda_build_regex(line: str) -> None:
    assert split_selector(line) == conda_build_split(line)


@settings(max_examples=600, deadline=None)
@given(token_soup | glued_soup)
def test_random_expressions_only_raise_selector_error(expression: str) -> None:
    namespace = selector_namespace("osx-arm64", {"mpi": "openmpi"})
    try:
        value = evaluate_selector(expression, namespace, env=ENV, span=SPAN, functions=FUNCTIONS)
    except SelectorError as exc:
        assert exc.span == SPAN
        assert "\n" not in str(exc)
    else:
        assert isinstance(value, bool)


Tree = tuple[object, ...]
leaves = st.sampled_from(NAMES).map(lambda name: ("name", name)) | st.sampled_from(
    ["true", "false", "True", "False"]
).map(lambda word: ("const", word))
trees = st.recursive(
    leaves,
    lambda children: (
        st.tuples(st.just("not"), children)
        | st.tuples(st.sampled_from(["and", "or", "==", "!="]), children, children)
    ),
    max_leaves=12,
)


def render(tree: Tree) -> str:
    kind = tree[0]
    if kind in ("name", "const"):
        return str(tree[1])
    if kind == "not":
        return f"not ({render(tree[1])})"  # type: ignore[arg-type]
    return f"({render(tree[1])}) {kind} ({render(tree[2])})"  # type: ignore[arg-type]


def reference(tree: Tree, truth: dict[str, bool]) -> bool:
    kind = tree[0]
    if kind == "name":
        return truth[str(tree[1])]
    if kind == "const":
        return str(tree[1]).lower() == "true"
    if kind == "not":
        return not reference(tree[1], truth)  # type: ignore[arg-type]
    left, right = reference(tree[1], truth), reference(tree[2], truth)  # type: ignore[arg-type]
    return {
        "and": left and right,
        "or": left or right,
        "==": left == right,
        "!=": left != right,
    }[str(kind)]


@settings(max_examples=300, deadline=None)
@given(trees, st.sampled_from(sorted(TABLE)))
def test_boolean_expressions_agree_with_truth_table(tree: Tree, platform: str) -> None:
    namespace = selector_namespace(platform)
    got = evaluate_selector(render(tree), namespace, env={}, span=SPAN)
    assert got is reference(tree, TABLE[platform])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                " ",
                "#",
                "[",
                "]",
                "x",
                "\n",
                "\r",
                "win",
                "'",
                "(",
                ")",
                "  # [linux]\n",
                "[py>3]",
                "]\n[",
            ]
        ),
        max_size=40,
    )
)
def test_selector_lines_are_the_lines_split_selector_finds(parts: list[str]) -> None:
    # The text is scanned for "]" instead of line by line: it must find the same lines.
    text = "".join(parts)
    lines, selected = split_selector_lines(text)
    assert lines == tuple(text.split("\n"))
    expected = [i for i, line in enumerate(lines) if split_selector(line)[1] is not None]
    assert [index for index, _ in selected] == expected
