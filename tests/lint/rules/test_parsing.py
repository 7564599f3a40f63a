"""SMY0xx: unreadable recipes and configs, duplicate recipes, setup.py data, schema version."""

from __future__ import annotations

import pytest

from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

BAD_YAML = edit(V0, "  number: 0\n", "  number: 0\n   bad: [\n")
BAD_YAML_V1 = edit(V1, "  number: 0\n", "  number: : 0\n")
SETUP_PY = edit(
    V0,
    '{% set version = "1.0.0" %}',
    "{% set data = load_setup_py_data() %}\n{% set version = data.get('version', '1.0.0') %}",
)

CASES = [
    Case("SMY001", BAD_YAML, (line_of(BAD_YAML, "bad: ["),)),
    Case("SMY001", BAD_YAML_V1, (line_of(BAD_YAML_V1, "number: :"),), "recipe.yaml"),
    Case("SMY001", V0, ()),
    Case("SMY001", V1, (), "recipe.yaml"),
    Case(
        "SMY002",
        edit(V0, "  number: 0", "  number: {{ no_such_variable.attr }}"),
        (line_of(V0, "  number: 0"),),
    ),
    Case("SMY003", V0, (1,), files={"conda-forge.yml": "- a list\n"}),
    Case("SMY003", V1, (), "recipe.yaml", files={"conda-forge.yml": "{}\n"}),
    Case("SMY004", V1, (1,), "recipe.yaml", files={"recipe/meta.yaml": V0}),
    Case("SMY004", V0, ()),
    Case("SMY005", SETUP_PY, (1,)),
    Case("SMY005", V0, ()),
    Case("SMY006", edit(V1, "schema_version: 1", "schema_version: 2"), (1,), "recipe.yaml"),
    Case("SMY006", V1, (), "recipe.yaml"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)


def test_unparsable_recipe_reports_position_and_column(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", BAD_YAML)
    result = run_lint(root)
    assert [f.code for f in result.findings] == ["SMY001"]
    assert result.findings[0].column > 0
    assert result.unreadable


HOSTILE = {
    "selector-import": edit(
        V0, "    - zlib\n  run:", "    - zlib  # [__import__('os').system('touch PWNED')]\n  run:"
    ),
    "jinja-internals": edit(
        V0, "  number: 0", "  number: {{ ''.__class__.__mro__[1].__subclasses__() }}"
    ),
    "file-outside": edit(
        V0,
        '{% set version = "1.0.0" %}',
        "{% set v = load_file_regex(load_file='../../../etc/passwd', regex_pattern='root') %}\n{% set version = \"1.0.0\" %}",  # noqa: E501
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_recipe_is_reported_and_runs_nothing(tmp_path, monkeypatch, name) -> None:
    monkeypatch.chdir(tmp_path)
    root = write_feedstock(tmp_path / "feed", HOSTILE[name])
    result = run_lint(root)
    codes = {f.code for f in result.findings}
    assert "SMY002" in codes
    bad = next(f for f in result.findings if f.code == "SMY002")
    assert bad.line > 0
    assert not (tmp_path / "PWNED").exists()
    assert result.unreadable


def test_setup_py_is_never_run(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = write_feedstock(
        tmp_path / "feed",
        SETUP_PY,
        files={"recipe/setup.py": "open('PWNED', 'w').write('x')\n"},
    )
    result = run_lint(root)
    assert ("SMY005", 1) in [(f.code, f.line) for f in result.findings]
    assert not (tmp_path / "PWNED").exists()


def test_expression_alone_on_a_line_expands_to_yaml_and_is_not_invalid(tmp_path) -> None:
    # intel_repack: `{{ openmp_mutex }}` holds `- _openmp_mutex * *_llvm`, a list item; as a
    # masked scalar token it broke the list and SMY001 reported YAML that conda-build reads.
    recipe = edit(V0, "    - zlib\n  run:", "    - zlib\n    {{ extra }}  # more\n  run:")
    recipe = '{% set extra = "- libpng" %}\n' + recipe
    root = write_feedstock(tmp_path / "feed", recipe)
    result = run_lint(root)
    assert "SMY001" not in [f.code for f in result.findings]
    assert not result.unreadable
