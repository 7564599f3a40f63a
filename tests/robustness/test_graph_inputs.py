"""Graph commands on hostile inputs: exit 2/3 with a one-line message, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy import cli
from smithy.errors import SmithyError
from smithy.graph.discover import discover_feedstocks
from smithy.graph.serialize import loads_graph

META = """\
package:
  name: a
  version: "1.0"
build:
  number: 0
"""


def feedstocks(root: Path) -> Path:
    (root / "a-feedstock" / "recipe").mkdir(parents=True)
    (root / "a-feedstock" / "recipe" / "meta.yaml").write_text(META, encoding="utf-8")
    return root


def test_a_nul_in_a_list_file_names_its_line(tmp_path: Path) -> None:
    listing = feedstocks(tmp_path) / "list.txt"
    listing.write_text("a-feedstock\n# comment\nb\x00c\n", encoding="utf-8")
    with pytest.raises(SmithyError, match="NUL") as info:
        discover_feedstocks([listing])
    assert info.value.span is not None and info.value.span.line == 3


def test_deeply_nested_json_is_not_a_graph_file() -> None:
    with pytest.raises(SmithyError, match="nested too deeply"):
        loads_graph("[" * 100_000 + "]" * 100_000, "graph.json")


@pytest.mark.parametrize("target", ["out", "missing/dir/graph.json"])
def test_build_output_that_cannot_be_written_is_bad_input(
    tmp_path: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = feedstocks(tmp_path / "fs")
    (tmp_path / "out").mkdir()
    output = tmp_path / target
    argv = ["graph", "build", "--no-cache", "-o", str(output), str(root)]
    assert cli.main(argv) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{output}: error: cannot write") and "\n" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["graph", "build", "--no-cache", "-j", "0"],
        ["graph", "build", "--no-cache", "-j", "-3"],
        ["graph", "waves", "--no-cache", "-p", "linux-65"],
        ["graph", "cycles", "--no-cache", "-p", "../x"],
    ],
)
def test_bad_jobs_and_platform_are_usage_errors(tmp_path: Path, argv: list[str]) -> None:
    assert cli.main([*argv, str(feedstocks(tmp_path))]) == 2


def test_a_known_platform_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["graph", "waves", "--no-cache", "-p", "linux-64", str(feedstocks(tmp_path))]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out == "wave 1: a\n"


def test_orders_name_feedstocks_that_failed_to_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = feedstocks(tmp_path)
    (root / "b-feedstock" / "recipe").mkdir(parents=True)
    (root / "b-feedstock" / "recipe" / "meta.yaml").write_text("{{ nope }\n", encoding="utf-8")
    assert cli.main(["graph", "waves", "--no-cache", str(root)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "wave 1: a b\n"
    assert captured.err == (
        "warning: 1 feedstock(s) could not be parsed and have no edges: b "
        "(see 'smithy graph build')\n"
    )
