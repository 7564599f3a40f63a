"""The conda-forge.yml reference page of the documentation site, read off the JSON Schema.

The schema is built from the same key table the loader checks against (``config/fields.py``),
so the page lists exactly the keys, kinds, defaults and deprecations smithy enforces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from smithy.config.export import json_schema

_INTRO = """\
# conda-forge.yml

Every key smithy reads from a feedstock's `conda-forge.yml`, with its kind, default and
meaning, generated from the schema smithy validates against (`smithy schema` prints it as
JSON Schema for editors). Unknown keys are reported with a did-you-mean suggestion; a value of
the wrong kind is refused with its `file:line`.
"""


def configuration_markdown() -> str:
    """Markdown: one section per top-level key, one table row per nested key."""
    schema = json_schema()
    lines = [_INTRO]
    for name, node in schema["properties"].items():
        lines.extend(_key_section(name, node))
    return "\n".join(lines).rstrip() + "\n"


def _key_section(name: str, node: Mapping[str, Any]) -> list[str]:
    lines = [f"## `{name}`", "", *_facts(node), ""]
    rows = list(_nested_rows(name, node))
    if rows:
        lines.extend(["| key | kind | default | meaning |", "| --- | --- | --- | --- |", *rows, ""])
    return lines


def _facts(node: Mapping[str, Any]) -> list[str]:
    facts = []
    if node.get("description"):
        facts.append(_cell(node["description"]))
    if node.get("deprecated"):
        facts.append("**Deprecated.**")
    facts.append(f"Kind: {_kind(node)}.")
    if "default" in node and node["default"] not in (None, {}, []):
        facts.append(f"Default: `{_compact(node['default'])}`.")
    return [" ".join(facts)]


def _nested_rows(path: str, node: Mapping[str, Any]) -> Iterator[str]:
    for key, child in (node.get("properties") or {}).items():
        child_path = f"{path}.{key}"
        default = f"`{_compact(child['default'])}`" if "default" in child else ""
        meaning = _cell(child.get("description", ""))
        if child.get("deprecated"):
            meaning = f"**Deprecated.** {meaning}".strip()
        yield f"| `{child_path}` | {_kind(child)} | {default} | {meaning} |"
        yield from _nested_rows(child_path, child)


def _kind(node: Mapping[str, Any]) -> str:
    if "enum" in node:
        return "one of " + ", ".join(f"`{_compact(value)}`" for value in node["enum"])
    if "$ref" in node:
        return f"`{node['$ref'].rsplit('/', 1)[-1]}`"
    if "anyOf" in node or "oneOf" in node:
        options = node.get("anyOf") or node.get("oneOf") or []
        return " or ".join(_kind(option) for option in options)
    kinds = node.get("type", "any")
    names = kinds if isinstance(kinds, list) else [kinds]
    if "array" in names and isinstance(node.get("items"), Mapping):
        names = [f"array of {_kind(node['items'])}" if n == "array" else n for n in names]
    return " or ".join(str(n) for n in names)


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=False).replace("|", "\\|")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")
