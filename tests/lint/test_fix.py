"""--fix: mechanical rules rewrite the recipe, keep comments and selectors, and are idempotent."""

from __future__ import annotations

import pytest

from smithy.lint.fix import fix_text
from smithy.recipe.model import RecipeFormat
from tests.lint.helpers import codes_lines, write_feedstock
from tests.lint.recipes import V0, V1, edit

V0F, V1F = RecipeFormat.V0, RecipeFormat.V1
MESSY_V0 = (
    edit(
        edit(
            edit(V0, '{% set version = "1.0.0" %}', '{%set version="1.0.0"%}'),
            "    - zlib\n  run:\n    - zlib >=1.3",
            "    - zlib # [linux]\n  run:\n    - zlib>=1.3  # keep me\n    - python >= 3.10",
        ),
        "  version: {{ version }}",
        "  version: {{version}}",
    ).replace("test:\n  commands:\n    - goodpkg --help\n", "")
    + "test:\n  commands:\n    - goodpkg --help\n\n\n"
)
MESSY_V1 = edit(
    edit(V1, "tests:\n  - script:\n      - goodpkg --help\n", "")
    + "# the tests\ntests:\n  - script:\n      - goodpkg --help",
    "  version: ${{ version }}",
    "  version: ${{version}}",
)
FIXABLE = ["SMY102", "SMY105", "SMY106", "SMY403", "SMY404", "SMY701", "SMY702", "SMY703"]


@pytest.mark.parametrize(("text", "fmt"), [(MESSY_V0, V0F), (MESSY_V1, V1F)], ids=["v0", "v1"])
def test_fix_is_idempotent(text, fmt) -> None:
    once = fix_text(text, fmt, FIXABLE)
    twice = fix_text(once.text, fmt, FIXABLE)
    assert once.changed(text)
    assert twice.text == once.text
    assert twice.applied == ()


def test_fix_v0_keeps_comments_and_selectors(tmp_path) -> None:
    fixed = fix_text(MESSY_V0, V0F, FIXABLE).text
    assert "    - zlib  # [linux]" in fixed
    assert "    - zlib >=1.3  # keep me" in fixed
    assert "    - python >=3.10" in fixed
    assert '{% set version = "1.0.0" %}' in fixed
    assert "{{ version }}" in fixed
    assert fixed.index("test:") < fixed.index("about:")
    assert fixed.endswith("    - someone\n")


def test_fixed_recipes_lint_clean(tmp_path) -> None:
    for index, (text, fmt) in enumerate([(MESSY_V0, V0F), (MESSY_V1, V1F)]):
        fixed = fix_text(text, fmt, FIXABLE).text
        root = write_feedstock(tmp_path / str(index), fixed, fmt.value)
        assert codes_lines(root, FIXABLE) == []


def test_v1_section_move_keeps_the_comment_above() -> None:
    fixed = fix_text(MESSY_V1, V1F, ["SMY102"]).text
    assert "# the tests\ntests:" in fixed
    assert fixed.index("tests:") < fixed.index("about:")


def test_unsafe_reorder_is_left_alone() -> None:
    text = "package:\n  name: a\nabout:\n  license: MIT\n{% if x %}\nbuild:\n  number: 0\n{% endif %}\n"  # noqa: E501
    assert fix_text(text, V0F, ["SMY102"]).text == text
