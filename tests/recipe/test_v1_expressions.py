"""Tests for the sandboxed ``${{ }}`` jinja of recipe.yaml (smithy.recipe.v1_expressions)."""

from __future__ import annotations

from typing import Any

import pytest

from smithy.errors import JinjaError, Span
from smithy.recipe.v1_expressions import (
    Scope,
    evaluate_value,
    has_template,
    parse_rendered,
    render_template,
    template_names,
)
from smithy.recipe.v1_functions import condition_names, recipe_functions
from smithy.recipe.v1_sandbox import version_to_buildstring

SPAN = Span("recipe.yaml", 9)


def scope(
    variant: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    unset: frozenset[str] = frozenset(),
    platform: str = "linux-64",
) -> Scope:
    variant = variant or {}
    result = Scope(
        target_platform=platform,
        variant=variant,
        env=env or {},
        recipe_dir=None,
        variables=condition_names(platform, platform, variant),
        variant_keys=frozenset(variant) | unset,
        unset_names=unset,
    )
    result.functions = recipe_functions(result)
    return result


def show(text: str, **kwargs: Any) -> str:
    return render_template(text, scope(**kwargs), SPAN)


def test_has_template() -> None:
    assert has_template("a ${{ b }}")
    assert not has_template("plain $PREFIX {{ old }}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${{ '1.2.3' | split('.') | join('-') }}", "1-2-3"),
        ("${{ ('1.2.3' | split('.'))[:2] | join('.') }}", "1.2"),
        ("${{ 'a b  c' | split | length }}", "3"),
        ("${{ '3.12.* *_cpython' | version_to_buildstring }}", "312"),
        ("${{ '1.2.3' | replace('.', '') }}", "123"),
        ("${{ 'Abc' | lower }}${{ 'x' | upper }}", "abcX"),
        ("${{ '42' | int + 1 }}", "43"),
        ("${{ [3, 1, 2] | sort | first }}-${{ [1, 2, 3] | last }}", "1-3"),
        ("${{ [1, 2, 1] | unique | list | length }}", "2"),
        ("${{ '' | default('fallback') }}", ""),
        ("${{ undefined_name | default('fallback') }}", "fallback"),
        ("${{ ' x ' | trim }}", "x"),
        ("${{ 'abc' is startingwith('ab') }}", "true"),
        ("${{ linux and x86_64 }} ${{ win }}", "true false"),
        ("${{ target_platform }} ${{ host_platform }} ${{ SHLIB_EXT }}", "linux-64 linux-64 .so"),
        ("${{ 'v' ~ 1 }}", "v1"),
        ("{# a comment #}${{ 1 }}", "1"),
    ],
)
def test_filters_and_names(text: str, expected: str) -> None:
    assert show(text) == expected


def test_variant_values_are_strings_except_booleans() -> None:
    variant = {"polars_runtime": "32", "is_abi3": "false", "python": "3.12"}
    assert show("${{ polars_runtime == '32' }}", variant=variant) == "true"
    assert show("${{ 'abi3' if is_abi3 else 'plain' }}", variant=variant) == "plain"
    assert show("${{ python }}", variant=variant) == "3.12"


def test_unset_known_key_reads_as_undefined() -> None:
    assert show("[${{ cuda }}]", unset=frozenset({"cuda"})) == "[]"
    assert show("${{ 'gpu' if cuda else 'cpu' }}", unset=frozenset({"cuda"})) == "cpu"
    with pytest.raises(JinjaError, match="'cuda' is undefined") as info:
        show("${{ cuda }}")
    assert info.value.span == SPAN


def test_late_bound_names_stay_as_written() -> None:
    assert show("${{ PYTHON }} -m pip install ${{ 'x' }}") == "${{ PYTHON }} -m pip install x"
    assert show("h${{ hash }}_0") == "h${{ hash }}_0"


def test_lenient_keeps_text_with_undefined_names() -> None:
    text = "echo ${{ SP_DIR }}"
    assert render_template(text, scope(), SPAN, lenient=True) == text
    with pytest.raises(JinjaError):
        render_template(text, scope(), SPAN)


def test_env_object_reads_the_given_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FROM_PROCESS", "leak")
    env = {"FLAVOR": "fancy"}
    assert show("${{ env.get('FLAVOR') }}", env=env) == "fancy"
    assert show("${{ env.get('MISSING', default='d') }}", env=env) == "d"
    assert show("${{ env.exists('FLAVOR') }} ${{ env.exists('FROM_PROCESS') }}", env=env) == (
        "true false"
    )
    with pytest.raises(JinjaError, match="FROM_PROCESS is not set"):
        show("${{ env.get('FROM_PROCESS') }}", env=env)


def test_evaluate_value_keeps_types() -> None:
    current = scope({"python": "3.12"})
    assert evaluate_value("${{ '1.2' | split('.') }}", current, SPAN) == ["1", "2"]
    assert evaluate_value("${{ 40 + 2 }}", current, SPAN) == 42
    assert evaluate_value("${{ python == '3.12' }}", current, SPAN) is True
    assert evaluate_value("py${{ python }}", current, SPAN) == "py3.12"
    assert evaluate_value("${{ 7 }}-${{ 1 }}", current, SPAN) == "7-1"
    assert current.used == {"python"}
    unset = scope(unset=frozenset({"cuda"}))
    assert evaluate_value("${{ cuda }}", unset, SPAN) is None
    with pytest.raises(JinjaError, match="undefined"):
        evaluate_value("${{ 1 if false }}", scope(), SPAN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("False", False), ("12", 12), ("-3", -3), ("1.10", "1.10"), (" x", " x")],
)
def test_parse_rendered(text: str, expected: object) -> None:
    assert parse_rendered(text) == expected


def test_template_names_and_used_variables() -> None:
    assert template_names("${{ a ~ b | default(c) }} ${{ compiler('c') }}", SPAN) == {
        "a",
        "b",
        "c",
        "compiler",
    }
    current = scope({"python": "3.12", "numpy": "2", "c_compiler_version": "14"})
    render_template("${{ python }} ${{ compiler('c') }}", current, SPAN)
    assert current.used == {"python", "c_compiler_version"}
    current.define("numpy", "1.26")
    render_template("${{ numpy }}", current, SPAN)
    assert "numpy" not in current.used  # the context variable shadows the variant key


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${{ ''.__class__.__mro__ }}", "'__class__' is not allowed"),
        ("${{ cycler.__init__.__globals__ }}", "'__init__' is not allowed|'cycler' is undefined"),
        ("${{ joiner() }}", "'joiner' is undefined"),
        ("${{ 'a'.upper() }}", "no method 'upper'"),
        ("${{ '{0}'.format(1) }}", "no method 'format'"),
        ("${{ 'x' * 2000000 }}", "beyond"),
        ("${{ [1] * 2000000 }}", "beyond"),
        ("${{ 2 ** 1000000 }}", "too large"),
        ("${{ ('x' * 999999) | replace('x', 'yy') }}", "beyond"),
        ("${{ '%s' % 1 }}", "formatting"),
        ("${{ 1 / 0 }}", "division"),
        ("${{ " + "(" * 400 + "1" + ")" * 400 + " }}", "bad jinja|nested"),
        ("${{ load_from_file('/etc/passwd') }}", "refuses it"),
        ("${{ x }}{% for i in y %}{% endfor %}", "blocks are not supported"),
    ],
)
def test_sandbox_refuses(text: str, message: str) -> None:
    with pytest.raises(JinjaError, match=message) as info:
        show(text)
    assert info.value.span == SPAN


def test_version_to_buildstring() -> None:
    assert version_to_buildstring("3.12") == "312"
    assert version_to_buildstring("3.9.* *_cpython") == "39"
    assert version_to_buildstring("12") == "12"
    assert version_to_buildstring("") == ""


def test_a_context_name_changes_what_templates_see_but_never_a_function_or_env() -> None:
    current = scope({"python": "3.12"}, env={"A": "from-env"}, unset=frozenset({"cuda"}))
    assert render_template("${{ python }}|${{ cuda is defined }}", current, SPAN) == "3.12|false"
    current.define("python", "3.13")
    current.define("cuda", "12")
    current.define("match", "shadowed")
    current.define("env", "shadowed")
    text = "${{ python }}|${{ cuda }}|${{ match(python, '>=3.13') }}|${{ env.get('A') }}"
    assert render_template(text, current, SPAN) == "3.13|12|true|from-env"
