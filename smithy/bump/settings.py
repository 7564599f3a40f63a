"""Read conda-forge.yml's ``bot: version_updates`` settings, as conda-forge's bot does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smithy.bump.errors import BumpError
from smithy.bump.kinds import BOT_SOURCE_NAMES, SourceKind

# Sources the bot knows that smithy does not look up: allowed in the file, never used.
_BOT_ONLY_SOURCES = frozenset({"librariesio", "nvidia", "rosdistro"})


@dataclass(frozen=True, slots=True)
class VersionUpdateSettings:
    """The bot's version-update settings of one feedstock.

    Attributes:
        skip: ``skip: true``: the feedstock takes no version updates.
        exclude: versions never to propose.
        sources: the source kinds allowed, in the bot's names; empty means all.
    """

    skip: bool = False
    exclude: tuple[str, ...] = ()
    sources: tuple[SourceKind, ...] = ()

    def allows(self, kind: SourceKind) -> bool:
        """Whether versions may be looked up from ``kind``."""
        return not self.sources or kind in self.sources


def _names(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(
        isinstance(item, str | int | float) for item in value
    ):
        raise BumpError(f"{where}: bot.version_updates.{key} must be a list")
    return tuple(str(item) for item in value)


def version_update_settings(bot: Mapping[str, Any], where: str) -> VersionUpdateSettings:
    """Return the settings in conda-forge.yml's ``bot`` mapping.

    ``random_fraction_to_keep`` and the bot's other scheduling keys mean nothing to a local
    run and are ignored.

    Raises:
        BumpError: a setting of the wrong type, or an unknown source name.
    """
    updates = bot.get("version_updates") or {}
    if not isinstance(updates, Mapping):
        raise BumpError(f"{where}: bot.version_updates must be a mapping")
    skip = updates.get("skip", False)
    if not isinstance(skip, bool):
        raise BumpError(f"{where}: bot.version_updates.skip must be true or false")
    kinds: list[SourceKind] = []
    for name in _names(updates.get("sources"), "sources", where):
        kind = BOT_SOURCE_NAMES.get(name.lower())
        if name.lower() in _BOT_ONLY_SOURCES:
            continue
        if kind is None:
            known = ", ".join(sorted(BOT_SOURCE_NAMES))
            raise BumpError(f"{where}: unknown bot.version_updates source '{name}' ({known})")
        if kind not in kinds:
            kinds.append(kind)
    return VersionUpdateSettings(
        skip=skip,
        exclude=_names(updates.get("exclude"), "exclude", where),
        sources=tuple(kinds),
    )
