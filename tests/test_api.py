"""``smithy.api.render``: the variant keys a recipe uses decide how many variants it gets."""

from __future__ import annotations

from smithy import api

PINNING = """\
python:
  - 3.11.* *_cpython
  - 3.12.* *_cpython
numpy:
  - 2
  - 2
zip_keys:
  -
    - python
    - numpy
c_compiler:
  - gcc
"""


def _render(build_tree, recipe: str, platforms=("linux-64",)):
    root = build_tree({"recipe/meta.yaml": recipe, "pin/conda_build_config.yaml": PINNING})
    return api.render(root / "recipe", platforms=list(platforms), pinning=str(root / "pin"))


def test_noarch_python_is_rendered_once(build_tree) -> None:
    report = _render(
        build_tree,
        "package:\n  name: purepy\n  version: 1\nbuild:\n  noarch: python\n"
        "requirements:\n  host:\n    - python\n  run:\n    - python\n",
    )
    (platform,) = report.platforms
    assert len(platform.renders) == 1
    assert "python" not in platform.used_keys


def test_compiled_python_package_gets_one_variant_per_python(build_tree) -> None:
    report = _render(
        build_tree,
        "package:\n  name: ext\n  version: 1\nrequirements:\n  build:\n"
        "    - {{ compiler('c') }}\n  host:\n    - python\n    - numpy\n",
    )
    (platform,) = report.platforms
    assert [r.variant["python"] for r in platform.renders] == [
        "3.11.* *_cpython",
        "3.12.* *_cpython",
    ]
    assert platform.used_keys == ("c_compiler", "numpy", "python")


def test_selector_on_variant_key_widens_the_used_keys(build_tree) -> None:
    report = _render(
        build_tree,
        "package:\n  name: ext\n  version: 1\nbuild:\n  skip: true  # [py<312]\n",
    )
    (platform,) = report.platforms
    skipped = [all(o.skip for o in r.outputs) for r in platform.renders]
    assert skipped == [True, False]


def test_noarch_generic_still_splits_on_its_host_keys(build_tree) -> None:
    # conda-forge's R packages are noarch: generic and still get one job per r_base.
    root = build_tree(
        {
            "recipe/meta.yaml": (
                "package:\n  name: r-pure\n  version: 1\nbuild:\n  noarch: generic\n"
                "requirements:\n  host:\n    - r-base\n  run:\n    - r-base\n"
            ),
            "pin/conda_build_config.yaml": "r_base:\n  - 4.4\n  - 4.5\n",
        }
    )
    report = api.render(root / "recipe", platforms=["linux-64"], pinning=str(root / "pin"))
    assert [r.variant["r_base"] for r in report.platforms[0].renders] == ["4.4", "4.5"]
