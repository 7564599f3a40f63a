"""Reporters: text lines with help, the JSON contract, GitHub annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
from dataclasses import replace

from smithy.lint.finding import Finding, Severity
from smithy.lint.registry import get
from smithy.report.findings import github_report, json_report, sarif_report, text_report

LINT = Finding(
    "SMY501",
    "missing-source-hash",
    Severity.LINT,
    "R-019",
    "recipe/meta.yaml",
    7,
    3,
    "the source url has no sha256 hash",
    "Add the sha256.",
)
HINT = Finding(
    "SMY207",
    "license-not-spdx",
    Severity.HINT,
    "R-044",
    "recipe/meta.yaml",
    0,
    0,
    "bad, license: 100%",
    None,
)


def test_text_has_position_code_and_help() -> None:
    lines = text_report([LINT, HINT]).splitlines()
    assert lines[0] == "recipe/meta.yaml:7:3: SMY501 the source url has no sha256 hash"
    assert lines[1] == "  help: Add the sha256."
    assert lines[2] == "recipe/meta.yaml: SMY207 hint: bad, license: 100%"
    assert lines[-1] == "found 1 lint and 1 hint"


def test_json_contract() -> None:
    data = json.loads(json_report([LINT]))
    assert list(data) == ["findings"]
    assert data["findings"][0] == {
        "code": "SMY501",
        "name": "missing-source-hash",
        "severity": "lint",
        "compat_id": "R-019",
        "path": "recipe/meta.yaml",
        "line": 7,
        "column": 3,
        "message": "the source url has no sha256 hash",
        "fix": "Add the sha256.",
    }


def test_github_annotations_escape_and_pick_level() -> None:
    out = github_report([LINT, HINT]).splitlines()
    assert out[0].startswith(
        "::error file=recipe/meta.yaml,line=7,col=3,title=SMY501 missing-source-hash::"
    )
    assert "%0Ahelp: Add the sha256." in out[0]
    assert (
        out[1]
        == "::warning file=recipe/meta.yaml,title=SMY207 license-not-spdx::bad, license: 100%25"
    )


def test_sarif_is_2_1_0_with_rules_and_regions() -> None:
    log = json.loads(sarif_report([LINT, HINT], [get("SMY501"), get("SMY207")]))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["SMY501", "SMY207"]
    first, second = run["results"]
    assert first["level"] == "error" and second["level"] == "warning"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 3}
    assert "region" not in second["locations"][0]["physicalLocation"]
    assert second["ruleIndex"] == 1
    # relative paths are anchored at the checkout, so GitHub code scanning can map them
    artifact = first["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "recipe/meta.yaml", "uriBaseId": "%SRCROOT%"}
    outside = replace(LINT, path="../elsewhere/meta.yaml")
    log = json.loads(sarif_report([outside], [get("SMY501")]))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert "uriBaseId" not in location["artifactLocation"]
