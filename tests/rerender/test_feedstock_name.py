"""The feedstock name has one rule everywhere: feedstock-name, then parent_recipe, then the name."""

from __future__ import annotations

import pytest

from smithy import api
from smithy.github.feedstock import read_feedstock
from smithy.rerender.plan import feedstock_facts
from tests.lint.helpers import PINNING, write_feedstock

RECIPE = """\
package:
  name: libfoo
  version: 1.0
build:
  number: 0
extra:
{extra}
"""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("  recipe-maintainers:\n    - someone\n", "libfoo"),
        ("  parent_recipe:\n    name: foo-split\n", "foo-split"),
        ("  feedstock-name: foo\n  parent_recipe:\n    name: foo-split\n", "foo"),
    ],
    ids=["package name", "parent_recipe", "feedstock-name first"],
)
def test_rerender_and_registration_name_the_feedstock_alike(tmp_path, extra, expected) -> None:
    root = write_feedstock(tmp_path / "feed", RECIPE.format(extra=extra))
    _source, matrix = api.variants(root, pinning=PINNING)
    assert feedstock_facts(root, matrix).feedstock_name == f"{expected}-feedstock"
    assert read_feedstock(root, {}, pinning=PINNING).name == expected
