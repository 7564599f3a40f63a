"""Tests for the safe selector evaluator and conda-build style line selectors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smithy.errors import SelectorError, Span
from smithy.platforms import selector_namespace
from smithy.recipe import selectors
from smithy.recipe.selectors import (
    SELECTOR_PATTERN,
    Selector,
    apply_line_selectors,
    evaluate_selector,
    selector_names_in_text,
    split_selector,
)

SPAN = Span("recipe/meta.yaml", 7, 3)

# Written by hand from conda-build's selector definitions, not from smithy.platforms.
TRUE_NAMES = {
    "linux-64": {"linux", "unix", "x86", "x86_64", "linux64"},
    "linux-aarch64": {"linux", "unix", "aarch64"},
    "linux-ppc64le": {"linux", "unix", "ppc64le"},
    "osx-64": {"osx", "unix", "x86", "x86_64", "osx64"},
    "osx-arm64": {"osx", "unix", "arm64"},
    "win-64": {"win", "x86", "x86_64", "win64"},
    "win-arm64": {"win", "arm64"},
}
ALL_NAMES = sorted(
    {*set().union(*TRUE_NAMES.values()), "linux32", "win32", "arm", "armv7l", "s390x"}
    | {"riscv64", "ppc64", "emscripten", "wasi", "freebsd", "zos", "wasm32"}
)


def check(expression: str, platform: str = "linux-64", **kwargs: object) -> bool:
    variant = kwargs.pop("variant", None)
    env = kwargs.pop("env", {})
    namespace = selector_namespace(platform, variant)  # type: ignore[arg-type]
    return evaluate_selector(expression, namespace, env=env, span=SPAN, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("platform", sorted(TRUE_NAMES))
@pytest.mark.parametrize("name", ALL_NAMES)
def test_platform_names(platform: str, name: str) -> None:
    assert check(name, platform) is (name in TRUE_NAMES[platform])


@pytest.mark.parametrize(
    ("expression", "platform", "expected"),
    [
        ("linux and (x86_64 or aarch64)", "linux-aarch64", True),
        ("linux and (x86_64 or aarch64)", "linux-ppc64le", False),
        ("not (win and arm64)", "win-arm64", False),
        ("not (win and arm64)", "win-64", True),
        ("osx and arm64", "osx-arm64", True),
        ("unix or win64", "win-arm64", False),
        ('target_platform == "osx-arm64"', "osx-arm64", True),
        ('target_platform.startswith(("linux-", "osx-"))', "win-64", False),
        ('target_platform.startswith(("linux-", "osx-"))', "osx-64", True),
        ("build_platform != target_platform", "linux-64", False),
    ],
)
def test_platform_expressions(expression: str, platform: str, expected: bool) -> None:
    assert check(expression, platform) is expected


VARIANT = {
    "python": "3.11.* *_cpython",
    "numpy": "2.0",
    "cuda_compiler_version": "12.9",
    "python_impl": "pypy",
    "c_compiler_version": "15",
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("py>=311", True),
        ("py == 311 and not py2k and not py27", True),
        ("py < 310", False),
        ("300 < py < 400", True),
        ("np == 20", True),
        ('cuda_compiler_version != "None"', True),
        ('cuda_compiler_version.startswith("12")', True),
        ('python_impl == "pypy"', True),
        ('python_impl != "cpython"', True),
        ("c_compiler_version >= 14", True),
        ('python_impl in ("cpython", "pypy")', True),
        ('python_impl in ["cpython"]', False),
        ('"cuda" not in python_impl', True),
    ],
)
def test_variant_values(expression: str, expected: bool) -> None:
    assert check(expression, variant=VARIANT) is expected


def test_py3k_for_old_python() -> None:
    assert check("py3k and not py2k and py == 39", variant={"python": "3.9"}) is True
    assert check("py27 and py2k and not py3k", variant={"python": "2.7"}) is True


def test_py3k_for_python_3_10_and_later() -> None:
    assert check("py3k", variant={"python": "3.12"}) is True


def test_names_the_namespace_lacks_are_false_as_in_conda_build() -> None:
    # conda-build's eval_selector replaces a NameError's name by False and retries
    assert check("mpi") is False
    assert check('mpi == "openmpi"') is False
    assert check("not cuda_compiler_version") is True
    assert check("linx and x86_64") is False
    assert check("linx or x86_64") is True
    namespace = selector_namespace("linux-64")
    selector = Selector.parse('(cuda_compiler_version or "None").startswith("1")', SPAN)
    assert selector.evaluate(namespace, env={}, span=SPAN) is False
    value = Selector.parse('cuda_compiler_version or "None"', SPAN).evaluate(
        namespace, env={}, span=SPAN
    )
    assert value == "None"


def test_unknown_function_is_an_error_with_span_and_suggestion() -> None:
    with pytest.raises(SelectorError) as info:
        check("lne(py) == 3")
    assert info.value.span == SPAN
    assert "unknown function 'lne'" in info.value.message
    assert "did you mean 'len'" in info.value.message
    assert str(info.value).startswith("recipe/meta.yaml:7:3: error: unknown function")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('os.environ.get("BUILD_PLATFORM") == "linux-aarch64"', True),
        ('environ.get("BUILD_PLATFORM", "") .startswith("linux-")', True),
        ('env.get("BUILD_PLATFORM") == "linux-aarch64"', True),
        ('env.get("MISSING", default="x") == "x"', True),
        ('os.environ.get("MISSING") is None', True),
        ('os.environ.get("CF_CUDA_ENABLED", "False") == "True"', False),
        ('os.environ["BUILD_PLATFORM"] == "linux-aarch64"', True),
        ('environ["BUILD_PLATFORM"] == "linux-aarch64"', True),
        ('os.getenv("BUILD_PLATFORM", "x") == "linux-aarch64"', True),
        ('os.getenv("MISSING", "fallback") == "fallback"', True),
        ('env.exists("BUILD_PLATFORM") and not env.exists("MISSING")', True),
    ],
)
def test_environment_reads_the_given_mapping(expression: str, expected: bool) -> None:
    env = {"BUILD_PLATFORM": "linux-aarch64", "CF_CUDA_ENABLED": "False"}
    assert check(expression, env=env) is expected


def test_process_environment_is_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUILD_PLATFORM", "linux-64")
    monkeypatch.setenv("CF_CUDA_ENABLED", "True")
    assert os.environ["BUILD_PLATFORM"] == "linux-64"
    assert check('os.environ.get("BUILD_PLATFORM", "none") == "none"') is True
    assert check('os.environ.get("CF_CUDA_ENABLED", "False") == "True"') is False
    assert check('os.getenv("BUILD_PLATFORM") is None') is True
    with pytest.raises(SelectorError, match="environment variable 'BUILD_PLATFORM' is not set"):
        check('os.environ["BUILD_PLATFORM"]')


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"Linux-64".lower() == "linux-64"', True),
        ('"osx".upper() == "OSX"', True),
        ('"  x ".strip() == "x"', True),
        ('"a" in "a,b".split(",")', True),
        ('"3.11.*".replace(".*", "") == "3.11"', True),
        ('"linux-64".endswith(("-64", "-32"))', True),
        ("True is True and None is none and false is False", True),
        ('"ab" is "ab" and 3 is not 4', True),
        ("-1 < 0 and not -2 > -1", True),
        ("true", True),
        ("(((((((((((linux)))))))))))", True),
        ("${{ linux and not win }}", True),
        ("linux and\n  not win", True),
        ('${{ target_platform == "linux-64" }}', True),
    ],
)
def test_literals_methods_and_jinja_spellings(expression: str, expected: bool) -> None:
    assert check(expression) is expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('py < "3.x"', "cannot compare int 312 < str '3.x'"),
        ("1 in py", "cannot compare int 1 in int 312"),
        ("linux.startswith('l')", "'.startswith()' needs a string, not bool True"),
        ("os.environ.get(1)", "environment variable names are strings"),
        ("-linux_string", "cannot negate"),
        ('"a".split("")', "'.split()' failed"),
        ("target_platform" + '.replace("", "xxxxxxxxxxxxxxxxxxxx")' * 3, "too long"),
    ],
)
def test_type_errors_become_selector_errors(expression: str, message: str) -> None:
    with pytest.raises(SelectorError, match="cannot evaluate selector") as info:
        check(expression, variant={"linux_string": "x"})
    assert message in info.value.message
    assert info.value.span == SPAN


def test_functions_are_called_only_when_provided() -> None:
    calls: list[tuple[object, ...]] = []

    def match(value: object, spec: str) -> bool:
        calls.append((value, spec))
        return spec == ">=3.10"

    def is_linux(platform: object) -> bool:
        return str(platform).startswith("linux-")

    functions = {"match": match, "is_linux": is_linux}
    variant = {"python": "3.12"}
    assert check('match(python, ">=3.10")', variant=variant, functions=functions) is True
    assert calls == [("3.12", ">=3.10")]
    assert check("is_linux(target_platform)", "linux-ppc64le", functions=functions) is True
    assert check("is_linux(target_platform)", "osx-64", functions=functions) is False
    with pytest.raises(SelectorError, match=r"unknown function 'mtch'.*did you mean 'match'"):
        check('mtch(python, "3")', variant=variant, functions=functions)
    with pytest.raises(SelectorError, match=r"unknown function 'match'"):
        check('match(python, "3")', variant=variant)
    with pytest.raises(SelectorError, match=r"is_linux\(\) failed"):
        check("is_linux()", functions=functions)


def test_parse_is_cached_and_names_exclude_roots_and_functions() -> None:
    text = 'match(python, ">=3.10") and os.environ.get("X") == cuda and env.get("Y") and true'
    first = Selector.parse(text, SPAN)
    assert Selector.parse(text, Span("other.yaml", 1)) is first
    assert first.names == frozenset({"python", "cuda"})


@pytest.mark.parametrize(
    "expression",
    [
        "linux and",
        "(linux",
        "linux)",
        "linux or or win",
        "",
        "   ",
        "${{ }}",
        "linux ~ win",
        "1\x00",
    ],
)
def test_syntax_errors(expression: str) -> None:
    with pytest.raises(SelectorError) as info:
        check(expression)
    assert info.value.message.startswith("invalid selector '")
    assert info.value.span == SPAN


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("linux | lower", "jinja filters"),
        ("linux if win else osx", "conditional expressions"),
        ("os.environ", "attribute access is not allowed"),
        ("x" * 2001, "longer than 2000 characters"),
        ("not " * 300 + "linux", "nested too deeply"),
        ("linux" + ".lower()" * 200, "nested too deeply"),
        ("1j", "literal 1j is not allowed"),
        ("target_platform[0]", "subscripts are not allowed"),
        ('os.environ["A":"B"]', "subscripts are not allowed"),
        ('"a".startswith(target_platform)', "string method arguments must be"),
        ('"a".split(sep=",")', "keyword arguments"),
        ('env.get("A", "b", "c")', "optional default"),
        ('env.get("A", fallback="b")', "only a name and a default"),
    ],
)
def test_refused_constructs(expression: str, reason: str) -> None:
    with pytest.raises(SelectorError) as info:
        check(expression)
    assert info.value.message.startswith("invalid selector")
    assert reason in info.value.message


def test_conda_build_selectors_refuse_arithmetic() -> None:
    for expression in ("py + 1", "win-64", "linux * 2"):
        with pytest.raises(SelectorError, match="arithmetic is not allowed"):
            check(expression)


HOSTILE = [
    "__import__('os').system('touch X')",
    "().__class__.__bases__[0].__subclasses__()",
    "open('X', 'w')",
    "open('X', 'w').write('x')",
    "(lambda: open('X', 'w'))()",
    "os.system('touch X')",
    "os.popen('touch X')",
    "environ.__class__",
    "[open('X', 'w') for x in (1, 2)]",
    "{open('X', 'w') for x in (1,)}",
    "exec(\"open('X', 'w')\")",
    "eval(\"open('X', 'w')\")",
    "getattr(os, 'system')('touch X')",
    "(x := open('X', 'w'))",
    "f\"{open('X', 'w')}\"",
    "linux.__class__.__mro__",
    "os.environ.copy()",
    "env.get.__globals__",
    "os.environ.get('A').__class__",
    "''.join(['a'])",
    "'{0.__class__}'.format(linux)",
    "open(*['X', 'w'])",
    "match(**{'value': 1})",
    "__builtins__",
    "[].__class__.__base__.__subclasses__()",
    "b'X'",
    "...",
    "import os",
]


@pytest.mark.parametrize("expression", HOSTILE)
def test_hostile_input_is_refused_and_nothing_runs(
    expression: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    functions = {"match": lambda *args, **kwargs: True}
    with pytest.raises(SelectorError):
        check(expression, env={"A": "1"}, functions=functions)
    if "[" not in expression and "]" not in expression:  # else the line regex picks another part
        with pytest.raises(SelectorError):
            line = f"- x  # [{expression}]\n"
            apply_line_selectors(line, selector_namespace("linux-64"), env={}, path="m.yaml")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  - gcc                # [linux]", ("  - gcc", "linux")),
        ("- foo  [win]", ("- foo", "win")),
        ("- foo  #[ win ]", ("- foo", "win")),
        ("- foo  # [win]   ", ("- foo", "win")),
        ("- foo # [win] trailing words", ("- foo", "win")),
        ("- foo # [linux] or [osx]", ("- foo", "osx")),
        ('  - "foo >=1  # [win]"', ('  - "foo >=1"', "win")),
        ("  - 'foo'  # [win]", ("  - 'foo'", "win")),
        ("key: [a, b]", ("key:", "a, b")),  # conda-build reads a trailing flow list as a selector
        ("# [win]", ("# [win]", None)),
        ("   # a comment [win]", ("   # a comment [win]", None)),
        ("", ("", None)),
        ("- foo [win] trailing", ("- foo [win] trailing", None)),
        (
            "- foo  # see [docs](https://example.org)",
            ("- foo  # see [docs](https://example.org)", None),
        ),
        ("[win]", ("[win]", None)),
        ("- {{ x[0] }}", ("- {{ x[0] }}", None)),
        ("a\n- b  # [win]", ("a\n- b  # [win]", None)),  # `.` stops at a newline, as in conda-build
        ("- a \n [win]", ("- a", "win")),
    ],
)
def test_split_selector(line: str, expected: tuple[str, str | None]) -> None:
    assert split_selector(line) == expected
    match = SELECTOR_PATTERN.match(line.rstrip())
    if expected[1] is not None and match is not None:
        assert match.group(3).strip() == expected[1]


CBC = """\
# a comment with a selector inside # [win]
c_compiler:
  - gcc                        # [linux]
  - vs2022                     # [win]
c_compiler_version:            # [unix]
  - 15                         # [linux]
docker_image:                  # [os.environ.get("BUILD_PLATFORM", "").startswith("linux-")]
  - quay.io/condaforge/linux-anvil-x86_64:alma9   # [os.environ.get("BUILD_PLATFORM") == "linux-64"]
  - '${PREFIX}/bin/'           # [unix]
  - "%PREFIX%\\bin  # [win]"

mpi:
  - nompi
  - openmpi                    # [not win]
"""


def test_apply_line_selectors_keeps_line_numbers() -> None:
    env = {"BUILD_PLATFORM": "linux-64"}
    out = apply_line_selectors(CBC, selector_namespace("linux-64"), env=env, path="cbc.yaml")
    assert out.split("\n") == [
        "# a comment with a selector inside # [win]",
        "c_compiler:",
        "  - gcc",
        "",
        "c_compiler_version:",
        "  - 15",
        "docker_image:",
        "  - quay.io/condaforge/linux-anvil-x86_64:alma9",
        "  - '${PREFIX}/bin/'",
        "",
        "",
        "mpi:",
        "  - nompi",
        "  - openmpi",
        "",
    ]


def test_apply_line_selectors_on_windows_keeps_quote() -> None:
    env = {"BUILD_PLATFORM": "win-64"}
    out = apply_line_selectors(CBC, selector_namespace("win-64"), env=env, path="cbc.yaml")
    lines = out.split("\n")
    assert len(lines) == len(CBC.split("\n"))
    assert lines[2:7] == ["", "  - vs2022", "", "", ""]
    assert lines[9] == '  - "%PREFIX%\\bin"'
    assert lines[13] == ""


@pytest.mark.parametrize("text", ["- a  # [linux]", "- a  # [linux]\n", "- a  # [win]\n\n\n"])
def test_apply_line_selectors_keeps_trailing_newlines(text: str) -> None:
    out = apply_line_selectors(text, selector_namespace("linux-64"), env={}, path="m.yaml")
    assert out.count("\n") == text.count("\n")
    assert out.endswith("\n") is text.endswith("\n")


def test_apply_line_selectors_crlf_and_unchanged_text() -> None:
    namespace = selector_namespace("osx-arm64")
    text = "a: 1  # [osx]\r\nb: 2  # [win]\r\nc: 3\r\n"
    assert apply_line_selectors(text, namespace, env={}, path="m") == "a: 1\r\n\r\nc: 3\r\n"
    plain = "a: 1\n# [win]\nb: [1, 2] # list\n"
    assert apply_line_selectors(plain, namespace, env={}, path="m") is plain


def test_apply_line_selectors_error_points_at_line_and_column() -> None:
    text = "a: 1\nb: 2  # [linux]\nc: 3  # [linux and]\n"
    with pytest.raises(SelectorError) as info:
        apply_line_selectors(text, selector_namespace("linux-64"), env={}, path="recipe/meta.yaml")
    assert info.value.span == Span("recipe/meta.yaml", 3, 10)
    assert "invalid selector 'linux and'" in info.value.message
    typo = text.replace("linux and", "linx")
    out = apply_line_selectors(typo, selector_namespace("linux-64"), env={}, path="m")
    assert out == "a: 1\nb: 2\n\n"


def test_bare_bracket_error_explains_the_conda_build_rule() -> None:
    with pytest.raises(SelectorError, match="ending a line is a selector") as info:
        apply_line_selectors("a: 1\nkeys: [foo bar]\n", {}, env={}, path="cbc.yaml")
    assert info.value.span == Span("cbc.yaml", 2, 8)
    assert "invalid selector 'foo bar'" in info.value.message
    with pytest.raises(SelectorError) as info:
        apply_line_selectors("keys: 1  # [foo bar]\n", {}, env={}, path="cbc.yaml")
    assert "ending a line" not in info.value.message
    # conda-build evaluates `[foo, bar]` as the tuple (False, False): true, the line stays
    out = apply_line_selectors("keys: [foo, bar]\n", {}, env={}, path="cbc.yaml")
    assert out == "keys:\n"


def test_selector_names_in_text() -> None:
    extra = "x: 1  # [cuda_compiler_version != 'None' and match(python, '3')]\ny: 2  # [bad and]\n"
    assert selector_names_in_text(CBC + extra) == frozenset(
        {"linux", "win", "unix", "cuda_compiler_version", "python"}
    )
    assert selector_names_in_text("a: 1\n") == frozenset()


def test_conversion_functions_as_conda_build_allows() -> None:
    assert check("win and int(float(vc)) < 14", platform="win-64", variant={"vc": "9"}) is True
    assert check("win and int(float(vc)) < 14", platform="win-64", variant={"vc": "14.2"}) is False
    assert check("len(str(py)) == 3", variant={"python": "3.12"}) is True


def test_conversion_failure_is_a_selector_error() -> None:
    with pytest.raises(SelectorError, match="int"):
        check('int("abc") > 1')


def test_numeric_strings_order_against_numbers() -> None:
    # v1 variant values are strings; rattler-build reads `vc: 14` as a number.
    namespace = {"win": True, "vc": "14"}
    assert evaluate_selector("win and vc < 15", namespace, env={}, span=SPAN) is True
    assert evaluate_selector("win and vc < 14", namespace, env={}, span=SPAN) is False
    with pytest.raises(SelectorError, match="cannot compare"):
        evaluate_selector("vc < 14", {"vc": "fourteen"}, env={}, span=SPAN)


def test_undefined_reads_as_false_like_conda_build() -> None:
    expression = 'cuda_compiler_version in (undefined, "None")'
    assert check(expression) is True
    assert check(expression, variant={"cuda_compiler_version": "12.9"}) is False


def test_a_selector_is_decided_again_when_a_value_it_reads_changes() -> None:
    text = "a: 1  # [flavor == 'x']\nb: 2  # [not (flavor == 'x')]\nc: 3  # [win]\n"
    picks = [
        apply_line_selectors(text, {"flavor": flavor, "win": False}, env={}, path="m")
        for flavor in ("x", "y", "x")
    ]
    assert picks == ["a: 1\n\n\n", "\nb: 2\n\n", "a: 1\n\n\n"]
    # A name the namespace lacks reads as False, unlike any value it may hold.
    text = "d: 4  # [flag == False]\n"
    assert apply_line_selectors(text, {}, env={}, path="m") == "d: 4\n"
    assert apply_line_selectors(text, {"flag": None}, env={}, path="m") == "\n"


def test_a_selector_reading_the_environment_follows_it() -> None:
    text = "a: 1  # [environ.get('FLAG') == '1']\n"
    assert apply_line_selectors(text, {}, env={"FLAG": "1"}, path="m") == "a: 1\n"
    assert apply_line_selectors(text, {}, env={"FLAG": "0"}, path="m") == "\n"


def test_a_bad_selector_names_its_own_line_each_time() -> None:
    for line in (2, 3):
        text = "a: 1\n" * (line - 1) + "b: 2  # [1 < 'x']\n"
        with pytest.raises(SelectorError) as raised:
            apply_line_selectors(text, {}, env={}, path="m")
        assert raised.value.span == Span("m", line, 10)


@pytest.mark.parametrize(
    ("first", "second"),
    [(1, True), (True, 1), ((1,), (True,)), (0.0, -0.0), (1, 1.0)],
)
def test_kept_truths_tell_equal_values_that_select_differently_apart(
    first: object, second: object
) -> None:
    # Each pair compares equal (and hashes alike) but str() tells them apart: a truth kept for
    # the first is not the second's.
    text = f'kept: 1  # [str(x) == "{second}"]\n'
    selectors._truths.clear()
    results = [
        apply_line_selectors(text, {"x": value}, env={}, path="m") for value in (first, second)
    ]
    assert results == ["\n", "kept: 1\n"]


def test_kept_truths_tell_equal_values_of_other_types_apart() -> None:
    # True == 1, but str() of them differs: a selector's kept truth keys on the types too.
    text = "a: 1  # [str(x) == '1']\nb: 2  # [not y]\nc: 3\n"
    for value, kept in ((1, "a: 1\n\nc: 3\n"), (True, "\n\nc: 3\n"), (1, "a: 1\n\nc: 3\n")):
        assert apply_line_selectors(text, {"x": value, "y": 1}, env={}, path="m") == kept


def test_a_failing_selector_fails_again_with_its_line() -> None:
    text = "a: 1\nb: 2  # [x < 'a']\n"
    for _ in range(2):
        with pytest.raises(SelectorError) as failed:
            apply_line_selectors(text, {"x": 1}, env={}, path="m")
        assert failed.value.span == Span("m", 2, failed.value.span.column)
