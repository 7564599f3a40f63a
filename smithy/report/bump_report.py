"""Text and JSON views of a version check and a bump."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from smithy.bump.apply import BumpReport
from smithy.bump.check import VersionCheck


def _where(check: VersionCheck) -> str:
    if check.source is None:
        return "asked for" if check.skipped is None else check.skipped
    return f"{check.source.kind} {check.source.name}"


def check_text(check: VersionCheck) -> str:
    """One line: the current version, what upstream offers and where it looked."""
    if check.skipped:
        return f"{check.feedstock}: {check.current}, not checked ({check.skipped})"
    if check.newest is None:
        return f"{check.feedstock}: {check.current}, no release found ({_where(check)})"
    if check.outdated:
        return f"{check.feedstock}: {check.current} -> {check.newest} available ({_where(check)})"
    return f"{check.feedstock}: {check.current} is up to date ({_where(check)})"


def bump_text(report: BumpReport) -> str:
    """A summary line of a bump, plus one line per downloaded source."""
    check = report.check
    if report.target is None:
        return check_text(check)
    if report.target == check.current:
        return f"{report.change.path}: {check.current}, every checksum matches its download"
    verb = "bumped" if report.written else "would bump"
    lines = [f"{verb} {report.change.path}: {check.current} -> {report.target} ({_where(check)})"]
    lines += [
        f"  sha256 {item.sha256}  {item.url} ({item.size} bytes)" for item in report.downloads
    ]
    return "\n".join(lines)


def bump_data(
    report: BumpReport, *, rerendered: bool = False, branch: str | None = None
) -> dict[str, Any]:
    """The bump as JSON-serialisable data."""
    return {
        **report.check.to_json(),
        "target": report.target,
        "written": report.written,
        "recipe": report.change.path,
        "downloads": [
            {"url": item.url, "sha256": item.sha256, "size": item.size} for item in report.downloads
        ],
        "rerendered": rerendered,
        "branch": branch,
    }


def fleet_text(results: Iterable[Mapping[str, Any]]) -> str:
    """One line per checked feedstock, outdated ones first, then a count."""
    rows = list(results)
    lines: list[str] = []
    for row in sorted(
        rows, key=lambda r: (not r.get("outdated"), "error" not in r, r["feedstock"])
    ):
        if "error" in row:
            lines.append(f"{row['feedstock']}: {row['error']}")
        elif row["outdated"]:
            lines.append(f"{row['feedstock']}: {row['current']} -> {row['newest']}")
        else:
            lines.append(f"{row['feedstock']}: {row['current']} (up to date)")
    outdated = sum(1 for row in rows if row.get("outdated"))
    failed = sum(1 for row in rows if "error" in row)
    lines.append(f"{len(rows)} checked, {outdated} outdated, {failed} failed")
    return "\n".join(lines) + "\n"
