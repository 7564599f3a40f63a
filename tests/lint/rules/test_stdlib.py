"""SMY43x: stdlib, sysroot, __osx and bundled licenses of Rust and Go builds."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

NO_STDLIB_V0 = edit(V0, "    - {{ stdlib('c') }}\n", "")
NO_STDLIB_V1 = edit(V1, "    - ${{ stdlib('c') }}\n", "")
SYSROOT_V0 = edit(
    V0,
    "    - {{ stdlib('c') }}",
    "    - {{ stdlib('c') }}\n    - sysroot_linux-64 2.17  # [linux64]",
)
SYSROOT_V1 = edit(
    V1,
    "    - ${{ stdlib('c') }}",
    "    - ${{ stdlib('c') }}\n    - if: linux\n      then: sysroot_linux-64 2.17",
)
OSX_V0 = edit(V0, "    - zlib >=1.3", "    - zlib >=1.3\n    - __osx >=10.13  # [osx]")
OSX_V1 = edit(V1, "    - zlib >=1.3", "    - zlib >=1.3\n  run_constraints:\n    - __osx >=10.13")
RUST_V0 = edit(V0, "{{ compiler('c') }}", "{{ compiler('rust') }}")
RUST_OK = edit(
    RUST_V0, "    - {{ stdlib('c') }}", "    - {{ stdlib('c') }}\n    - cargo-bundle-licenses"
)
GO_V1 = edit(V1, "${{ compiler('c') }}", "${{ compiler('go') }}")
GO_OK = edit(GO_V1, "    - ${{ stdlib('c') }}", "    - ${{ stdlib('c') }}\n    - go-licenses")

CASES = [
    Case("SMY431", NO_STDLIB_V0, (line_of(V0, "compiler('c')"),)),
    Case("SMY431", NO_STDLIB_V1, (line_of(V1, "compiler('c')"),), "recipe.yaml"),
    Case("SMY431", V0, ()),
    Case("SMY431", V1, (), "recipe.yaml"),
    Case("SMY432", SYSROOT_V0, (line_of(SYSROOT_V0, "sysroot_linux"),)),
    Case("SMY432", SYSROOT_V1, (line_of(SYSROOT_V1, "sysroot_linux"),), "recipe.yaml"),
    Case("SMY432", V0, ()),
    Case("SMY433", OSX_V0, (line_of(OSX_V0, "__osx"),)),
    Case("SMY433", OSX_V1, (line_of(OSX_V1, "__osx"),), "recipe.yaml"),
    Case("SMY433", V1, (), "recipe.yaml"),
    Case("SMY434", RUST_V0, (line_of(RUST_V0, "compiler('rust')"),)),
    Case("SMY434", RUST_OK, ()),
    Case("SMY435", GO_V1, (line_of(GO_V1, "compiler('go')"),), "recipe.yaml"),
    Case("SMY435", GO_OK, (), "recipe.yaml"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
