"""One way to find and replace a variable read inside jinja expression text."""

from __future__ import annotations

import pytest

from smithy.convert.jinja_names import reads_name, replace_name


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("x", "(1)"),
        ("x + x_y + y_x", "(1) + x_y + y_x"),  # longer words stay
        ("x ~ \"x\" ~ 'x'", "(1) ~ \"x\" ~ 'x'"),  # string literals stay
        ('"a\\"x" ~ x', '"a\\"x" ~ (1)'),  # an escaped quote does not end the string
        ("env.x ~ x.upper()", "env.x ~ (1).upper()"),  # an attribute stays, a read goes
        ("x(1) ~ f(x=2) ~ f(a=x)", "x(1) ~ f(x=2) ~ f(a=(1))"),  # calls and keywords stay
        ("x == 2 and x!=3 and x>=4", "(1) == 2 and (1)!=3 and (1)>=4"),  # comparisons read
        ("[x, 2][x]", "[(1), 2][(1)]"),
    ],
)
def test_replace_name_replaces_only_reads_of_the_variable(expression: str, expected: str) -> None:
    assert replace_name(expression, "x", "(1)") == expected
    assert reads_name(expression, "x") is (expected != expression)


def test_replacement_text_is_not_a_regex_template() -> None:
    assert replace_name("x", "x", r"\1 \g<0>") == r"\1 \g<0>"


def test_names_are_not_found_where_they_are_not_read() -> None:
    assert not reads_name('"PKG_VERSION"', "PKG_VERSION")
    assert not reads_name("PKG_VERSION_2", "PKG_VERSION")
    assert reads_name("PKG_VERSION | replace('.', '')", "PKG_VERSION")
