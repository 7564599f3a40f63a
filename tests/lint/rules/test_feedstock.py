"""SMY9xx: conda-forge's own rules (run only with --conda-forge)."""

from __future__ import annotations

import pytest

from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

CF = "conda-forge.yml"
CI = ".ci_support/linux_64_.yaml"
FEED = {CF: "{}\n", CI: "zlib:\n- '1.3'\nc_compiler:\n- gcc\n"}
PINNED_V0 = edit(V0, "    - zlib\n  run:", "    - zlib 1.2.*\n  run:")
# a bare line plus a constrained one: conda-smithy leaves such packages alone
PINNED_TWICE = edit(V0, "    - zlib\n  run:", "    - zlib\n    - zlib * static_*\n  run:")
GIT = '[remote "origin"]\n\turl = https://github.com/conda-forge/otherpkg-feedstock.git\n'
GIT_OK = '[remote "origin"]\n\turl = git@github.com:conda-forge/goodpkg-feedstock.git\n'

CASES = [
    Case("SMY901", V0, (0,), files={CF: "{}\n"}, conda_forge=True),
    Case("SMY901", V0, (), files=FEED, conda_forge=True),
    Case("SMY901", V0, (), files={CF: "{}\n"}, label="not-conda-forge"),
    Case(
        "SMY902",
        V1,
        (0,),
        "recipe.yaml",
        files={"recipe/conda_build_config.yaml": "# nothing\n"},
        conda_forge=True,
    ),
    Case(
        "SMY902",
        V1,
        (),
        "recipe.yaml",
        files={"recipe/conda_build_config.yaml": "a: [1]\n"},
        conda_forge=True,
    ),
    Case(
        "SMY903",
        V0,
        (0,),
        files={**FEED, ".github/workflows/extra.yml": "on: push\n"},
        conda_forge=True,
    ),
    Case(
        "SMY903",
        V0,
        (),
        files={**FEED, ".github/workflows/conda-build.yml": "on: push\n"},
        conda_forge=True,
    ),
    Case(
        "SMY904",
        V0,
        (1,),
        files={"recipe/conda_build_config.yaml": "MACOSX_DEPLOYMENT_TARGET:\n  - '10.9'\n"},
        conda_forge=True,
    ),
    Case(
        "SMY904",
        V0,
        (),
        files={
            "recipe/conda_build_config.yaml": "c_stdlib_version:  # [osx]\n  - '11.0'  # [osx]\n"
        },
        conda_forge=True,
    ),
    Case(
        "SMY905",
        V1,
        (1,),
        "recipe.yaml",
        files={"recipe/variants.yaml": "c_stdlib_version:\n  - if: osx\n    then: ['10.13']\n"},
        conda_forge=True,
    ),
    Case(
        "SMY905",
        V0,
        (),
        files={
            "recipe/conda_build_config.yaml": "c_stdlib_version:  # [osx]\n  - '11.0'  # [osx]\n"
        },
        conda_forge=True,
    ),
    Case(
        "SMY906",
        V0,
        (3,),
        files={
            "recipe/conda_build_config.yaml": "c_stdlib_version:  # [osx]\n  - '13.3'  # [osx]\nMACOSX_SDK_VERSION:  # [osx]\n  - '12.0'  # [osx]\n"  # noqa: E501
        },
        conda_forge=True,
    ),
    Case(
        "SMY906",
        V0,
        (),
        files={
            "recipe/conda_build_config.yaml": "c_stdlib_version:  # [osx]\n  - '11.0'  # [osx]\nMACOSX_SDK_VERSION:  # [osx]\n  - '12.0'  # [osx]\n"  # noqa: E501
        },
        conda_forge=True,
    ),
    Case("SMY907", PINNED_V0, (line_of(PINNED_V0, "zlib 1.2.*"),), files=FEED, conda_forge=True),
    Case("SMY907", V0, (), files=FEED, conda_forge=True),
    Case("SMY907", PINNED_TWICE, (), files=FEED, conda_forge=True, label="listed-twice"),
    Case(
        "SMY908",
        V0,
        (3,),
        files={CF: "bot:\n  automerge: true\nbot:\n  automerge: false\n"},
        conda_forge=True,
    ),
    Case("SMY908", V0, (), files={CF: "bot:\n  automerge: true\n"}, conda_forge=True),
    Case(
        "SMY909",
        V0,
        (line_of(V0, "  name: goodpkg"),),
        files={**FEED, ".git/config": GIT},
        conda_forge=True,
    ),
    Case("SMY909", V0, (), files={**FEED, ".git/config": GIT_OK}, conda_forge=True),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)
