"""What the graph knows of one feedstock: its outputs and requirements, per section and platform."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from smithy.errors import SmithyError

# Requirement sections that create edges, in the order reports show them.
SECTIONS: tuple[str, ...] = ("build", "host", "run", "test")
# The platform label of requirements of noarch outputs: they hold on every platform.
NOARCH = "noarch"
_NAME = re.compile(r"\s*(?:[^\s:]+::)?([A-Za-z0-9_][A-Za-z0-9_.\-]*)")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class View(StrEnum):
    """Which requirement sections make edges in an ordering.

    ``all`` uses every section; ``abi`` the ones that matter after a binary-compatibility
    change (host, run, test; build-only tools such as cmake do not hold a rebuild back);
    ``run`` only runtime requirements.
    """

    all = "all"
    abi = "abi"
    run = "run"


VIEW_SECTIONS: Mapping[View, frozenset[str]] = MappingProxyType(
    {
        View.all: frozenset(SECTIONS),
        View.abi: frozenset({"host", "run", "test"}),
        View.run: frozenset({"run"}),
    }
)


def package_name(spec: str) -> str | None:
    """Return the lower-cased package name of a match spec, None when it names none.

    ``numpy >=1.26``, ``numpy>=1.26`` and ``conda-forge::numpy`` all give ``numpy``.
    """
    match = _NAME.match(spec)
    return match.group(1).lower() if match else None


def feedstock_name_of(folder_name: str) -> str:
    """The feedstock name of a folder: ``zlib-feedstock`` gives ``zlib``."""
    return folder_name.removesuffix("-feedstock")


@dataclass(frozen=True, slots=True)
class OutputInfo:
    """One package a feedstock makes.

    Attributes:
        name: the package name.
        noarch: ``python``/``generic`` or None.
        platforms: where it is built (not skipped); ``("noarch",)`` for a noarch output.
    """

    name: str
    noarch: str | None
    platforms: tuple[str, ...]


def _sorted_map(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({key: mapping[key] for key in sorted(mapping)})


@dataclass(frozen=True, slots=True)
class FeedstockRecord:
    """A feedstock parsed once for the graph (what the cache stores).

    Attributes:
        name: feedstock name (folder name without ``-feedstock``).
        path: the feedstock folder, absolute.
        recipe: the recipe file relative to ``path`` (empty when none was found).
        format: ``recipe.yaml`` or ``meta.yaml`` (empty when none was found).
        version: the recipe's version (of its first render).
        outputs: the packages it makes, sorted by name.
        requires: section -> package -> platforms where some output requires it.
        used_keys: variant key -> platforms where the recipe uses it.
        jobs: platform -> number of CI jobs (non-skipped variants) there.
        error: why the feedstock could not be parsed; None when it was.
    """

    name: str
    path: str
    recipe: str = ""
    format: str = ""
    version: str = ""
    outputs: tuple[OutputInfo, ...] = ()
    requires: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=lambda: _EMPTY)
    used_keys: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    jobs: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    error: str | None = None

    @property
    def output_names(self) -> tuple[str, ...]:
        """Names of the packages this feedstock makes."""
        return tuple(output.name for output in self.outputs)

    @property
    def noarch(self) -> bool:
        """True when every output is noarch (the feedstock builds once, for all platforms)."""
        return bool(self.outputs) and all(output.noarch for output in self.outputs)

    def to_json(self) -> dict[str, Any]:
        """Return plain JSON data (sorted keys), the inverse of :meth:`from_json`."""
        return {
            "path": self.path,
            "recipe": self.recipe,
            "format": self.format,
            "version": self.version,
            "outputs": [
                {"name": o.name, "noarch": o.noarch, "platforms": list(o.platforms)}
                for o in self.outputs
            ],
            "requires": {
                section: {pkg: list(plats) for pkg, plats in packages.items()}
                for section, packages in self.requires.items()
            },
            "used_keys": {key: list(plats) for key, plats in self.used_keys.items()},
            "jobs": dict(self.jobs),
            "error": self.error,
        }

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> FeedstockRecord:
        """Rebuild a record from :meth:`to_json` data.

        Raises:
            SmithyError: the data does not have the expected shape.
        """
        try:
            return cls(
                name=name,
                path=str(data["path"]),
                recipe=str(data.get("recipe", "")),
                format=str(data.get("format", "")),
                version=str(data.get("version", "")),
                outputs=tuple(
                    OutputInfo(str(o["name"]), o.get("noarch"), tuple(o.get("platforms", ())))
                    for o in data.get("outputs", ())
                ),
                requires=make_requires(
                    {
                        section: {pkg: set(plats) for pkg, plats in packages.items()}
                        for section, packages in data.get("requires", {}).items()
                    }
                ),
                used_keys=_sorted_map(
                    {key: tuple(sorted(p)) for key, p in data.get("used_keys", {}).items()}
                ),
                jobs=_sorted_map({str(p): int(n) for p, n in data.get("jobs", {}).items()}),
                error=None if data.get("error") is None else str(data["error"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SmithyError(f"feedstock '{name}' has malformed graph data ({exc})") from None


def make_requires(
    raw: Mapping[str, Mapping[str, set[str]]],
) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """Freeze section -> package -> platform sets into sorted read-only mappings."""
    return MappingProxyType(
        {
            section: MappingProxyType(
                {pkg: tuple(sorted(raw[section][pkg])) for pkg in sorted(raw[section])}
            )
            for section in SECTIONS
            if raw.get(section)
        }
    )
