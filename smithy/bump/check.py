"""Find whether a feedstock's upstream has a newer version: the per-feedstock check fleets run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from smithy.bump.edit import version_slot
from smithy.bump.endpoints import Endpoints
from smithy.bump.errors import BumpError
from smithy.bump.http import HttpClient, HttpSettings
from smithy.bump.kinds import UpstreamRef, classify
from smithy.bump.recipe_sources import SourceUse, source_uses
from smithy.bump.settings import VersionUpdateSettings, version_update_settings
from smithy.bump.upstream import upstream_versions
from smithy.bump.versions import is_newer, newest
from smithy.errors import SmithyError
from smithy.feedstock import CONFIG_FILE
from smithy.matrix.space import feedstock_config
from smithy.pinning.model import PinningSource
from smithy.pinning.source import resolve_pinning
from smithy.platforms import MAIN_PLATFORMS
from smithy.recipe.load import display_path, load_recipe
from smithy.recipe.model import RawRecipe


@dataclass(frozen=True, slots=True)
class LookupOptions:
    """How to look for new versions.

    Attributes:
        include_pre: consider pre-releases too (``--pre``).
        endpoints: the service addresses.
        http: timeouts, retries, size cap, GitHub token.
        pinning: ``--pinning`` (rendering the recipe needs one); None for the default search.
        environ: the process environment (pinning lookup only).
        resolved_pinning: a pinning already chosen (a fleet resolves it once for all
            feedstocks); when set, ``pinning`` and ``environ`` are not consulted.
    """

    include_pre: bool = False
    endpoints: Endpoints = field(default_factory=Endpoints)
    http: HttpSettings = field(default_factory=HttpSettings)
    pinning: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict)
    resolved_pinning: PinningSource | None = None


@dataclass(frozen=True, slots=True)
class VersionCheck:
    """What upstream offers compared with the recipe.

    Attributes:
        feedstock: the feedstock folder as given.
        current: the version the recipe sets.
        newest: the newest acceptable upstream version (None when none was found).
        source: where it was looked up (None when the check was skipped).
        skipped: why no lookup was made (``bot.version_updates.skip``), else None.
    """

    feedstock: str
    current: str
    newest: str | None
    source: UpstreamRef | None
    skipped: str | None = None

    @property
    def outdated(self) -> bool:
        """Whether upstream has a newer version than the recipe."""
        return self.newest is not None and is_newer(self.newest, self.current)

    def to_json(self) -> dict[str, Any]:
        """Return the check as JSON-serialisable data (one fleet result)."""
        return {
            "feedstock": self.feedstock,
            "current": self.current,
            "newest": self.newest,
            "outdated": self.outdated,
            "source": None
            if self.source is None
            else {"kind": self.source.kind, "name": self.source.name, "url": self.source.url},
            "skipped": self.skipped,
        }


@dataclass(frozen=True, slots=True)
class RecipeState:
    """A recipe read once for a check and a bump: text, settings, rendered sources."""

    raw: RawRecipe
    current: str
    settings: VersionUpdateSettings
    pinning: PinningSource
    uses: tuple[SourceUse, ...]


def _first_platform_uses(raw: RawRecipe, pinning: PinningSource) -> tuple[SourceUse, ...]:
    # A lookup reads only the first URL source: the first platform that has one will do.
    for platform in MAIN_PLATFORMS:
        uses = source_uses(raw, pinning, (platform,))
        if uses:
            return uses
    return ()


def read_state(feedstock: Path, options: LookupOptions, *, every_platform: bool) -> RecipeState:
    """Read the recipe, its bot settings, its version and its rendered sources.

    Args:
        feedstock: the feedstock root (or recipe folder).
        options: the lookup options (pinning, environment).
        every_platform: collect the sources of every platform (a bump); else only those of
            the first platform that has a URL source (a check).
    """
    raw = load_recipe(feedstock)
    config = feedstock_config(raw)
    where = display_path(raw.recipe_dir.parent / CONFIG_FILE)
    settings = version_update_settings(config.bot, where)
    pinning = options.resolved_pinning or resolve_pinning(options.pinning, options.environ)
    uses = source_uses(raw, pinning) if every_platform else _first_platform_uses(raw, pinning)
    return RecipeState(raw, version_slot(raw).value, settings, pinning, uses)


def upstream_of(state: RecipeState, endpoints: Endpoints) -> UpstreamRef:
    """Return where the first source's versions come from, as the bot picks it.

    Raises:
        BumpError: the recipe has no URL source, or no allowed kind recognises it.
    """
    if not state.uses:
        raise BumpError("the recipe has no url source to bump", state.raw.span())
    first = state.uses[0]
    refs = [classify(url, state.current, endpoints.netlocs()) for url in first.urls]
    # Any URL may also be read the generic way (the bot's ``rawurl``), after the services.
    refs += [UpstreamRef("url", urlsplit(url).netloc, url) for url in first.urls]
    for ref in sorted(refs, key=lambda ref: ref.kind == "url"):
        if state.settings.allows(ref.kind):
            return ref
    allowed = ", ".join(state.settings.sources)
    raise BumpError(
        f"bot.version_updates.sources ({allowed}) allows none of the source's kinds",
        state.raw.span(),
    )


def check_state(
    state: RecipeState, feedstock: str, client: HttpClient, options: LookupOptions
) -> VersionCheck:
    """Look up the newest upstream version for an already-read recipe."""
    if state.settings.skip:
        return VersionCheck(feedstock, state.current, None, None, "bot.version_updates.skip")
    ref = upstream_of(state, options.endpoints)
    found = upstream_versions(client, options.endpoints, ref, state.current)
    best = newest(found, include_pre=options.include_pre, exclude=state.settings.exclude)
    return VersionCheck(feedstock, state.current, best, ref)


def check_version(feedstock: Path, options: LookupOptions | None = None) -> VersionCheck:
    """Check one feedstock: a pure task for fleets (its result is ``.to_json()``-able).

    Raises:
        SmithyError: bad recipe or settings; NetworkError when upstream cannot be asked.
    """
    options = options or LookupOptions()
    client = HttpClient(options.http)
    try:
        state = read_state(feedstock, options, every_platform=False)
        return check_state(state, str(feedstock), client, options)
    finally:
        client.close()


def check_many(feedstocks: Sequence[Path], options: LookupOptions) -> list[dict[str, Any]]:
    """Check each feedstock in turn; a failure becomes that feedstock's ``error`` entry."""
    results: list[dict[str, Any]] = []
    for feedstock in feedstocks:
        try:
            results.append(check_version(feedstock, options).to_json())
        except SmithyError as exc:  # one bad feedstock is its own result, not the run's end
            results.append({"feedstock": str(feedstock), "error": str(exc)})
    return results
