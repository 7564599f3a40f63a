"""YAML that parses but that convert's round-trip loader chokes on is an issue with a line."""

from __future__ import annotations

import time

import pytest
from ruamel.yaml import YAML

from smithy.convert.feedstock import rattler_build_config
from smithy.convert.recipe_text import convert_recipe_text
from smithy.errors import ConfigError

META = """\
package:
  name: foo
  version: "1.0"
build: &common
  number: 0
"""


def test_merge_key_into_a_section_converts_without_crashing() -> None:
    text = META + "about:\n  <<: *common\n  license: MIT\n"
    converted = convert_recipe_text(text)
    assert converted.text, converted.issues
    doc = YAML(typ="safe").load(converted.text)
    assert doc["about"]["license"] == "MIT"
    assert doc["build"]["number"] == 0


def test_merge_key_at_the_top_is_reported_not_a_crash() -> None:
    text = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n" + META
    converted = convert_recipe_text(text)
    messages = [issue.message for issue in converted.issues]
    assert messages == [
        "key 'base' has no recipe.yaml equivalent",
        "key 'other' has no recipe.yaml equivalent",
    ]


def test_an_integer_past_the_digit_limit_is_an_issue_at_its_line() -> None:
    converted = convert_recipe_text(META + "extra:\n  n: " + "9" * 5000 + "\n")
    assert converted.text == ""
    (issue,) = converted.issues
    assert (issue.line, issue.message) == (
        7,
        "not YAML after conversion: a number longer than 4300 digits",
    )


def test_an_alias_bomb_is_an_issue_at_its_key_not_an_endless_walk() -> None:
    lines = ["bomb:", "  a: &a", *["    - x"] * 9]
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        lines += [f"  {level}: &{level}", *[f"    - *{previous}"] * 9]
    started = time.process_time()
    converted = convert_recipe_text(META + "\n".join(lines) + "\n")
    assert time.process_time() - started < 5.0
    assert [(i.line, i.message) for i in converted.issues] == [
        (6, "YAML expands to more than 200000 values")
    ]


def test_conda_forge_yml_with_a_huge_integer_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="invalid YAML"):
        rattler_build_config("clone_depth: " + "9" * 5000 + "\n", "conda-forge.yml")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("github: {branch_name: main}\n---\nprovider: {}\n", 2),
        ("github:\n  branch_name: main\n bad: 1\n", 3),
    ],
)
def test_conda_forge_yml_that_convert_cannot_keep_is_refused_at_its_line(
    text: str, line: int
) -> None:
    # ruamel's message spanned several lines, with no line in the span.
    with pytest.raises(ConfigError, match=": error: invalid YAML") as info:
        rattler_build_config(text, "conda-forge.yml")
    assert info.value.span is not None and info.value.span.line == line
    assert "\n" not in str(info.value) and "unicode string" not in str(info.value)


@pytest.mark.parametrize(
    ("section", "value", "message"),
    [
        ("package", "1", "the package section must be a mapping"),
        ("build", "\n  - a", "the build section must be a mapping"),
        ("about", "'x'", "the about section must be a mapping"),
        ("source", "3", "the source section must be a mapping or a list"),
        ("outputs", "{a: 1}", "the outputs section must be a list"),
    ],
)
def test_a_section_of_the_wrong_kind_is_an_issue_at_its_line(
    section: str, value: str, message: str
) -> None:
    # (no flow list at a line's end: conda-build reads ``[x]`` there as a selector)
    text = '{% set v = "1" %}\nrequirements:\n  host:\n    - python\n' + f"{section}: {value}\n"
    converted = convert_recipe_text(text)
    assert converted.text == ""
    assert [(i.line, i.message) for i in converted.issues] == [(5, message)]
