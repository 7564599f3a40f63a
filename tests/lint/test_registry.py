"""The rule registry: codes unique and well formed, every rule documented and tested."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from smithy.errors import SmithyError
from smithy.lint.registry import (
    CODE_PATTERN,
    FAMILIES,
    RETIRED_CODES,
    all_rules,
    check_patterns,
    get,
    select_rules,
)
from smithy.lint.rule import Input

RULE_TESTS = sorted((Path(__file__).parent / "rules").glob("test_*.py"))


def _cases():
    for path in RULE_TESTS:
        module = importlib.import_module(f"tests.lint.rules.{path.stem}")
        yield from module.CASES


def test_codes_are_unique_well_formed_and_not_retired() -> None:
    codes = [rule.code for rule in all_rules()]
    assert len(codes) == len(set(codes))
    assert all(CODE_PATTERN.match(code) for code in codes)
    assert not set(codes) & RETIRED_CODES
    assert all(rule.family in FAMILIES for rule in all_rules())


def test_names_and_compat_ids_are_unique() -> None:
    names = [rule.name for rule in all_rules()]
    compat = [rule.compat_id for rule in all_rules() if rule.compat_id]
    assert len(names) == len(set(names))
    assert len(compat) == len(set(compat))
    assert all(name == name.lower() and " " not in name for name in names)


def test_every_rule_is_documented() -> None:
    for rule in all_rules():
        assert rule.doc and rule.summary.endswith("."), rule.code
        assert rule.fix, rule.code
        assert rule.reads, rule.code


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    cases = list(_cases())
    failing = {case.code for case in cases if case.lines}
    passing = {case.code for case in cases if not case.lines}
    codes = {rule.code for rule in all_rules()}
    # SMY807 needs a missing shellcheck binary: its failing case patches it (test_files.py).
    assert codes - failing == {"SMY807"}
    assert codes - passing == {"SMY002"}  # every good case also checks that rendering works


def test_every_format_a_rule_covers_has_a_failing_case() -> None:
    cases = list(_cases())
    for rule in all_rules():
        if Input.MIGRATION in rule.reads:
            assert not rule.formats, rule.code  # migration files are no recipe format
            continue
        tested = {case.fmt for case in cases if case.code == rule.code and case.lines}
        wanted = {fmt.value for fmt in rule.formats}
        if rule.code in (
            "SMY002",
            "SMY003",
            "SMY004",
            "SMY804",
            "SMY801",
            "SMY802",
            "SMY803",
            "SMY806",
            "SMY807",
            "SMY901",
            "SMY902",
            "SMY903",
            "SMY904",
            "SMY905",
            "SMY906",
            "SMY908",
            "SMY909",
            "SMY434",
            "SMY435",
            "SMY005",
            "SMY103",
            "SMY405",
            "SMY406",
            "SMY407",
            "SMY617",
            "SMY618",
            "SMY907",
        ):
            continue  # file-level or format-independent checks: one format suffices
        assert tested == wanted, rule.code


def test_lookup_by_code_name_and_compat_id() -> None:
    assert get("SMY501").name == "missing-source-hash"
    assert get("missing-source-hash").code == "SMY501"
    assert get("R-019").code == "SMY501"
    with pytest.raises(SmithyError):
        get("SMY999")


def test_select_and_ignore_by_prefix_and_name() -> None:
    assert {r.code[:4] for r in select_rules(["SMY2"])} == {"SMY2"}
    ignored = select_rules(ignore=["SMY2", "missing-source-hash"])
    assert not any(r.code.startswith("SMY2") or r.code == "SMY501" for r in ignored)
    with pytest.raises(SmithyError):
        check_patterns(["SMX1"])
