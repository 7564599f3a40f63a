"""The HTML report in a real headless Chromium: it renders, has no console errors, and sorts."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from smithy.fleet.results import ResultsWriter
from smithy.fleet.summary import summarise
from smithy.report.fleet_html import write_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)


def _records() -> list[dict[str, object]]:
    files = {"create": [], "update": [".ci_support/linux_64_.yaml"], "remove": []}
    keys = {"linux_64_": ["zlib"]}
    drift = {"files": files, "jobs_added": ["osx_64_"], "jobs_removed": [], "keys_changed": keys}
    finding = {"code": "SMY305", "name": "x", "severity": "hint", "path": "recipe/meta.yaml",
               "line": 3, "column": 1, "message": "m", "fix": None, "compat_id": None}  # fmt: skip
    return [
        {"name": "beta-feedstock", "operation": "check", "status": "changed", "seconds": 2.5,
         "input_hash": "h", "error": None, "drift": drift},
        {"name": "alpha-feedstock", "operation": "lint", "status": "changed", "seconds": 0.25,
         "input_hash": "h", "error": None, "findings": [finding, finding]},
        {"name": "gamma-feedstock", "operation": "check", "status": "failed", "seconds": 10.0,
         "input_hash": "h", "error": "recipe/meta.yaml:3: error: <b>bad</b>"},
        {"name": "delta-feedstock", "operation": "check", "status": "timeout", "seconds": 1.0,
         "input_hash": "h", "error": "took longer than 1 s"},
    ]  # fmt: skip


def _distinct_bytes(png: bytes) -> int:
    """How many different byte values the decompressed pixels hold (1-3 for a blank page)."""
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        at += 12 + length
    return len(set(zlib.decompress(b"".join(chunks))))


def test_report_renders_and_sorts_in_chromium(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    results = tmp_path / "results.jsonl"
    writer = ResultsWriter(results)
    for record in _records():
        writer.write(record)
    writer.finish()
    from smithy.fleet.results import iter_records

    page_file = tmp_path / "report.html"
    with page_file.open("w", encoding="utf-8") as stream:
        write_html(stream, summarise(iter_records([results])), iter_records([results]), "fleet")
    errors: list[str] = []
    with playwright.sync_playwright() as driver:
        # A fresh profile folder: playwright passes it as --user-data-dir.
        browser = driver.chromium.launch_persistent_context(
            tmp_path / "profile", executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(page_file.as_uri())
        shot = page.screenshot(full_page=True)
        assert _distinct_bytes(shot) > 20
        assert page.locator("#results tbody tr").count() == 4
        assert page.locator("svg rect").count() >= 3  # drift kinds and one rule
        assert page.locator(".failed b").inner_text() == "1"
        names = "#results tbody tr td:first-child"
        assert page.locator(names).all_inner_texts()[0] == "alpha-feedstock"  # file order
        page.click("th:has-text('seconds')")
        column = page.locator("#results tbody tr td:nth-child(4)").all_inner_texts()
        assert [float(v) for v in column] == [0.25, 1.0, 2.5, 10.0]
        page.click("th:has-text('seconds')")
        assert page.locator(names).all_inner_texts()[0] == "gamma-feedstock"
        page.click("th:has-text('name')")
        assert page.locator(names).all_inner_texts() == sorted(
            page.locator(names).all_inner_texts()
        )
        assert "<b>bad</b>" in page.locator("#results").inner_text()  # escaped, not markup
        browser.close()
    assert errors == []
