"""A fleet run as one self-contained HTML page: counts, charts (inline SVG), slowest, a table.

No script, style or font is fetched from anywhere: a team can publish the file as it is.
The table sorts by a click on its headers (a few lines of inline JavaScript).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import IO, Any

from smithy.fleet.model import STATUSES, Record
from smithy.fleet.summary import Summary

_BAR_HEIGHT = 18
_LABEL_WIDTH = 190
_CHART_WIDTH = 640
_TOP_RULES = 15

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
.counts{display:flex;gap:12px;flex-wrap:wrap}
.count{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:90px}
.count b{display:block;font-size:22px}
.ok b{color:#1a7f37}.changed b{color:#9a6700}.failed b,.timeout b{color:#cf222e}
table{border-collapse:collapse;width:100%;margin-top:8px}
th,td{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f6f8fa;user-select:none}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;gap:24px;flex-wrap:wrap}
"""

_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var column = th.cellIndex;
    var numeric = th.dataset.type === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""


def bar_chart(title: str, items: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG (labels left, bars scaled to the largest count)."""
    height = _BAR_HEIGHT * max(1, len(items)) + 30
    top = max((count for _label, count in items), default=0) or 1
    span = _CHART_WIDTH - _LABEL_WIDTH - 60
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" width="{_CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {_CHART_WIDTH} {height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    if not items:
        parts.append('<text x="0" y="40" fill="#57606a">nothing to show</text>')
    for row, (label, count) in enumerate(items):
        y = 26 + row * _BAR_HEIGHT
        width = max(1, round(span * count / top))
        parts.append(
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{_LABEL_WIDTH}" y="{y + 2}" width="{width}" height="{_BAR_HEIGHT - 5}" '
            f'fill="#0969da"><title>{escape(label)}: {count}</title></rect>'
            f'<text x="{_LABEL_WIDTH + width + 6}" y="{y + 13}">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def detail(record: Record) -> str:
    """A few words on what a record says: the error, the drift or the findings."""
    if record.get("error"):
        return str(record["error"])
    drift = record.get("drift")
    if isinstance(drift, dict):
        files = sum(len(paths) for paths in drift["files"].values())
        added, removed = len(drift["jobs_added"]), len(drift["jobs_removed"])
        keys = sum(len(k) for k in drift["keys_changed"].values())
        return f"{files} files, jobs +{added}/-{removed}, {keys} keys changed" if files else ""
    findings = record.get("findings")
    if isinstance(findings, list):
        codes = sorted({str(f.get("code")) for f in findings})
        return f"{len(findings)} findings: {' '.join(codes)}" if findings else ""
    graph = record.get("graph")
    if isinstance(graph, dict):
        return f"{len(graph.get('outputs') or ())} outputs"
    return ""


def _cell(value: Any, *, number: bool = False) -> str:
    shown = escape(str(value))
    css = ' class="num"' if number else ""
    return f'<td{css} data-value="{escape(str(value), quote=True)}">{shown}</td>'


def _row(record: Record) -> str:
    return (
        "<tr>"
        + _cell(record["name"])
        + _cell(record["operation"])
        + _cell(record["status"])
        + _cell(record.get("seconds", 0), number=True)
        + _cell(detail(record))
        + "</tr>\n"
    )


def _counts(summary: Summary) -> str:
    cards = [
        f'<div class="count {status}" data-status="{status}">{status}'
        f"<b>{summary.by_status.get(status, 0)}</b></div>"
        for status in STATUSES
    ]
    cards.append(f'<div class="count">total<b>{summary.total}</b></div>')
    return '<div class="counts">' + "".join(cards) + "</div>"


def _slowest(summary: Summary) -> str:
    items = "".join(
        f"<li>{escape(name)}: {seconds:.2f} s</li>" for seconds, name in summary.slowest_first()
    )
    return f"<ol>{items}</ol>" if items else "<p>none</p>"


def write_html(stream: IO[str], summary: Summary, records: Iterable[Record], title: str) -> None:
    """Write the page: ``records`` are streamed into the table (sorted as given)."""
    drift = sorted(summary.drift_by_kind.items())
    rules = sorted(summary.findings_by_rule.items(), key=lambda item: (-item[1], item[0]))
    stream.write(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>\n<h1>{escape(title)}</h1>\n"
        f"<h2>Feedstocks by status</h2>{_counts(summary)}\n"
        '<h2>Drift and lint findings</h2><div class="charts">'
        f"{bar_chart('Drift (check/rerender)', drift)}"
        f"{bar_chart('Lint findings by rule', rules[:_TOP_RULES])}</div>\n"
        f"<h2>Slowest feedstocks</h2>{_slowest(summary)}\n"
        '<h2>All feedstocks</h2><table class="sortable" id="results"><thead><tr>'
        '<th data-type="text">name</th><th data-type="text">operation</th>'
        '<th data-type="text">status</th><th data-type="number">seconds</th>'
        '<th data-type="text">detail</th></tr></thead><tbody>\n'
    )
    for record in records:
        stream.write(_row(record))
    stream.write(f"</tbody></table>\n<script>{_SCRIPT}</script>\n</body></html>\n")
