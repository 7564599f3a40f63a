"""SMY5xx: source hashes, wheels and the legacy PyPI host."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V0_NOARCH, V1, V1_NOARCH, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

HASH = "  sha256: 1111111111111111111111111111111111111111111111111111111111111111\n"
NO_HASH_V0 = edit(V0, HASH, "")
NO_HASH_V1 = edit(V1, HASH, "")
MD5_V0 = edit(V0, HASH, "  md5: 0123456789abcdef0123456789abcdef\n")
WHEEL = "https://example.org/goodpkg-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl"
PURE = "https://example.org/purepy-2.0.0-py3-none-any.whl"
COMPILED_V0 = edit(V0, "https://example.org/goodpkg-{{ version }}.tar.gz", WHEEL)
COMPILED_V1 = edit(V1, "https://example.org/goodpkg-${{ version }}.tar.gz", WHEEL)
PURE_V0 = edit(V0, "https://example.org/goodpkg-{{ version }}.tar.gz", PURE)
PURE_V1 = edit(V1, "https://example.org/goodpkg-${{ version }}.tar.gz", PURE)
PURE_NOARCH_V0 = edit(V0_NOARCH, "https://example.org/purepy-{{ version }}.tar.gz", PURE)
PURE_NOARCH_V1 = edit(V1_NOARCH, "https://example.org/purepy-${{ version }}.tar.gz", PURE)
PYPI_V0 = edit(
    V0, "https://example.org/goodpkg", "https://pypi.io/packages/source/g/goodpkg/goodpkg"
)
PYPI_V1 = edit(
    V1, "https://example.org/goodpkg", "https://pypi.io/packages/source/g/goodpkg/goodpkg"
)

CASES = [
    Case("SMY501", NO_HASH_V0, (line_of(V0, "  url:"),)),
    Case("SMY501", NO_HASH_V1, (line_of(V1, "  url:"),), "recipe.yaml"),
    Case("SMY501", MD5_V0, (), label="md5"),
    Case("SMY501", V1, (), "recipe.yaml"),
    Case("SMY502", COMPILED_V0, (line_of(V0, "  url:"),)),
    Case("SMY502", COMPILED_V1, (line_of(V1, "  url:"),), "recipe.yaml"),
    Case("SMY502", PURE_V0, (), label="pure"),
    Case("SMY503", PURE_V0, (line_of(V0, "  url:"),)),
    Case("SMY503", PURE_V1, (line_of(V1, "  url:"),), "recipe.yaml"),
    Case("SMY503", PURE_NOARCH_V0, (), label="noarch"),
    Case("SMY504", PURE_NOARCH_V0, (line_of(V0_NOARCH, "  url:"),)),
    Case("SMY504", PURE_NOARCH_V1, (line_of(V1_NOARCH, "  url:"),), "recipe.yaml"),
    Case("SMY504", PURE_V0, (), label="not-noarch"),
    Case("SMY505", PYPI_V0, (line_of(V0, "  url:"),)),
    Case("SMY505", PYPI_V1, (line_of(V1, "  url:"),), "recipe.yaml"),
    Case("SMY505", V0, ()),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
