"""``smithy schema``: print the JSON Schema of conda-forge.yml."""

from __future__ import annotations

import json

import typer


def schema_command() -> None:
    """Print the JSON Schema of conda-forge.yml (for yaml-language-server and editors)."""
    from smithy.config.export import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=False))
