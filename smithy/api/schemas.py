"""The JSON Schema of conda-forge.yml (for yaml-language-server and editors)."""

from __future__ import annotations

from typing import Any


def conda_forge_yml_schema() -> dict[str, Any]:
    """The JSON Schema of conda-forge.yml, as ``smithy schema`` prints it."""
    from smithy.config.export import json_schema

    return json_schema()
