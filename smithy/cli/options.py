"""Options several commands share, so each means the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from smithy.work_sharing import usable_cpus


class TextOrJson(StrEnum):
    """``--format`` of commands that report either as text or as JSON."""

    text = "text"
    json = "json"


FormatOpt = Annotated[
    TextOrJson, typer.Option("--format", "-f", help="Output format: text or json.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Same as --format json.")]


def wants_json(output: TextOrJson, as_json: bool) -> bool:
    """Whether to print JSON: ``--format json`` or its older spelling ``--json``."""
    return as_json or output is TextOrJson.json


# Platforms rendered at once by default: a feedstock has about six, the first is rendered alone
# (it warms the memos the others reuse), so more processes than this seldom finish sooner.
_DEFAULT_RENDER_PROCESSES = 4

RenderJobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        min=1,
        metavar="N",
        help="Processes rendering platforms at once (1: this process only) "
        f"[default: the usable CPUs, at most {_DEFAULT_RENDER_PROCESSES}]. "
        "The result is the same either way.",
    ),
]


def render_helpers(jobs: int | None) -> int:
    """Forked helper processes for ``--jobs`` (None: from the CPUs this process may use)."""
    return (jobs or min(usable_cpus(), _DEFAULT_RENDER_PROCESSES)) - 1
