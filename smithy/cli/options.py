"""Options several commands share, so each means the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


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
