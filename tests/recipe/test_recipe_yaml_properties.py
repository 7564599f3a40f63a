"""Property tests: recipe.yaml rendering fails only with SmithyErrors and splices if/then right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smithy.errors import SmithyError
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext
from smithy.recipe.recipe_yaml import render_recipe_yaml

CONTEXT = RenderContext(
    platform="linux-64",
    build_platform="linux-64",
    variant={"python": "3.12", "c_stdlib": "sysroot", "c_stdlib_version": "2.17"},
    known_variables=frozenset({"python", "numpy", "c_stdlib", "c_stdlib_version"}),
)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def render_text(text: str) -> None:
    raw = RawRecipe(Path("/nowhere/recipe.yaml"), RecipeFormat.V1, text, "recipe.yaml")
    try:
        render_recipe_yaml(raw, CONTEXT)
    except SmithyError as exc:
        assert exc.span is not None and exc.span.path == "recipe.yaml"
        assert "\n" not in str(exc)


@FAST
@given(st.text(max_size=300))
def test_random_text_raises_only_smithy_errors(text: str) -> None:
    render_text(text)


# Fragments of expressions, joined at random: valid, invalid and hostile jinja alike.
TOKENS = (
    "python", "numpy", "version", "name", "linux", "win", "'a'", "1", "0", "true", "none",
    "[1, 2]", "(", ")", "[", "]", "|", "split('.')", "join('-')", "upper", "default('x')",
    "version_to_buildstring", "int", "length", "first", "+", "*", "**", "~", "==", "!=", "<",
    "and", "or", "not", "if", "else", "is", "defined", ".", "__class__", "compiler('c')",
    "stdlib('c')", "pin_subpackage('p')", "pin_compatible('q', upper_bound='x.x')",
    "match(python, '>=3.10')", "env.get('X')", "env.get('X', default='d')", "cdt('x')", "hash",
    "PYTHON", "'%s'", "%", ",", "{#", "#}", "}}", "${{", "{%", "%}", "'", '"', "\\", ":", "-",
    "9999999",
)  # fmt: skip
EXPRESSIONS = st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join)
SCALARS = st.one_of(
    EXPRESSIONS.map(lambda expression: "'${{ " + expression.replace("'", "''") + " }}'"),
    EXPRESSIONS.map(lambda expression: "'" + expression.replace("'", "''") + "'"),
    st.sampled_from(["1", "true", "~", "3.10", "'1.2.3'", "[]", "{}", "[a, b]", "x"]),
)
RECIPE_KEYS = (
    "package", "recipe", "outputs", "context", "build", "requirements", "source", "about",
    "tests", "extra", "name", "version", "number", "skip", "script", "noarch", "string", "host",
    "run", "run_exports", "run_constraints", "ignore_run_exports", "if", "then", "else",
    "staging", "inherit", "url", "sha256", "schema_version", "cache", "files",
)  # fmt: skip
KEYS = st.sampled_from(RECIPE_KEYS)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(KEYS, children, max_size=4).map(
            lambda mapping: "{" + ", ".join(f"{k}: {v}" for k, v in mapping.items()) + "}"
        ),
    ),
    max_leaves=12,
)


@FAST
@given(st.dictionaries(KEYS, TREES, max_size=6), st.booleans())
def test_recipe_shaped_input_raises_only_smithy_errors(
    top: dict[str, str], with_package: bool
) -> None:
    lines = [f"{key}: {value}" for key, value in top.items()]
    if with_package and "package" not in top:
        lines.append("package: {name: p, version: '1.0'}")
    render_text(
        "context: {version: '1.2.3', name: p}\n" * ("context" not in top) + "\n".join(lines)
    )


PLATFORM_NAMES = ("linux", "win", "osx", "unix", "x86_64", "aarch64")
ITEM_NAMES = st.text("abcdefgh", min_size=1, max_size=5)
ITEMS = st.recursive(
    ITEM_NAMES.map(lambda name: ("item", name)),
    lambda children: st.tuples(
        st.just("if"),
        st.sampled_from(PLATFORM_NAMES),
        st.lists(children, min_size=1, max_size=3),
        st.one_of(st.none(), st.lists(children, min_size=1, max_size=3)),
    ),
    max_leaves=10,
)


def to_yaml(item: Any) -> str:
    if item[0] == "item":
        return str(item[1])
    _, condition, then, otherwise = item
    text = f"{{if: {condition}, then: [{', '.join(to_yaml(i) for i in then)}]"
    if otherwise is not None:
        text += f", else: [{', '.join(to_yaml(i) for i in otherwise)}]"
    return text + "}"


def expected(item: Any, true_names: set[str]) -> list[str]:
    if item[0] == "item":
        return [str(item[1])]
    _, condition, then, otherwise = item
    chosen = then if condition in true_names else (otherwise or [])
    return [name for child in chosen for name in expected(child, true_names)]


@FAST
@given(st.lists(ITEMS, max_size=6), st.sampled_from(["linux-64", "osx-arm64", "win-64"]))
def test_if_then_else_splices_like_a_reference_model(items: list[Any], platform: str) -> None:
    true_names = {
        "linux-64": {"linux", "unix", "x86_64"},
        "osx-arm64": {"osx", "unix"},
        "win-64": {"win", "x86_64"},
    }[platform]
    text = "package: {name: p, version: '1'}\nrequirements:\n  run:\n"
    text += "".join(f"    - {to_yaml(item)}\n" for item in items) or "    []\n"
    raw = RawRecipe(Path("/nowhere/recipe.yaml"), RecipeFormat.V1, text, "recipe.yaml")
    context = RenderContext(platform=platform, build_platform=platform)
    rendered = render_recipe_yaml(raw, context)
    specs = [dep.spec for dep in rendered.outputs[0].requirements.run]
    assert specs == [name for item in items for name in expected(item, true_names)]
    assert rendered == render_recipe_yaml(raw, context)  # deterministic
