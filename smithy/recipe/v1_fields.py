"""Plain-value readers for rendered recipe.yaml fields (build number, script, run_exports)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from smithy.errors import RecipeParseError, Span
from smithy.recipe.model import Dependency, Source


def optional_str(value: Any) -> str | None:
    """Return ``value`` as text, None staying None."""
    return None if value is None else str(value)


def build_number(value: Any, span: Span) -> int:
    """Return ``build.number`` as an int; a non-integer is a ``RecipeParseError`` at ``span``."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise RecipeParseError(f"build.number must be an integer, not {value!r}", span)
    try:
        return int(value)
    except ValueError:
        raise RecipeParseError(f"build.number must be an integer, not {value!r}", span) from None


def script(value: Any) -> str | None:
    """Return ``build.script`` as one text: a file name, inline lines joined, or None."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("file", value.get("content"))
        return script(value)
    if isinstance(value, list):
        return "\n".join(str(line) for line in value)
    return str(value)


def run_exports(value: Any) -> dict[str, tuple[str, ...]]:
    """Return run_exports by kind; a plain list means ``weak``."""
    if isinstance(value, list):
        return {"weak": tuple(str(item) for item in value)}
    return by_kind(value)


def by_kind(value: Any) -> dict[str, tuple[str, ...]]:
    """Return a mapping of kind -> names as tuples of text (empty for anything else)."""
    if not isinstance(value, dict):
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for kind, items in value.items():
        listed = items if isinstance(items, list) else [items]
        result[str(kind)] = tuple(str(item) for item in listed)
    return result


_SPEC_OPERATORS = frozenset("=<>!~*[,")


def free_spec_keys(deps: Iterable[Dependency], variant_keys: frozenset[str]) -> Iterator[str]:
    """The variant keys bare build/host requirements use: they take their version from it.

    rattler-build normalises keys, so `pybind11-abi` reads the `pybind11_abi` key.
    """
    normalized = normalized_keys(variant_keys)
    for dep in deps:
        key = dep.name.replace("-", "_")
        bare = dep.spec.strip().rsplit("::", 1)[-1] == dep.name
        if bare and key in normalized and not _SPEC_OPERATORS & set(dep.name):
            yield normalized[key]


@functools.lru_cache(maxsize=64)
def normalized_keys(keys: frozenset[str]) -> Mapping[str, str]:
    """Each key by its name with ``-`` read as ``_`` (rattler-build's normalisation).

    Built once per key set: recipe.yaml asks for every requirement list of every variant.
    """
    return MappingProxyType({key.replace("-", "_"): key for key in keys})


def sources(entries: Iterable[tuple[Any, int]], span: Callable[[int], Span]) -> tuple[Source, ...]:
    """The rendered ``source`` entries (value, line) as :class:`Source` records."""
    found: list[Source] = []
    for value, line in entries:
        if not isinstance(value, dict):
            raise RecipeParseError("each source must be a mapping", span(line))
        url = value.get("url")
        urls = tuple(str(u) for u in (url if isinstance(url, list) else [url] if url else []))
        found.append(
            Source(
                url=urls,
                git=optional_str(value.get("git")),
                path=optional_str(value.get("path")),
                sha256=optional_str(value.get("sha256")),
                md5=optional_str(value.get("md5")),
                span=span(line),
            )
        )
    return tuple(found)
