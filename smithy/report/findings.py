"""Lint findings as text, JSON, GitHub workflow annotations and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from smithy import __version__
from smithy.lint.finding import Finding, Severity
from smithy.lint.rule import Rule
from smithy.safe_text import visible

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_URL = "https://github.com/smithy-forge/smithy/blob/main/docs/rules.md"


def _where(finding: Finding) -> str:
    parts = [finding.path]
    if finding.line:
        parts.append(str(finding.line))
        if finding.column:
            parts.append(str(finding.column))
    return ":".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def text_report(findings: Sequence[Finding]) -> str:
    """``path:line:col: SMY123 message`` per finding, a ``help:`` line, then a summary."""
    out: list[str] = []
    for finding in findings:
        tag = "" if finding.severity is Severity.LINT else "hint: "
        where = visible(_where(finding))
        out.append(f"{where}: {finding.code} {tag}{visible(finding.message)}")
        if finding.fix:
            out.append(f"  help: {finding.fix}")
    lints = sum(1 for f in findings if f.severity is Severity.LINT)
    hints = len(findings) - lints
    out.append(
        f"found {_plural(lints, 'lint')} and {_plural(hints, 'hint')}" if findings else "all good"
    )
    return "\n".join(out) + "\n"


def json_report(findings: Sequence[Finding]) -> str:
    """``{"findings": [...]}`` with one object per finding (see ``Finding.as_dict``)."""
    return json.dumps({"findings": [f.as_dict() for f in findings]}, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_report(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: ``::error`` for lints, ``::warning`` for hints."""
    out = []
    for finding in findings:
        level = "error" if finding.severity is Severity.LINT else "warning"
        props = [f"file={_escape_property(finding.path)}"]
        if finding.line:
            props.append(f"line={finding.line}")
            if finding.column:
                props.append(f"col={finding.column}")
        props.append(f"title={_escape_property(f'{finding.code} {finding.name}')}")
        message = visible(finding.message) + (f"\nhelp: {finding.fix}" if finding.fix else "")
        out.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.LINT else "warning"


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.fix},
        "helpUri": f"{RULES_URL}#{rule.code.lower()}",
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {"compat_id": rule.compat_id, "severity": rule.severity.value},
    }


def _sarif_result(finding: Finding, index: int) -> dict[str, Any]:
    uri = finding.path.replace("\\", "/")
    artifact: dict[str, Any] = {"uri": uri}
    if not uri.startswith(("/", "../")) and ":" not in uri.split("/", 1)[0]:
        # relative to the checkout, where the lint runs: GitHub code scanning maps
        # %SRCROOT% to the repository root
        artifact["uriBaseId"] = "%SRCROOT%"
    location: dict[str, Any] = {"artifactLocation": artifact}
    if finding.line:
        region = {"startLine": finding.line}
        if finding.column:
            region["startColumn"] = finding.column
        location["region"] = region
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": _level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": location}],
    }
    if finding.fix:
        result["properties"] = {"fix": finding.fix}
    return result


def sarif_report(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """A SARIF 2.1.0 log with one run; ``rules`` describes every rule findings refer to."""
    index = {rule.code: i for i, rule in enumerate(rules)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "smithy",
                        "version": __version__,
                        "informationUri": RULES_URL,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "results": [_sarif_result(f, index[f.code]) for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
