"""SMY4xx: requirement spec syntax and spacing, legacy pins."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case


def run_dep(base: str, spec: str) -> str:
    return edit(base, "    - zlib >=1.3", f"    - {spec}")


def run_line(base: str) -> int:
    return line_of(base, "    - zlib >=1.3")


CASES = [
    Case("SMY401", run_dep(V0, "zlib >=1.3,,<2"), (run_line(V0),)),
    Case("SMY401", run_dep(V1, "zlib >=1..3"), (run_line(V1),), "recipe.yaml"),
    Case("SMY401", V0, ()),
    Case("SMY401", V1, (), "recipe.yaml"),
    Case("SMY402", run_dep(V0, "zlib 1.3"), (run_line(V0),)),
    Case("SMY402", run_dep(V1, "zlib >=1 <2"), (run_line(V1),), "recipe.yaml"),
    Case("SMY402", run_dep(V0, "zlib >=1.*"), (run_line(V0),), label="star-range"),
    Case("SMY402", run_dep(V0, "zlib 1.3.*"), (), label="star"),
    Case("SMY402", run_dep(V0, "zlib {{ version }}"), (), label="jinja"),
    Case("SMY403", run_dep(V0, "zlib >= 1.3"), (run_line(V0),)),
    Case("SMY403", run_dep(V1, "zlib >= 1.3"), (run_line(V1),), "recipe.yaml"),
    Case("SMY403", V0, ()),
    Case("SMY404", run_dep(V0, "zlib>=1.3"), (run_line(V0),)),
    Case("SMY404", run_dep(V1, "zlib>=1.3"), (run_line(V1),), "recipe.yaml"),
    Case("SMY404", V1, (), "recipe.yaml"),
    Case("SMY405", run_dep(V0, "zlib =1.3=h1"), (run_line(V0),)),
    Case("SMY405", run_dep(V0, "zlib 1.3 h1"), (), label="spaced"),
    Case(
        "SMY406",
        edit(V0, "    - {{ stdlib('c') }}", "    - {{ stdlib('c') }}\n    - numpy x.x"),
        (line_of(V0, "stdlib('c')") + 1,),
    ),
    Case("SMY406", V0, ()),
    Case(
        "SMY407",
        edit(V0, "    - {{ stdlib('c') }}", "    - {{ stdlib('c') }}\n    - toolchain"),
        (line_of(V0, "stdlib('c')") + 1,),
    ),
    Case("SMY407", V0, ()),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
