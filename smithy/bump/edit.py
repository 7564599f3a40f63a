"""Edit a recipe's text in place: version, build number, checksums; every other byte stays."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smithy.bump.errors import BumpError
from smithy.recipe.model import RawRecipe, RecipeFormat

# meta.yaml: {% set version = "1.2.3" %} (either quote, optional whitespace control).
_SET_VERSION = re.compile(
    r"""(?P<head>\{%-?\s*set\s+version\s*=\s*(?P<q>["']))(?P<value>[^"'\n]*)(?P=q)(?P<tail>\s*-?%\})"""
)
_SET_BUILD = re.compile(
    r"""(?P<head>\{%-?\s*set\s+(?:build_number|build_num|buildnumber|build)\s*=\s*["']?)"""
    r"""(?P<value>\d+)(?P<tail>["']?\s*-?%\})"""
)
_NUMBER_LINE = re.compile(
    r"""^(?P<head>[ \t]*number:[ \t]*["']?)(?P<value>\d+)(?P<tail>["']?[ \t]*(?:#.*)?)$""", re.M
)
_CONTEXT_BLOCK = re.compile(r"^context:[ \t]*(?:#.*)?\n(?P<body>(?:[ \t]+.*\n|[ \t]*\n)*)", re.M)
_CONTEXT_VERSION = re.compile(
    r"""^(?P<head>[ \t]+version:[ \t]*(?P<q>["']?))(?P<value>[^"'#\n]*?)(?P=q)"""
    r"""(?P<tail>[ \t]*(?:#.*)?)$""",
    re.M,
)
_CONTEXT_BUILD = re.compile(
    r"""^(?P<head>[ \t]+(?:build_number|build_num|build):[ \t]*["']?)(?P<value>\d+)"""
    r"""(?P<tail>["']?[ \t]*(?:#.*)?)$""",
    re.M,
)


@dataclass(frozen=True, slots=True)
class VersionSlot:
    """Where the recipe states the version every source URL derives from.

    Attributes:
        value: the version as written.
        start: offset of the value's first character in the text.
        end: offset after the value's last character.
    """

    value: str
    start: int
    end: int


def _v1_version(raw: RawRecipe) -> list[VersionSlot]:
    block = _CONTEXT_BLOCK.search(raw.text)
    if block is None:
        return []
    base = block.start("body")
    return [
        VersionSlot(m["value"], base + m.start("value"), base + m.end("value"))
        for m in _CONTEXT_VERSION.finditer(block["body"])
    ]


def version_slot(raw: RawRecipe) -> VersionSlot:
    """Return the one place the recipe sets its version.

    Raises:
        BumpError: none or several, or a computed one (jinja in the value).
    """
    if raw.format is RecipeFormat.V1:
        found = _v1_version(raw)
        what = "'context: version:' entry"
    else:
        found = [
            VersionSlot(m["value"], m.start("value"), m.end("value"))
            for m in _SET_VERSION.finditer(raw.text)
        ]
        what = "'{% set version = \"...\" %}' line"
    if len(found) != 1:
        count = f"no {what}" if not found else f"{len(found)} {what}s (differing by selector?)"
        raise BumpError(f"{count} found; bump the version by hand", raw.span())
    slot = found[0]
    if "{" in slot.value or not slot.value.strip():
        line = raw.text.count("\n", 0, slot.start) + 1
        raise BumpError("the version is computed by jinja; bump it by hand", raw.span(line))
    return slot


def set_version(raw: RawRecipe, version: str) -> str:
    """Return the recipe text with its version set to ``version``."""
    slot = version_slot(raw)
    return raw.text[: slot.start] + version + raw.text[slot.end :]


def reset_build_number(text: str, fmt: RecipeFormat) -> str:
    """Return ``text`` with every literal build number set to 0 (a new version starts at 0)."""

    def zero(match: re.Match[str]) -> str:
        return f"{match['head']}0{match['tail']}"

    text = _NUMBER_LINE.sub(zero, text)
    if fmt is RecipeFormat.V0:
        return _SET_BUILD.sub(zero, text)
    block = _CONTEXT_BLOCK.search(text)
    if block is None:
        return text
    body = _CONTEXT_BUILD.sub(zero, block["body"])
    return text[: block.start("body")] + body + text[block.end("body") :]


def replace_checksums(text: str, new_by_old: dict[str, str], where: RawRecipe) -> str:
    """Return ``text`` with each old sha256 replaced by its new one.

    Raises:
        BumpError: an old checksum is not written literally in the recipe.
    """
    for old, new in sorted(new_by_old.items()):
        pattern = re.compile(re.escape(old), re.IGNORECASE)
        text, count = pattern.subn(new, text)
        if count == 0:
            raise BumpError(f"sha256 {old[:12]}... is not written in the recipe", where.span())
    return text
