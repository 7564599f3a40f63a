"""``smithy explain`` only answers for a real rule code, name or conda-smithy id."""

from __future__ import annotations

import pytest

from smithy import cli
from smithy.errors import SmithyError
from smithy.lint.registry import get


@pytest.mark.parametrize("word", ["", "   "])
def test_an_empty_word_names_no_rule(word: str) -> None:
    with pytest.raises(SmithyError, match="unknown rule"):
        get(word)


def test_explain_empty_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["explain", ""]) == 3
    assert capsys.readouterr().err == "error: unknown rule '' (see 'smithy rules')\n"


def test_lookup_still_finds_code_name_and_compat_id() -> None:
    rule = get("smy009")
    assert get(rule.name) is rule
    assert rule.compat_id and get(rule.compat_id) is rule
