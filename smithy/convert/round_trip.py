"""The one ruamel round-trip loader/dumper the converter writes recipes and configs with."""

from __future__ import annotations

from ruamel.yaml import YAML


def round_trip_yaml() -> YAML:
    """A round-trip YAML (comments and order kept) laid out as conda-forge recipes are written."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml
