"""SMY2xx: about fields, licenses, SPDX, maintainers, feedstock-name."""

from __future__ import annotations

import pytest

from smithy.lint.spdx import check_expression, license_ids, parsed_check
from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

NO_SUMMARY_V0 = edit(V0, "  summary: A good package\n", "")
NO_HOME_V1 = edit(V1, "  homepage: https://example.org/goodpkg\n", "")
NO_MAINT_V0 = edit(V0, "  recipe-maintainers:\n    - someone\n", "  feedstock-name: goodpkg\n")
NO_MAINT_V1 = edit(V1, "  recipe-maintainers:\n    - someone\n", "  recipe-maintainers: []\n")
MAINT_STR_V0 = edit(V0, "  recipe-maintainers:\n    - someone\n", "  recipe-maintainers: someone\n")
MAINT_STR_V1 = edit(V1, "  recipe-maintainers:\n    - someone\n", "  recipe-maintainers: someone\n")


def lic(base: str, value: str) -> str:
    return edit(base, "  license: MIT", f"  license: {value}")


def lic_line(base: str) -> int:
    return line_of(base, "  license: MIT")


NO_FILE_V0 = edit(V0, "  license_file: LICENSE\n", "")
NO_FILE_V1 = edit(V1, "  license_file: LICENSE\n", "")
NO_FILE_OK_V0 = edit(lic(V0, "Zlib"), "  license_file: LICENSE\n", "")
SUFFIX_V0 = edit(V0, "extra:\n", "extra:\n  feedstock-name: goodpkg-feedstock\n")
SUFFIX_V1 = edit(V1, "extra:\n", "extra:\n  feedstock-name: goodpkg-feedstock\n")

CASES = [
    Case("SMY201", NO_SUMMARY_V0, (line_of(NO_SUMMARY_V0, "about:"),)),
    Case("SMY201", NO_HOME_V1, (line_of(NO_HOME_V1, "about:"),), "recipe.yaml"),
    Case("SMY201", V0, ()),
    Case("SMY201", V1, (), "recipe.yaml"),
    Case("SMY202", NO_MAINT_V0, (line_of(NO_MAINT_V0, "extra:"),)),
    Case("SMY202", NO_MAINT_V1, (line_of(NO_MAINT_V1, "recipe-maintainers"),), "recipe.yaml"),
    Case("SMY202", V0, ()),
    Case("SMY203", MAINT_STR_V0, (line_of(MAINT_STR_V0, "recipe-maintainers"),)),
    Case("SMY203", MAINT_STR_V1, (line_of(MAINT_STR_V1, "recipe-maintainers"),), "recipe.yaml"),
    Case("SMY203", V1, (), "recipe.yaml"),
    Case("SMY204", lic(V0, "unknown"), (lic_line(V0),)),
    Case("SMY204", lic(V1, "Unknown"), (lic_line(V1),), "recipe.yaml"),
    Case("SMY204", V0, ()),
    Case("SMY205", lic(V0, "MIT License"), (lic_line(V0),)),
    Case("SMY205", lic(V1, "BSD License"), (lic_line(V1),), "recipe.yaml"),
    Case("SMY205", lic(V0, "Unlicense"), (), label="unlicense"),
    Case("SMY205", lic(V1, "LicenseRef-Custom"), (), "recipe.yaml", label="ref"),
    Case("SMY206", NO_FILE_V0, (lic_line(V0),)),
    Case("SMY206", NO_FILE_V1, (lic_line(V1),), "recipe.yaml"),
    Case("SMY206", NO_FILE_OK_V0, (), label="zlib-family"),
    Case("SMY206", V1, (), "recipe.yaml"),
    Case("SMY207", lic(V0, "BSD"), (lic_line(V0),)),
    Case("SMY207", lic(V1, "Apache 2.0"), (lic_line(V1),), "recipe.yaml"),
    Case("SMY207", lic(V0, "MIT AND"), (lic_line(V0),), label="dangling"),
    Case("SMY207", lic(V0, "mit or BSD-3-Clause"), (), label="case"),
    Case("SMY207", lic(V0, "GPL-2.0-or-later WITH Foo-exception"), (), label="exception"),
    Case("SMY207", lic(V0, "MIT OR (Apache-2.0 WITH LLVM-exception)"), (), label="expr"),
    Case("SMY207", lic(V1, "LicenseRef-Proprietary"), (), "recipe.yaml", label="ref"),
    Case("SMY208", lic(V0, "GPL-2.0-or-later WITH Made-Up-exception"), (lic_line(V0),)),
    Case("SMY208", lic(V1, "Apache-2.0 WITH Nope"), (lic_line(V1),), "recipe.yaml"),
    Case("SMY208", lic(V0, "GPL-3.0-or-later WITH GCC-exception-3.1"), (), label="gcc"),
    Case("SMY208", lic(V0, "LicenseRef-Own WITH llvm-exception OR MIT"), (), label="ref"),
    Case("SMY209", SUFFIX_V0, (line_of(SUFFIX_V0, "feedstock-name"),)),
    Case("SMY209", SUFFIX_V1, (line_of(SUFFIX_V1, "feedstock-name"),), "recipe.yaml"),
    Case("SMY209", NO_MAINT_V0, (), label="plain-name"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)


def test_one_word_licenses_get_the_parsers_verdict_without_it() -> None:
    # check_expression answers a bare known identifier itself; the parser must agree on every
    # identifier, in any case, and on the words it does not know.
    words = [*license_ids().values(), *(w.lower() for w in license_ids().values())]
    words += ["MIT", "mit", "Mit", "GPL-2.0", "NotALicense", "AND", "Apache-2.0+", "MIT OR"]
    for word in words:
        assert check_expression(word) == parsed_check(word), word
