"""``smithy schema``: print the JSON Schema of conda-forge.yml."""

from __future__ import annotations

import json

import typer


def schema_command() -> None:
    """Print the JSON Schema of conda-forge.yml (for yaml-language-server and editors)."""
    from smithy import api

    typer.echo(json.dumps(api.conda_forge_yml_schema(), indent=2, sort_keys=False))
