"""Tests for rattler-build's recipe functions and condition names (smithy.recipe.v1_functions)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from smithy.errors import JinjaError, SelectorError, Span
from smithy.recipe.v1_expressions import Scope
from smithy.recipe.v1_functions import (
    condition_names,
    condition_names_like,
    evaluate_condition,
    match,
    pin_spec,
    recipe_functions,
)

SPAN = Span("recipe.yaml", 4)

# Written by hand from rattler-build's selector table, not derived from the code.
TRUE_NAMES = {
    "linux-64": {"linux", "unix", "x86_64", "linux64"},
    "linux-aarch64": {"linux", "unix", "aarch64", "linuxaarch64"},
    "osx-arm64": {"osx", "unix", "arm64", "osxarm64"},
    "win-64": {"win", "x86_64", "win64"},
    "win-32": {"win", "x86", "win32"},
    "emscripten-wasm32": {"emscripten", "unix", "wasm32", "emscriptenwasm32"},
}


@pytest.mark.parametrize("platform", sorted(TRUE_NAMES))
def test_condition_names(platform: str) -> None:
    names = condition_names(platform, "linux-64", {"python": "3.12", "use_x": "True"})
    true_names = {key for key, value in names.items() if value is True}
    assert true_names == TRUE_NAMES[platform] | {"use_x"}
    assert names["target_platform"] == names["host_platform"] == platform
    assert names["build_platform"] == "linux-64"
    assert names["python"] == "3.12"
    for absent in ("py", "np", "py3k", "arm"):  # conda-build's names are not rattler-build's
        assert absent not in names
    assert {"ppc64le", "s390x", "riscv64", "wasi", "ios", "android"} <= names.keys()


def functions(variant: dict[str, str], platform: str = "linux-64", **kwargs: Any) -> Any:
    scope = Scope(
        target_platform=platform,
        variant=variant,
        env={},
        recipe_dir=None,
        variables={},
        variant_keys=frozenset(variant) | kwargs.get("unset", frozenset()),
        unset_names=kwargs.get("unset", frozenset()),
        pins=kwargs.get("pins", {}),
    )
    return recipe_functions(scope), scope


@pytest.mark.parametrize(
    ("platform", "variant", "lang", "expected"),
    [
        ("linux-64", {"c_compiler_version": "14"}, "c", "gcc_linux-64 14.*"),
        ("linux-64", {"cxx_compiler_version": "14.2.0"}, "cxx", "gxx_linux-64 14.2.0.*"),
        ("linux-64", {"c_compiler_version": ">=13"}, "c", "gcc_linux-64 >=13"),
        (
            "linux-64",
            {"c_compiler": "clang", "c_compiler_version": "19.*"},
            "c",
            "clang_linux-64 19.*",
        ),
        ("osx-arm64", {}, "cxx", "clangxx_osx-arm64"),
        ("win-64", {}, "c", "vs2022_win-64"),
        ("win-64", {}, "fortran", "flang_win-64"),
        ("linux-aarch64", {}, "fortran", "gfortran_linux-aarch64"),
        ("linux-64", {"rust_compiler_version": "1.89"}, "rust", "rust_linux-64 1.89.*"),
        ("emscripten-wasm32", {}, "c", "emscripten_emscripten-wasm32"),
    ],
)
def test_compiler(platform: str, variant: dict[str, str], lang: str, expected: str) -> None:
    funcs, _ = functions(variant, platform)
    assert funcs["compiler"](lang) == expected


def test_compiler_and_stdlib_record_their_keys() -> None:
    variant = {"c_compiler": "gcc", "c_compiler_version": "14", "c_stdlib": "sysroot"}
    funcs, scope = functions({**variant, "c_stdlib_version": "2.28", "python": "3.12"})
    funcs["compiler"]("c")
    assert funcs["stdlib"]("c") == "sysroot_linux-64 2.28.*"
    assert scope.used == {"c_compiler", "c_compiler_version", "c_stdlib", "c_stdlib_version"}


def test_stdlib_needs_the_variant_key() -> None:
    funcs, _ = functions({})
    with pytest.raises(JinjaError, match="no stdlib for language 'c'"):
        funcs["stdlib"]("c")
    funcs, _ = functions({}, unset=frozenset({"c_stdlib"}))
    assert str(funcs["stdlib"]("c")) == ""


@pytest.mark.parametrize(
    ("platform", "variant", "expected"),
    [
        ("linux-64", {}, "libx11-cos6-x86_64"),
        ("linux-aarch64", {}, "libx11-cos7-aarch64"),
        ("linux-64", {"cdt_name": "conda", "cdt_arch": "x86_64"}, "libx11-conda-x86_64"),
    ],
)
def test_cdt(platform: str, variant: dict[str, str], expected: str) -> None:
    funcs, _ = functions(variant, platform)
    assert funcs["cdt"]("libx11") == expected
    assert funcs["cdt"]("libx11 >=1") == f"{expected} >=1"


@pytest.mark.parametrize(
    ("version", "options", "expected"),
    [
        ("1.2.3", {}, "foo >=1.2.3,<2.0a0"),
        ("1.2.3", {"upper_bound": "x.x"}, "foo >=1.2.3,<1.3.0a0"),
        ("3.10.5", {"lower_bound": "x.x", "upper_bound": "x.x.x"}, "foo >=3.10,<3.10.6.0a0"),
        ("9e", {"upper_bound": "x"}, "foo >=9e,<10a"),
        ("1.1.1j", {"upper_bound": "x.x.x"}, "foo >=1.1.1j,<1.1.2a"),
        ("1.2", {"upper_bound": "x.x.x"}, "foo >=1.2,<1.2.1.0a0"),
        ("1.2.3", {"lower_bound": None, "upper_bound": "x.x"}, "foo <1.3.0a0"),
        ("1.2.3", {"lower_bound": "1.0", "upper_bound": "2.0"}, "foo >=1.0,<2.0"),
        ("1.2.3", {"lower_bound": None, "upper_bound": None}, "foo"),
        ("1.2.3", {"exact": True}, "foo ==1.2.3"),
        ("1.2.3", {"build": "py312*"}, "foo >=1.2.3,<2.0a0 py312*"),
        (None, {"upper_bound": "x.x"}, "foo"),
    ],
)
def test_pin_spec(version: str | None, options: dict[str, Any], expected: str) -> None:
    assert pin_spec("foo", version, options) == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_pin": "x.x"}, "use 'upper_bound'"),
        ({"min_pin": "x.x"}, "use 'lower_bound'"),
        ({"exact": True, "build": "x"}, "cannot be given together"),
        ({"upper_bond": "x"}, "unknown pin argument 'upper_bond'"),
    ],
)
def test_pin_spec_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(JinjaError, match=message):
        pin_spec("foo", "1.0", options)


def test_pin_functions_use_the_recipe_outputs() -> None:
    funcs, _ = functions({}, pins={"libfoo": "2.4.1"})
    assert funcs["pin_subpackage"]("libfoo", upper_bound="x.x") == "libfoo >=2.4.1,<2.5.0a0"
    assert funcs["pin_subpackage"]("elsewhere") == "elsewhere"
    assert funcs["pin_compatible"]("libfoo", upper_bound="x.x") == "libfoo"


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        ("3.12.* *_cpython", ">=3.10", True),
        ("3.9", ">=3.10", False),
        ("3.10", "<3.11", True),
        ("3.11", "3.11.*", True),
        ("1.26", ">=1.22,<2", True),
        (None, "<3", True),  # undefined matches anything, as in rattler-build
    ],
)
def test_match(value: str | None, spec: str, expected: bool) -> None:
    assert match(value, spec) is expected


def test_match_rejects_a_bare_version_spec() -> None:
    with pytest.raises(JinjaError, match="missing range specifier"):
        match("3.12", "3.3")


def test_platform_checks() -> None:
    funcs, _ = functions({}, "osx-arm64")
    assert funcs["is_osx"]() and funcs["is_unix"]() and not funcs["is_linux"]()
    assert funcs["is_windows"]("win-64") and not funcs["is_unix"]("win-64")
    assert funcs["is_linux"]("linux-aarch64")


def condition_scope(variant: dict[str, str], env: dict[str, str] | None = None) -> Scope:
    scope = Scope(
        target_platform="linux-64",
        variant=variant,
        env=env or {},
        recipe_dir=None,
        variables=condition_names("linux-64", "linux-64", variant),
        variant_keys=frozenset(variant) | {"cuda"},
        unset_names=frozenset({"cuda"}),
    )
    scope.functions = recipe_functions(scope)
    return scope


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (True, True),
        (0, False),
        ("linux and x86_64", True),
        ("win or osx", False),
        ("build_platform != target_platform", False),
        ('match(python, ">=3.10") and python == "3.12"', True),
        ("cuda", False),
        ("${{ unix }}", True),
        ("env.get('FLAVOR', default='x') == 'fancy'", True),
        ("env.exists('MISSING')", False),
        ("python is defined", True),  # jinja-only syntax goes to the sandbox
        ("cuda is defined", False),
        ("(python | default('3.9')) == '3.12'", True),
        ("'a' ~ python == 'a3.12'", True),
    ],
)
def test_evaluate_condition(condition: object, expected: bool) -> None:
    scope = condition_scope({"python": "3.12"}, env={"FLAVOR": "fancy"})
    assert evaluate_condition(condition, scope, SPAN) is expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("pyhton == '3.12'", False),
        ("pyhton != '3.12'", True),
        ("not pyhton", True),
        ("pyhton", False),
        ("pyhton < 3", True),
        ("pyhton > 3", False),
        ("pyhton in ['3.12']", False),
        ("'x' in pyhton", False),
        ("match(pyhton, '>=3.10')", True),
        ('not (linux and x86_64 and default == "default")', True),
    ],
)
def test_undefined_names_read_as_minijinja_undefined(condition: str, expected: bool) -> None:
    # rattler-build renders these; minijinja's undefined is falsy and unequal to every value
    assert evaluate_condition(condition, condition_scope({"python": "3.12"}), SPAN) is expected


def test_evaluate_condition_records_variant_keys() -> None:
    scope = condition_scope({"python": "3.12", "numpy": "2"})
    evaluate_condition('match(python, "<3.11") or linux', scope, SPAN)
    assert scope.used == {"python"}


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("().__class__", "invalid selector"),
        ("match(python, '3.3')", "missing range specifier"),
        ("linux and", "invalid selector"),
    ],
)
def test_evaluate_condition_errors(condition: str, message: str) -> None:
    with pytest.raises(SelectorError, match=message) as info:
        evaluate_condition(condition, condition_scope({"python": "3.12"}), SPAN)
    assert info.value.span == SPAN


def test_condition_names_turn_only_true_and_false_values_into_booleans() -> None:
    variant = {"a": "x", "b": "false", "c": "3.12", "d": "TRUE", "e": "yes", "f": "False"}
    names = condition_names("linux-64", "linux-64", variant)
    assert {key: names[key] for key in variant} == {
        "a": "x",
        "b": False,
        "c": "3.12",
        "d": True,
        "e": "yes",
        "f": False,
    }


def test_condition_names_like_a_first_variant_are_the_variants_own() -> None:
    words = ("x", "true", "false", "TRUE", "3.12", "False", "yes")
    rng = random.Random(15)
    keys = [f"k{i}" for i in range(40)] + ["target_platform", "linux"]  # two platform names
    first = {key: rng.choice(words) for key in keys}
    first_names = condition_names("linux-64", "linux-64", first)
    for _ in range(200):
        variant = dict(first)  # most values the very same objects, as in a matrix
        for key in rng.sample(keys, 3):
            variant[key] = "".join(rng.choice(words))  # equal text, another object, or new
        expected = condition_names("linux-64", "linux-64", variant)
        assert condition_names_like(first, first_names, variant) == expected
