"""SMY808-SMY811: conda-forge's checks of workflow_settings entries in conda-forge.yml."""

from __future__ import annotations

import pytest

from smithy.config.schema import ConditionalValue
from smithy.config.workflow_settings import applicable_os
from smithy.lint.rules.workflow_settings import overlapping_groups
from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V0, V1
from tests.lint.rules.cases import Case, case_id, run_case

CF = "conda-forge.yml"
# The entries conda-smithy's own test uses, with what each is expected to trip.
LOOSE = r"""workflow_settings:
  tools_install_dir: C:\test
  free_disk_space:
    - os: [linux, osx]
      platform: [linux_64, osx_arm64]
      value: max
    - os: [linux, osx]
      platform: [linux_64]
      value: skip
    - os: win
      platform: osx_arm64
      value: max
  build_workspace_dir:
    - provider: github_actions
      value: /foo
    - os: [linux, win]
      value: D:\foo
    - os: linux
      value: /bar
    - os: win
      value: C:\bar
    - platform: [linux_64]
      value: /baz
    - platform: [osx_arm64, win_64]
      value: C:\foo
  resize_partitions:
    - provider: github_actions
      value: false
    - os: win
      value: false
    - os: win
      provider: github_actions
      value: true
    - os: [win, linux]
      provider: github_actions
      value: true
    - os: win
      provider: [azure, github_actions]
      value: true
    - platform: win_64
      provider: github_actions
      value: false
    - platform: [win_64, osx_64]
      provider: github_actions
      value: true
"""
TIDY = r"""workflow_settings:
  store_build_artifacts: true
  tools_install_dir:
    - os: [linux, osx]
      value: ~/forge
    - os: win
      value: C:\forge
  build_workspace_dir:
    - platform: [linux_64, linux_aarch64]
      value: /tmp/bld
  resize_partitions:
    - os: win
      provider: github_actions
      value: true
"""
# Written by the user as the legacy key; the migrated entry is built to fit.
LEGACY = "github_actions:\n  resize_win_partitions: true\n"
EXPECTED = {
    "SMY808": (7, 10),
    # Overlap groups end on their last entry: free_disk_space [0,1]; build_workspace_dir
    # [1,2] and [1,3]; resize_partitions [0..4], [0,3], [0,5,6], [0,6], [1,4].
    "SMY809": (7, 18, 20, 34, 37, 37, 43, 43),
    "SMY810": (2, 14, 16, 24),
    "SMY811": (27, 29, 34, 37, 43),
}

CASES = [
    case
    for code, lines in EXPECTED.items()
    for case in (
        Case(code, V0, lines, files={CF: LOOSE}, conda_forge=True),
        Case(code, V1, lines, "recipe.yaml", files={CF: LOOSE}, conda_forge=True),
        Case(code, V0, (), files={CF: TIDY}, conda_forge=True),
        Case(code, V1, (), "recipe.yaml", files={CF: LEGACY}, conda_forge=True, label="legacy"),
        Case(code, V0, (), files={CF: LOOSE}, label="not-conda-forge"),
    )
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, case: Case) -> None:
    run_case(tmp_path, case)


def test_findings_point_into_conda_forge_yml(tmp_path) -> None:
    root = write_feedstock(tmp_path / "feed", V0, files={CF: LOOSE})
    result = run_lint(root, ["SMY808", "SMY810"], conda_forge=True)
    assert result.findings
    assert all(f.path.endswith("feed/conda-forge.yml") for f in result.findings)
    messages = sorted(f.message for f in result.findings if f.code == "SMY808")
    assert messages == [
        "workflow_settings.free_disk_space: os lists linux, osx but the platforms belong to linux",
        "workflow_settings.free_disk_space: os lists win but the platforms belong to osx",
    ]


def test_linter_skip_does_not_apply_to_other_rules(tmp_path) -> None:
    config = LOOSE.replace("workflow_settings:", "linter:\n  skip: [SMY810]\nworkflow_settings:")
    root = write_feedstock(tmp_path / "feed", V0, files={CF: config})
    codes = {f.code for f in run_lint(root, ["SMY8"], conda_forge=True).findings}
    assert {"SMY808", "SMY809", "SMY811"} <= codes
    assert "SMY810" not in codes


def test_overlapping_groups_compare_like_conditions_only() -> None:
    entries = [
        ConditionalValue(1),
        ConditionalValue(2, os=("linux",)),
        ConditionalValue(3, platform=("linux_64",)),
        ConditionalValue(4, os=("linux", "linux")),
    ]
    # The unconditional entry overlaps everything; os and platform are not compared.
    assert overlapping_groups(entries) == [(0, 1, 3), (0, 2)]
    assert overlapping_groups(entries[2:3]) == []


def test_applicable_os_intersects_os_and_platform() -> None:
    assert applicable_os(ConditionalValue(1)) == {"linux", "osx", "win"}
    assert applicable_os(ConditionalValue(1, os=())) == {"linux", "osx", "win"}
    assert applicable_os(ConditionalValue(1, platform=("osx_arm64", "win_64"))) == {"osx", "win"}
    assert applicable_os(ConditionalValue(1, os=("win",), platform=("linux_64",))) == set()
