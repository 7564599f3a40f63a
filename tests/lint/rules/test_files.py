"""SMY8xx: conda-forge.yml schema findings, old images, variant files, scripts, shellcheck."""

from __future__ import annotations

import pytest

from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V0, V1
from tests.lint.rules.cases import Case, case_id, run_case

CF = "conda-forge.yml"
BAD_CONFIG = "provider:\n  linux_64: github_actions\nbogus_key: 1\nbuild_with_mambabuild: true\n"
OLD_OS = "os_version:\n  linux_64: cos7\n"
AZURE_VARIABLES = (
    "azure:\n  settings_win:\n    variables:\n      SET_PAGEFILE: 'True'\n"
    "      CONDA_BLD_PATH: C:\\\\bld\n  settings_linux:\n    variables:\n"
    "      CONDA_FORGE_DOCKER_RUN_ARGS: --rm\n"
)
# line 1: SC2086 twice; line 2: SC2154 (unassigned variable), which conda-smithy excludes
SCRIPT = 'cp $SRC_DIR/* $PREFIX\necho "$undefined"\n'

CASES = [
    Case("SMY801", V0, (3,), files={CF: BAD_CONFIG}),
    Case("SMY801", V1, (), "recipe.yaml", files={CF: "provider:\n  linux_64: github_actions\n"}),
    Case("SMY802", V0, (4,), files={CF: BAD_CONFIG}),
    Case("SMY802", V0, (), files={CF: "{}\n"}),
    # CF-007: the deprecated Azure variables, one finding per variable line.
    Case("SMY802", V1, (4, 5, 8), "recipe.yaml", files={CF: AZURE_VARIABLES}),
    Case("SMY803", V1, (2,), "recipe.yaml", files={CF: OLD_OS}),
    Case("SMY803", V0, (), files={CF: "os_version:\n  linux_64: alma9\n"}),
    Case(
        "SMY804",
        V1,
        (0,),
        "recipe.yaml",
        files={"recipe/variants.yaml": "a: [1]\n", "recipe/conda_build_config.yaml": "a: [1]\n"},
    ),
    Case("SMY804", V1, (), "recipe.yaml", files={"recipe/variants.yaml": "a: [1]\n"}),
    Case("SMY805", V1, (0,), "recipe.yaml", files={"recipe/bld.bat": "echo\n"}),
    Case("SMY805", V1, (), "recipe.yaml", files={"recipe/build.bat": "echo\n"}),
    Case(
        "SMY806",
        V0,
        (1, 1, 1, 1, 2),  # --enable=all, as conda-smithy: SC2250 (braces) too
        files={CF: "shellcheck:\n  enabled: true\n", "recipe/build.sh": SCRIPT},
    ),
    Case("SMY806", V0, (), files={CF: "{}\n", "recipe/build.sh": SCRIPT}, label="disabled"),
    Case("SMY807", V0, (), files={CF: "shellcheck:\n  enabled: true\n", "recipe/build.sh": SCRIPT}),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)


def test_config_findings_name_the_config_file(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", V0, files={CF: BAD_CONFIG})
    found = [f for f in run_lint(root, ["SMY8"]).findings if f.code == "SMY801"]
    assert found and all(f.path.endswith("conda-forge.yml") for f in found)


def test_shellcheck_failure_is_reported(tmp_path, monkeypatch) -> None:
    from smithy.lint.rules import files

    monkeypatch.setattr(files, "shellcheck_binary", lambda: None)
    root = write_feedstock(
        tmp_path / "feed",
        V0,
        files={CF: "shellcheck:\n  enabled: true\n", "recipe/build.sh": SCRIPT},
    )
    found = [(f.code, f.path.endswith("build.sh")) for f in run_lint(root, ["SMY807"]).findings]
    assert found == [("SMY807", True)]
