"""SMY7xx: jinja spacing, {% set %} style, selector form, python selectors, v1 comments."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

EXPR_V0 = edit(V0, "  version: {{ version }}", "  version: {{version}}")
EXPR_V1 = edit(V1, "  version: ${{ version }}", "  version: ${{version }}")
SET_V0 = edit(V0, '{% set version = "1.0.0" %}', '{%set version="1.0.0"%}')
SEL_V0 = edit(V0, "    - zlib\n  run:", "    - zlib # [linux]\n  run:")
SEL_OK = edit(V0, "    - zlib\n  run:", "    - zlib  # [linux]\n  run:")
PY_V0 = edit(V0, "    - zlib\n  run:", "    - zlib  # [py311]\n  run:")
PY_OLD = edit(V0, "    - zlib\n  run:", "    - zlib  # [py27]\n  run:")
COMMENT_V1 = edit(V1, "    - zlib\n  run:", "    - zlib  # [linux]\n  run:")

CASES = [
    Case("SMY701", EXPR_V0, (line_of(EXPR_V0, "{{version}}"),)),
    Case("SMY701", EXPR_V1, (line_of(EXPR_V1, "${{version }}"),), "recipe.yaml"),
    Case("SMY701", V0, ()),
    Case("SMY701", V1, (), "recipe.yaml"),
    Case("SMY702", SET_V0, (1,)),
    Case("SMY702", V0, ()),
    Case("SMY703", SEL_V0, (line_of(SEL_V0, "# [linux]"),)),
    Case("SMY703", SEL_OK, ()),
    Case("SMY704", PY_V0, (line_of(PY_V0, "py311"),)),
    Case("SMY704", PY_OLD, (), label="py27"),
    Case("SMY705", PY_OLD, (line_of(PY_OLD, "py27"),)),
    Case("SMY705", PY_V0, (), label="py311"),
    Case("SMY706", COMMENT_V1, (line_of(COMMENT_V1, "# [linux]"),), "recipe.yaml"),
    Case("SMY706", V1, (), "recipe.yaml"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
