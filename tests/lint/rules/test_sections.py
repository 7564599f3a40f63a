"""SMY1xx: sections, their order, subsections, requirement order, trailing lines, floats."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

UNEXPECTED_V0 = V0 + "sources:\n  - x\n"
UNEXPECTED_V1 = V1 + "test:\n  commands: []\n"
ORDER_V0 = (
    edit(V0, "test:\n  commands:\n    - goodpkg --help\n", "")
    + "test:\n  commands:\n    - goodpkg --help\n"
)
ORDER_V1 = (
    edit(V1, "tests:\n  - script:\n      - goodpkg --help\n", "")
    + "tests:\n  - script:\n      - goodpkg --help\n"
)
SUBSECTION = edit(V0, "  number: 0", "  number: 0\n  numbr: 1")
EXTRA_KEY = V0 + "  notes: see the upstream docs\n"
EXTRA_OK = V0 + "  feedstock-name: goodpkg\n"
# An output's extra is free-form: only the top-level section is checked.
OUTPUT_EXTRA = edit(
    V0,
    "about:",
    "outputs:\n  - name: goodpkg-extra\n    extra:\n      notes: free-form\n\nabout:",
)
REQ_ORDER_V0 = edit(
    V0,
    "  host:\n    - zlib\n  run:\n    - zlib >=1.3\n",
    "  run:\n    - zlib >=1.3\n  host:\n    - zlib\n",
)
REQ_ORDER_V1 = edit(
    V1,
    "  host:\n    - zlib\n  run:\n    - zlib >=1.3\n",
    "  run:\n    - zlib >=1.3\n  host:\n    - zlib\n",
)
FLOAT_V1 = edit(V1, '  version: "1.0.0"', '  version: "1.0.0"\n  api: 1.10')

CASES = [
    Case("SMY101", UNEXPECTED_V0, (line_of(UNEXPECTED_V0, "sources:"),)),
    Case("SMY101", UNEXPECTED_V1, (line_of(UNEXPECTED_V1, "test:"),), "recipe.yaml"),
    Case("SMY101", V0, ()),
    Case("SMY101", V1, (), "recipe.yaml"),
    Case("SMY102", ORDER_V0, (line_of(ORDER_V0, "test:"),)),
    Case("SMY102", ORDER_V1, (line_of(ORDER_V1, "tests:"),), "recipe.yaml"),
    Case("SMY102", V0, ()),
    Case("SMY102", V1, (), "recipe.yaml"),
    Case("SMY103", SUBSECTION, (line_of(SUBSECTION, "numbr"),)),
    Case("SMY103", V0, ()),
    Case("SMY103", EXTRA_KEY, (line_of(EXTRA_KEY, "notes:"),), label="extra"),
    Case("SMY103", EXTRA_OK, (), label="feedstock-name"),
    Case("SMY103", OUTPUT_EXTRA, (), label="output-extra"),
    Case("SMY104", REQ_ORDER_V0, (line_of(REQ_ORDER_V0, "  host:"),)),
    Case("SMY104", REQ_ORDER_V1, (line_of(REQ_ORDER_V1, "  host:"),), "recipe.yaml"),
    Case("SMY104", V0, ()),
    Case("SMY104", V1, (), "recipe.yaml"),
    Case("SMY105", V0 + "\n\n", (V0.count("\n") + 1,)),
    Case("SMY105", V1 + "\n", (V1.count("\n") + 1,), "recipe.yaml"),
    Case("SMY105", V0, ()),
    Case("SMY106", V0.rstrip("\n"), (V0.count("\n"),)),
    Case("SMY106", V1.rstrip("\n"), (V1.count("\n"),), "recipe.yaml"),
    Case("SMY106", V1, (), "recipe.yaml"),
    Case("SMY107", FLOAT_V1, (line_of(FLOAT_V1, "api: 1.10"),), "recipe.yaml"),
    Case("SMY107", V1, (), "recipe.yaml"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
