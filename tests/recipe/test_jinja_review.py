"""Review attacks on the jinja sandbox and render path: forged line marks, hidden text weight."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy import cli
from smithy.recipe.jinja import compile_template, render_compiled
from smithy.recipe.jinja_functions import PinRecorder, recipe_variables
from smithy.recipe.model import RenderContext

MARK, MARK_END = "\ue002", "\ue003"
RECIPE = """\
package:
  name: foo
  version: "1.0"
source:
  url: https://example.org/foo-1.0.tar.gz
  sha256: 5b3b022489f3ced82384f06db1e13ba148cbce38c7941e424d6cb414416acd18
build:
  number: 0
about:
  home: https://example.org
  license: MIT
  license_file: LICENSE
  summary: foo
extra:
  recipe-maintainers:
    - someone
"""


def _render(text: str) -> str:
    compiled = compile_template(text, "meta.yaml")
    context = RenderContext("linux-64", "linux-64", {})
    variables = recipe_variables(context, Path("/nonexistent"), {}, PinRecorder(), compiled.names)
    return render_compiled(compiled, variables, "meta.yaml").text


def _feedstock(root: Path, text: str) -> Path:
    (root / "recipe").mkdir(parents=True)
    (root / "recipe" / "meta.yaml").write_text(text, encoding="utf-8")
    (root / "conda-forge.yml").write_text("{}\n", encoding="utf-8")
    return root


FORGED = MARK + "9" * 5000 + MARK_END  # more digits than int() takes


@pytest.mark.parametrize("command", ["lint", "rerender"])
@pytest.mark.parametrize(
    "first",
    [
        f"x: \"{{{{ '\\n{FORGED}' }}}}\"\n",  # a quoted scalar may go on at a line start
        f"x: \"{{{{ '{FORGED}' }}}}\"\n",
        f'x: "a\n{FORGED}"\n',
    ],
)
def test_a_forged_line_mark_with_many_digits_is_plain_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, first: str
) -> None:
    text = first + RECIPE + "bad: [\n"
    root = _feedstock(tmp_path / "fs", text)
    assert cli.main([command, str(root)]) == 3
    out = capsys.readouterr()
    assert "internal error" not in out.out + out.err
    # The YAML error at the end of the file, its line counted on past the forged mark.
    assert f"meta.yaml:{text.count(chr(10)) + 1}:1: " in out.out + out.err
