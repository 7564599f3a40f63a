"""conda-build's text cuts and per-line key scan, done faster, give conda-build's answers."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from smithy.recipe import used_vars
from smithy.recipe.recipe_cuts import RecipeText, output_blocks, requirement_text
from smithy.recipe.used_vars import keys_in_text

DATA = Path(__file__).resolve().parents[1] / "data"
RECIPES = sorted(DATA.rglob("meta.yaml"))

# conda-build's own patterns (conda_build/variants.py), the reference for the cuts.
OUTPUTS = re.compile(r"(^outputs:.*?)(?=^test:|^extra:|^about:|\Z)", re.MULTILINE | re.DOTALL)
OUTPUT_BLOCK = re.compile(
    r"^\ +-\ +(?:name|type):.+?(?=^\w|\Z|^\ +-\ +(?:name|type))", re.MULTILINE | re.DOTALL
)
REQUIREMENTS = re.compile(r"requirements:.+?(?=^\w|\Z|^\s+-\s(?=name|type))", re.M | re.S)

# Lines built from the pieces the cuts look for, in any order.
PIECES = st.sampled_from(
    [
        "outputs:",
        "test:",
        "about:",
        "extra:",
        "  - name: a",
        "  - name:",
        "  - type: b",
        "   -  name: c",
        "  requirements:",
        "requirements:",
        "    - python",
        "x",
        "",
        " ",
        "\t- name: d",
        "  -\tname: e",
        "name: f",
    ]
)
TEXTS = st.lists(PIECES, max_size=14).map("\n".join) | st.text(
    alphabet=st.sampled_from("outpusnamerqi:- \n\tx"), max_size=60
)


def _reference_split(text: str) -> tuple[str, tuple[str, ...]]:
    match = OUTPUTS.search(text)
    section = match.group(1) if match else ""
    blocks = tuple(OUTPUT_BLOCK.findall(section)) if section else ()
    top = text.replace(section.strip(), "") if section.strip() else text
    return top, blocks


def _reference_requirements(text: str) -> str:
    match = REQUIREMENTS.search(text)
    return match.group() if match else ""


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_cuts_equal_conda_builds_patterns(text: str) -> None:
    split = RecipeText.split(text)
    assert (split.top, split.outputs) == _reference_split(text)
    assert requirement_text(text) == _reference_requirements(text)
    section = OUTPUTS.search(text)
    if section is not None:
        assert tuple(output_blocks(section.group(1))) == tuple(
            OUTPUT_BLOCK.findall(section.group(1))
        )


@settings(max_examples=200, deadline=None)
@example("  - name: a\n    x: 1\n  - name: b\n")  # a block at the very start
@given(TEXTS)
def test_blocks_of_any_text_equal_conda_builds(text: str) -> None:
    assert tuple(output_blocks(text)) == tuple(OUTPUT_BLOCK.findall(text))


def test_cuts_of_the_fixture_recipes_equal_conda_builds() -> None:
    assert RECIPES
    for recipe in RECIPES:
        text = recipe.read_text(encoding="utf-8")
        split = RecipeText.split(text)
        assert (split.top, split.outputs) == _reference_split(text), recipe
        for block in (split.top, *split.outputs):
            assert requirement_text(block) == _reference_requirements(block), recipe


KEYS = frozenset(
    {"python", "numpy", "c_compiler", "c_compiler_version", "cxx_compiler", "cdt_name"}
    | {"libpng", "zlib", "cuda_compiler_version", "blas_impl", "CONDA_BUILD_SYSROOT"}
)
LINES = [
    "    - {{ compiler('c') }}",
    "    - {{ compiler('cxx') }}  # [linux]",
    "    - python",
    "    - numpy >=1.2",
    "    - {{ pin_compatible('numpy') }}",
    "{% if cuda_compiler_version != 'None' %}",
    "    - {{ cdt('mesa') }}",
    "    - libpng  # [blas_impl == 'mkl']",
    "    - zlib-ng",
    "    - z",
]


def _scan_alone(text: str, keys: frozenset[str], selectors_only: bool) -> frozenset[str]:
    used_vars.clear_caches()
    return keys_in_text(text, keys, selectors_only)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(LINES), max_size=8).map("\n".join),
    st.lists(st.frozensets(st.sampled_from(sorted(KEYS))), min_size=1, max_size=4),
    st.booleans(),
)
def test_a_line_scanned_for_several_key_sets_answers_as_scanned_alone(
    text: str, key_sets: list[frozenset[str]], selectors_only: bool
) -> None:
    expected = [_scan_alone(text, keys, selectors_only) for keys in key_sets]
    used_vars.clear_caches()
    got = [keys_in_text(text, keys, selectors_only) for keys in key_sets]
    assert got == expected


def test_the_scan_finds_conda_builds_keys() -> None:
    text = "\n".join(LINES)
    assert _scan_alone(text, KEYS, False) == {
        "c_compiler",
        "c_compiler_version",
        "cxx_compiler",
        "python",
        "numpy",
        "cuda_compiler_version",
        "cdt_name",
        "libpng",
        "CONDA_BUILD_SYSROOT",
    }
    assert _scan_alone(text, KEYS, True) == {"blas_impl"}


_LANGUAGE_KEY = re.compile(r"(.*?)_(compiler|stdlib)(_version)?$")


def _conda_build_pattern(key: str, selectors_only: bool) -> re.Pattern[str]:
    """conda-build's per-key search (conda_build/variants.py): every rule in one alternation."""
    escaped = re.escape(key)
    if selectors_only:
        return re.compile(rf"^[^#\[]*?\#?\s\[[^\]]*?(?<![_\w\d]){escaped}[=\s<>!\]]")
    rules: list[str] = []
    language = _LANGUAGE_KEY.match(key)
    if language:
        kind, lang = language.group(2), re.escape(language.group(1))
        rules.append(rf"\{{\s*{kind}\(['\"]{lang}[\"'][^\{{]*?\}}")
    elif key.startswith("cdt_"):
        rules.append(r"\{\s*cdt\(")
    as_requirement = "[-_]".join(map(re.escape, key.split("_")))
    rules += [
        rf"\{{\s*(?:pin_[a-z]+\(\s*?['\"])?{escaped}(?:[^_0-9a-zA-Z].*?)?\}}\}}",
        rf"^\s+\-\s+{as_requirement}\s*(?:\s[\[#]|$)",
        r"(?:^|[^\{])\{%\s*(?:el)?if\s*.*" + escaped + r"\s*(?:[^%]*?)?%\}",
        r"(?:^|[^\{])\{%\s*for\s*.*\s*in\s*" + escaped + r"(?![a-zA-Z_0-9])(?:[^%]*?)?%\}",
        r"(?:^|[^\{])\{%\s*set\s*.*\s*=\s*.*(?<![a-zA-Z_0-9])"
        + escaped
        + r"(?![a-zA-Z_0-9])(?:[^%]*?)?%\}",
    ]
    return re.compile("|".join(rules))


def _reference_line_scan(line: str, keys: frozenset[str], selectors_only: bool) -> frozenset[str]:
    """Every key's rule tried on the line (the scan before its word and character shortcuts)."""
    flat = line.replace("-", "_")
    used = set()
    for key in keys:
        call, word = used_vars._line_test(key, selectors_only)
        if call is None or word is None:
            hit = key in flat
        else:
            hit = (key in flat and (key in line or word in line)) or (call in line and word in line)
        if hit and _conda_build_pattern(key, selectors_only).search(line):
            used.add(key)
    return frozenset(used)


SCAN_KEYS = ["c", "py", "python", "zlib_ng", "foo-bar", "café", "x.y", "cdt_name", "c_compiler"]
FRAGMENTS = st.sampled_from(
    [
        *SCAN_KEYS,
        *("{{ ", " }}", "}}", "{% if ", "{% for v in ", "{% set y = ", " %}", "{%"),
        *("  - ", "- ", " ", "[", "]", " # [", " == 1]", "#", "compiler('c')", "cdt('x')"),
        *("pin_compatible('", "'", "_", "-", "x", ".", "é", "3", "{", "}", "(", ")", "\t"),
    ]
)


@settings(max_examples=600, deadline=None)
@example("{% if xpython %}", frozenset({"python"}), False)  # a key inside a longer name
@example("{{ py-x }}", frozenset({"py"}), False)  # a word of the line, not of its `_` form
@example("  - zlib-ng  # [c==1]", frozenset({"zlib_ng", "c"}), False)
@example("  - zlib-ng  # [c==1]", frozenset({"zlib_ng", "c"}), True)
# One per group of rules smithy searches only on lines that can match it (see _groups_for).
@example("\t-\tc", frozenset({"c"}), False)
@example("{ compiler('c') }", frozenset({"c_compiler"}), False)
@example("{%for v in py%}", frozenset({"py"}), False)
@given(
    st.lists(FRAGMENTS, max_size=10).map("".join),
    st.frozensets(st.sampled_from(SCAN_KEYS), min_size=1),
    st.booleans(),
)
def test_the_line_scan_equals_every_rule_tried(
    line: str, keys: frozenset[str], selectors_only: bool
) -> None:
    used_vars.clear_caches()
    # No CONDA_BUILD_SYSROOT among the keys: the text's answer is the line's.
    assert keys_in_text(line, keys, selectors_only) == _reference_line_scan(
        line, keys, selectors_only
    )


def test_the_fixture_recipes_scan_as_every_rule_tried() -> None:
    keys = frozenset(SCAN_KEYS) | KEYS
    for recipe in RECIPES:
        for line in recipe.read_text(encoding="utf-8").split("\n"):
            for selectors_only in (False, True):
                used_vars.clear_caches()
                expected = _reference_line_scan(line, keys, selectors_only)
                got = used_vars._keys_on_line(line, keys, selectors_only)
                assert got == expected, (recipe, line)


# Recipe lines around outputs: the top level and blocks both name keys, in text, selectors and
# requirements (a requirements part of the top level may run on into the first block).
RECIPE_LINES = st.sampled_from(
    [
        *LINES,
        *("outputs:", "about:", "requirements:", "  requirements:", "  host:", "build:"),
        *("  - name: a", "  - name: b", "   -  name: c", "  - type: d", "x: 1", ""),
        *("    - zlib  # [blas_impl == 'mkl']", "  - {{ compiler('c') }}  # [linux]"),
    ]
)


def _texts(lines: list[str], unselected_extra: str, final_newline: bool) -> tuple[str, str]:
    selected = "\n".join(lines) + ("\n" if final_newline else "")
    return selected, selected.replace("- python", f"- python  # [{unselected_extra}]")


@settings(max_examples=300, deadline=None)
@example(["requirements:", "    - python", "outputs:", "  - name: a", "    - numpy"], "x", True)
@example(["outputs:", "  - name: a", "    - {{ compiler('c') }}", "about:", "x: 1"], "x", False)
# A top level ending inside a line: its last line and the block's first are one line joined.
@example(["outputs:", "  - name: a", "    - numpy", "about:", "    - python"], "x", False)
@given(
    st.lists(RECIPE_LINES, max_size=16),
    st.sampled_from(["linux", "blas_impl == 'mkl'", "zlib"]),
    st.booleans(),
)
def test_an_outputs_uses_with_the_top_level_equal_the_joined_texts_scan(
    lines: list[str], unselected_extra: str, final_newline: bool
) -> None:
    """The top level is scanned once per text and joined to each block's answer."""
    selected_text, unselected_text = _texts(lines, unselected_extra, final_newline)
    selected, unselected = RecipeText.split(selected_text), RecipeText.split(unselected_text)
    for index in range(len(selected.outputs) + 1):
        used_vars.clear_caches()
        block, raw_block = selected.output(index), unselected.output(index)
        expected = used_vars._text_uses(selected.top + block, unselected.top + raw_block, KEYS)
        alone = used_vars._text_uses(block, raw_block, KEYS)
        used_vars.clear_caches()
        got = used_vars.output_text_uses(selected, unselected, index, KEYS)
        assert got == (expected, alone)
