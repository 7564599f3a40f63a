"""conda-forge.yml text that YAML accepts but no file can hold is bad input, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy import cli
from smithy.config.load import parse_config
from smithy.errors import ConfigError

META = """\
package:
  name: foo
  version: "1.0"
build:
  number: 0
"""


@pytest.mark.parametrize(
    "text", ['github:\n  user_or_org: "x\\ud800"\n', '"k\\udfff": 1\n', 'bot: {a: "\\udc00"}\n']
)
def test_a_lone_surrogate_escape_is_refused_where_written(text: str) -> None:
    with pytest.raises(ConfigError, match="half a UTF-16 pair") as info:
        parse_config(text)
    assert info.value.span is not None and info.value.span.line >= 1


def test_a_real_astral_character_is_fine() -> None:
    config = parse_config('github:\n  user_or_org: "x\\U0001F600"\n')
    assert config.github.user_or_org == "x\U0001f600"


def test_rerender_exits_3_on_a_surrogate_in_conda_forge_yml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "recipe").mkdir()
    (tmp_path / "recipe" / "meta.yaml").write_text(META, encoding="utf-8")
    (tmp_path / "conda-forge.yml").write_text('github:\n  user_or_org: "x\\ud800"\n')
    assert cli.main(["rerender", "--dry-run", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ":2:16: error: a \\ud800-\\udfff escape" in err


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # An indented first key ends the first document at that key: the rest was dropped.
        (" build_platform: {osx_arm64: osx_64}\nprovider: {linux_aarch64: azure}\n", 2),
        (" github: {branch_name: main}\n\n# comment\nprovider: {}\n", 4),
        ("  a:\n    - 1\n b: 2\n", 3),
    ],
)
def test_what_ends_the_first_document_must_start_the_next(text: str, line: int) -> None:
    with pytest.raises(ConfigError, match="invalid YAML") as info:
        parse_config(text)
    assert info.value.span is not None and info.value.span.line == line


def test_a_stray_byte_order_mark_loses_no_key() -> None:
    config = parse_config("\ufeff\ufeffgithub: {branch_name: dev}\nprovider: {linux_64: azure}\n")
    assert config.provider["linux_64"] == ("azure",)


@pytest.mark.parametrize("later", ["provider: {linux_64: travis}\n", "[unclosed\n"])
def test_documents_after_a_marker_are_not_read(later: str) -> None:
    config = parse_config("provider: {linux_64: azure}\n---\n" + later)
    assert config.provider["linux_64"] == ("azure",)
