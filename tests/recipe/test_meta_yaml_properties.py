"""Property tests: whatever text a meta.yaml holds, rendering fails only with a SmithyError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smithy.errors import SmithyError
from smithy.recipe.meta_yaml import render_meta_yaml
from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe

CONTEXT = RenderContext(
    platform="linux-64",
    build_platform="linux-64",
    variant={"python": "3.12.* *_cpython", "c_compiler": "gcc", "c_compiler_version": "15"},
    known_variables=frozenset({"python", "c_compiler", "c_compiler_version", "cuda"}),
)
# The recipe folder does not exist: file functions find nothing and must still not crash.
RECIPE = Path("/nonexistent-smithy-recipe/meta.yaml")

FRAGMENTS = [
    "package:\n", "  name: a\n", "  version: {{ v }}\n", "{% set v = '1.0' %}\n",
    "outputs:\n", "  - name: b\n", "    requirements:\n", "      - c\n", "requirements:\n",
    "  run:\n", "    - {{ pin_subpackage('b') }}\n",
    "    - {{ pin_compatible('c', max_pin='x.x') }}\n",
    "    - {{ compiler('c') }}  # [linux]\n", "  build:\n", "    - x  # [py>=312]\n",
    "{% if linux %}\n", "{% endif %}\n", "{% for i in range(3) %}\n", "{% endfor %}\n",
    "build:\n", "  number: {{ 1 + 1 }}\n", "  skip: true  # [win]\n", "  noarch: python\n",
    "  run_exports:\n", "    strong:\n", "{{ cuda }}\n", "{{ undefined_name }}\n", "- ", ": ",
    "[", "]", "{", "}", "{{", "}}", "{%", "%}", "#", " # [", "&a ", "*a ", "<<: ", "'", '"',
    "|\n", ">\n", "\t", "\ue000", "\ue0010\ue001", "\ue002", "---\n", "...\n", "%YAML 1.1\n",
    "{{ load_file_data('x.json') }}", "{{ pin_subpackage(1) }}",
    "{{ pin_subpackage('a', max_pin='y') }}", "about:\n", "  summary: x\n", "source:\n",
    "  - url: u\n", "    sha256: 1\n", "test: [1]  # flow\n",
]  # fmt: skip


SELECTORS = [
    "",
    "  # [linux]",
    "  # [win]",
    "  # [py>=312]",
    "  # [cuda != 'None']",
    "  # [not osx]",
]
SPECS = [
    "zlib", "python", "numpy >=1.26", "{{ compiler('c') }}", "{{ pin_subpackage('b') }}",
    "{{ pin_subpackage('a', exact=True) }}", "{{ pin_compatible('numpy') }}", "{{ cuda }}",
    "{{ cdt('x11') }}", "", "42", "{{ 'lib' ~ 'x' }}", "{{ stdlib('c') }}",
]  # fmt: skip


@st.composite
def recipe_text(draw: st.DrawFn) -> str:
    """Mostly valid meta.yaml text: sections of random specs and selectors."""
    lines = ["{% set v = '1.2.3' %}", "package:", "  name: a", "  version: {{ v }}"]
    if draw(st.booleans()):
        lines += [
            "build:",
            f"  number: {draw(st.integers(0, 9))}",
            "  skip: true" + draw(st.sampled_from(SELECTORS)),
        ]

    def requirements(indent: str) -> list[str]:
        block = [f"{indent}requirements:"]
        for section in draw(
            st.lists(st.sampled_from(["build", "host", "run", "run_constrained"]), unique=True)
        ):
            block.append(f"{indent}  {section}:")
            for spec in draw(st.lists(st.sampled_from(SPECS), max_size=4)):
                block.append(f"{indent}    - {spec}{draw(st.sampled_from(SELECTORS))}")
        return block

    lines += requirements("")
    if draw(st.booleans()):
        lines.append("outputs:")
        for name in draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, min_size=1)):
            lines += [
                f"  - name: {name}",
                "    build:",
                "      run_exports:",
                "        - {{ pin_subpackage('b') }}",
            ]
            lines += requirements("    ")
    return "\n".join(lines) + "\n"


def raw_recipe(text: str) -> RawRecipe:
    return RawRecipe(path=RECIPE, format=RecipeFormat.V0, text=text, display_path="meta.yaml")


def render_or_error(text: str) -> RenderedRecipe | SmithyError:
    try:
        return render_meta_yaml(raw_recipe(text), CONTEXT)
    except SmithyError as exc:
        assert str(exc).startswith("meta.yaml")
        assert "\n" not in str(exc)
        return exc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_only_raises_smithy_errors(text: str) -> None:
    render_or_error(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_only_raise_smithy_errors(data: bytes) -> None:
    render_or_error(data.decode("utf-8", errors="replace"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_recipe_shaped_text_only_raises_smithy_errors(parts: list[str]) -> None:
    result = render_or_error("".join(parts))
    if isinstance(result, RenderedRecipe):
        assert result.outputs, "a rendered recipe has at least one output"
        for output in result.outputs:
            for section in output.requirements.SECTIONS:
                for dep in output.requirements.section(section):
                    assert dep.spec.strip() == dep.spec and dep.spec
                    assert dep.span.line >= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recipe_text())
def test_recipe_like_text_renders_with_lines_in_the_file(text: str) -> None:
    result = render_or_error(text)
    assert isinstance(result, RenderedRecipe), result
    line_count = text.count("\n")
    for output in result.outputs:
        assert 1 <= output.span.line <= line_count
        for section in output.requirements.SECTIONS:
            for dep in output.requirements.section(section):
                assert 1 <= dep.span.line <= line_count
                assert "\ue000" not in dep.spec and dep.spec.strip() == dep.spec


@settings(max_examples=40, deadline=None)
@given(st.one_of(recipe_text(), st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)))
def test_rendering_is_deterministic(text: str) -> None:
    first, second = render_or_error(text), render_or_error(text)
    if isinstance(first, SmithyError):
        assert isinstance(second, SmithyError) and str(first) == str(second)
    else:
        assert isinstance(second, RenderedRecipe)
        assert first.outputs == second.outputs and first.data == second.data
