"""Lint renders the recipe exactly as rerender does: a recipe that rerenders never fails lint."""

from __future__ import annotations

from pathlib import Path

from smithy import api
from tests.conftest import write_tree

PINNING = """\
c_compiler:
  - gcc                        # [linux]
  - clang                      # [osx]
  - vs2022                     # [win]
c_compiler_version:            # [unix]
  - '14'                       # [unix]
cuda_compiler_version:
  - None
c_stdlib:
  - sysroot                    # [linux]
  - macosx_deployment_target   # [osx]
  - vs                         # [win]
c_stdlib_version:
  - '2.17'                     # [linux]
  - '10.13'                    # [osx and x86_64]
  - '11.0'                     # [osx and arm64]
  - '2022.14'                  # [win]
zip_keys:
  -                            # [unix]
    - c_compiler_version       # [unix]
    - cuda_compiler_version    # [unix]
"""

RECIPE = """\
package:
  name: mdt
  version: 1.0.0
source:
  url: https://example.org/mdt-1.0.0.tar.gz
  sha256: 1111111111111111111111111111111111111111111111111111111111111111
build:
  number: 0
requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  run:
    - __osx >={{ MACOSX_DEPLOYMENT_TARGET }}  # [osx]
test:
  commands:
    - mdt --help
about:
  home: https://example.org/mdt
  license: MIT
  license_file: LICENSE
  summary: A package
extra:
  recipe-maintainers:
    - someone
"""
# Zips two values against the pinning's one, but only on linux-ppc64le, which this feedstock
# does not build: conda-build would refuse that platform, rerender never renders it.
RECIPE_CBC = "c_compiler_version:\n  - '14'\n  - '15'  # [ppc64le]\n"


def _feedstock(tmp_path: Path, files: dict[str, str]) -> Path:
    tree = {"pin/conda_build_config.yaml": PINNING, "fs/conda-forge.yml": "{}\n", **files}
    return write_tree(tmp_path, tree)


def _render_findings(root: Path) -> list[str]:
    result = api.lint([root / "fs"], pinning=str(root / "pin"), select=("SMY002",))
    return [finding.message for finding in result.findings]


def test_macos_deployment_target_under_an_osx_selector_renders(tmp_path: Path) -> None:
    # the pinning has no MACOSX_DEPLOYMENT_TARGET: rerender merges it from c_stdlib_version
    root = _feedstock(tmp_path, {"fs/recipe/meta.yaml": RECIPE})
    assert _render_findings(root) == []
    report = api.render(root / "fs", platforms=("osx-64",), pinning=str(root / "pin"))
    (recipe,) = report.platforms[0].renders
    assert [dep.spec for dep in recipe.outputs[0].requirements.run] == ["__osx >=10.13"]


def test_zip_mismatch_on_a_platform_the_feedstock_does_not_build_is_no_lint(
    tmp_path: Path,
) -> None:
    files = {"fs/recipe/meta.yaml": RECIPE, "fs/recipe/conda_build_config.yaml": RECIPE_CBC}
    root = _feedstock(tmp_path, files)
    api.rerender(root / "fs", pinning=str(root / "pin"), mode="dry-run")  # rerenders
    assert _render_findings(root) == []
    # a feedstock that does build linux-ppc64le gets the error, with its file and line
    (root / "fs" / "conda-forge.yml").write_text("provider:\n  linux_ppc64le: default\n")
    (message,) = _render_findings(root)
    assert "'c_compiler_version' is zipped with cuda_compiler_version" in message
