"""SMY707/SMY708: names selectors read but nothing defines; env.get without a default."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy import api
from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

TYPO_V0 = edit(V0, "    - zlib\n  run:", "    - zlib  # [lnux]\n  run:")
MPI_V0 = edit(V0, "    - zlib\n  run:", '    - zlib  # [mpi == "openmpi"]\n  run:')
KNOWN_V0 = edit(V0, "    - zlib\n  run:", "    - zlib  # [linux and py>=310]\n  run:")
TYPO_V1 = edit(V1, "    - zlib\n  run:", "    - if: lnux\n      then: zlib\n  run:")
KNOWN_V1 = edit(V1, "    - zlib\n  run:", "    - if: linux and version\n      then: zlib\n  run:")
ENV_V1 = edit(V1, "      - goodpkg --help", '      - goodpkg --help ${{ env.get("TOKEN") }}')
ENV_OK = edit(V1, "      - goodpkg --help", '      - goodpkg ${{ env.get("TOKEN", default="") }}')

CASES = [
    Case("SMY707", TYPO_V0, (line_of(TYPO_V0, "# [lnux]"),)),
    Case("SMY707", MPI_V0, (line_of(MPI_V0, "# [mpi"),), label="mpi"),
    Case("SMY707", KNOWN_V0, ()),
    Case("SMY707", TYPO_V1, (line_of(TYPO_V1, "if: lnux"),), "recipe.yaml"),
    Case("SMY707", KNOWN_V1, (), "recipe.yaml"),
    Case("SMY708", ENV_V1, (line_of(ENV_V1, "TOKEN"),), "recipe.yaml"),
    Case("SMY708", ENV_OK, (), "recipe.yaml"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path: Path, case: Case) -> None:
    run_case(tmp_path, case)


def test_typo_hint_suggests_the_name_and_keeps_the_column(tmp_path: Path) -> None:
    recipe = tmp_path / "meta.yaml"
    recipe.write_text(TYPO_V0)
    report = api.lint([tmp_path], select=("SMY707",))
    (finding,) = report.findings
    assert "did you mean 'linux'" in finding.message
    line = TYPO_V0.split("\n")[finding.line - 1]
    assert line[finding.column - 1 :].startswith("lnux")
