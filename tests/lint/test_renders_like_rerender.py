"""Lint renders a recipe through the same matrix as a rerender: same platforms, same variants."""

from __future__ import annotations

import pytest

from smithy import api
from smithy.errors import SmithyError
from smithy.lint.context import LintContext, LintOptions
from smithy.recipe.load import load_recipe
from tests.lint.helpers import PINNING, run_lint, write_feedstock

DEPLOYMENT_TARGET = """\
package:
  name: demo
  version: 1.0
build:
  number: 0
  script_env:
    - MIN_OSX={{ MACOSX_DEPLOYMENT_TARGET }}  # [osx]
requirements:
  build:
    - {{ compiler('c') }}
"""

AARCH64_ONLY_TYPO = """\
package:
  name: demo
  version: 1.0
build:
  number: 0
  script_env:
    - X={{ not_defined_anywhere }}  # [aarch64]
requirements:
  build:
    - {{ compiler('c') }}
"""

AARCH64 = "provider:\n  linux_aarch64: default\n"


def _render_codes(root) -> list[str]:
    return [f.code for f in run_lint(root, ["SMY002"]).findings]


def test_lint_knows_the_deployment_target_a_rerender_merges_in(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", DEPLOYMENT_TARGET)
    api.variants(root, pinning=PINNING)  # renders
    assert _render_codes(root) == []


@pytest.mark.parametrize(
    ("config", "expected"),
    [("{}\n", []), (AARCH64, ["SMY002"])],
    ids=["aarch64 not built", "aarch64 built"],
)
def test_lint_renders_the_platforms_conda_forge_yml_builds(tmp_path, config, expected) -> None:
    root = write_feedstock(tmp_path / "feed", AARCH64_ONLY_TYPO, files={"conda-forge.yml": config})
    assert _render_codes(root) == expected
    if expected:
        with pytest.raises(SmithyError, match="not_defined_anywhere"):
            api.variants(root, pinning=PINNING)
    else:
        api.variants(root, pinning=PINNING)


def test_lint_sees_the_variants_a_rerender_renders(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", DEPLOYMENT_TARGET, files={"conda-forge.yml": AARCH64})
    _source, matrix = api.variants(root, pinning=PINNING)
    ctx = LintContext(load_recipe(root), LintOptions(pinning=PINNING))

    def key(renders):
        return [(r.platform, sorted(r.variant.items())) for r in renders]

    assert key(ctx.rendered) == key(matrix.renders)
    assert {r.platform for r in ctx.rendered} == {"linux-64", "linux-aarch64", "osx-64", "win-64"}
