"""Reports print recipe-supplied text on one line, without raw control characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy import cli
from smithy.lint.finding import Finding, Severity
from smithy.report.findings import github_report, text_report
from smithy.safe_text import visible

HOSTILE_META = """\
package:
  name: foo
  version: "1.0"
build:
  number: 0
"bad\\nrecipe/meta.yaml:1:1: SMY000 forged": 1
"\\e]0;title\\a\\e[31mred\\u202e": 2
"""


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain é 😀", "plain é 😀"),
        ("a\nb", "a\\nb"),
        ("\x1b[31m", "\\x1b[31m"),
        ("x\u202ey", "x\\u202ey"),
        ("half\ud800", "half\\ud800"),
        ("\x9b", "\\x9b"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def finding(message: str) -> Finding:
    return Finding(
        code="SMY101",
        name="unexpected-section",
        severity=Severity.LINT,
        compat_id=None,
        message=message,
        path="recipe/meta.yaml",
        line=6,
        column=1,
        fix=None,
    )


def test_a_key_with_a_newline_cannot_forge_a_finding_line() -> None:
    text = text_report([finding("section 'a\nrecipe/meta.yaml:1:1: SMY000 forged'")])
    assert text.splitlines() == [
        "recipe/meta.yaml:6:1: SMY101 section 'a\\nrecipe/meta.yaml:1:1: SMY000 forged'",
        "found 1 lint and 0 hints",
    ]


def test_github_annotations_carry_no_raw_escape_codes() -> None:
    out = github_report([finding("\x1b]0;t\x07\x1b[31m")])
    assert "\x1b" not in out and "\x07" not in out
    assert out.count("\n") == 1


def test_lint_and_render_of_a_hostile_recipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "recipe").mkdir()
    (tmp_path / "recipe" / "meta.yaml").write_text(HOSTILE_META, encoding="utf-8")
    assert cli.main(["lint", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert not any(line.startswith("recipe/meta.yaml:1:1: SMY000") for line in out.splitlines())
    (tmp_path / "recipe" / "meta.yaml").write_text(
        'package:\n  name: "foo\\e[2J"\n  version: "1"\n', encoding="utf-8"
    )
    assert cli.main(["render", str(tmp_path), "-p", "linux-64"]) == 0
    assert "foo\\x1b[2J 1" in capsys.readouterr().out


def test_error_line_escapes_control_characters_in_paths(tmp_path, capsys) -> None:
    from smithy.cli import main

    folder = tmp_path / "bad\nname\x1b[31m"
    folder.mkdir()
    assert main(["render", str(folder)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert "bad\\nname\\x1b[31m" in err
