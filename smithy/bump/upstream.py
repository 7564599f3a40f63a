"""Ask an upstream service which versions of a package exist."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from smithy.bump.endpoints import Endpoints
from smithy.bump.errors import NetworkError
from smithy.bump.http import HttpClient
from smithy.bump.kinds import UpstreamRef
from smithy.bump.versions import conda_version

_PER_PAGE = 100


def _pypi(client: HttpClient, endpoints: Endpoints, ref: UpstreamRef) -> list[str]:
    data = client.get_json(f"{endpoints.pypi}/pypi/{quote(ref.name)}/json")
    releases = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(releases, dict):
        raise NetworkError(f"{endpoints.pypi}: no 'releases' in the answer for {ref.name}")
    # A release whose files are all yanked is withdrawn; one without files has nothing to build.
    return [
        version
        for version, files in releases.items()
        if isinstance(files, list) and any(not f.get("yanked", False) for f in files)
    ]


def _strip_tag(tag: str, prefix: str) -> str | None:
    if not tag.startswith(prefix):
        return None
    version = tag[len(prefix) :]
    return version if version[:1].isdigit() else None


def _github(client: HttpClient, endpoints: Endpoints, ref: UpstreamRef) -> list[str]:
    base = f"{endpoints.github}/repos/{ref.name}"
    versions: list[str] = []
    releases = client.get_json(f"{base}/releases?per_page={_PER_PAGE}")
    for release in releases if isinstance(releases, list) else ():
        tag = _strip_tag(str(release.get("tag_name", "")), ref.tag_prefix)
        # GitHub's own pre-release flag counts even when the tag reads like a release.
        if tag and not release.get("draft") and not release.get("prerelease"):
            versions.append(tag)
    if versions:
        return versions
    tags = client.get_json(f"{base}/tags?per_page={_PER_PAGE}")
    for entry in tags if isinstance(tags, list) else ():
        tag = _strip_tag(str(entry.get("name", "")), ref.tag_prefix)
        if tag:
            versions.append(tag)
    return versions


def _crates(client: HttpClient, endpoints: Endpoints, ref: UpstreamRef) -> list[str]:
    data = client.get_json(f"{endpoints.crates}/api/v1/crates/{quote(ref.name)}")
    entries: list[Any] = data.get("versions", []) if isinstance(data, dict) else []
    return [str(e["num"]) for e in entries if isinstance(e, dict) and not e.get("yanked")]


def _cran(client: HttpClient, endpoints: Endpoints, ref: UpstreamRef) -> list[str]:
    # PACKAGES is CRAN's index of current packages: Debian-control stanzas.
    text = client.get_text(f"{endpoints.cran}/src/contrib/PACKAGES")
    found = re.findall(
        rf"^Package:\s*{re.escape(ref.name)}\s*$(?:\n(?!Package:).*)*?\nVersion:\s*(\S+)",
        text,
        flags=re.MULTILINE,
    )
    return [str(version) for version in found]


def _npm(client: HttpClient, endpoints: Endpoints, ref: UpstreamRef) -> list[str]:
    data = client.get_json(f"{endpoints.npm}/{quote(ref.name, safe='@')}")
    versions = data.get("versions", {}) if isinstance(data, dict) else {}
    return [str(version) for version in versions]


_LOOKUPS: dict[str, Callable[[HttpClient, Endpoints, UpstreamRef], list[str]]] = {
    "pypi": _pypi,
    "github": _github,
    "crates": _crates,
    "cran": _cran,
    "npm": _npm,
}


def _candidates_after(version: str) -> list[str]:
    """The next versions a project may publish: each component raised, later ones reset."""
    parts = version.split(".")
    if not all(part.isdigit() for part in parts):
        return []
    return [
        ".".join([*parts[:index], str(int(parts[index]) + 1), *["0"] * (len(parts) - index - 1)])
        for index in range(len(parts))
    ]


def _listing(client: HttpClient, ref: UpstreamRef, current: str) -> list[str]:
    folder, name = ref.url.rsplit("/", 1)
    head, _, tail = name.partition(current)
    if not tail:  # nothing after the version to tell where it ends: probe instead
        return []
    pattern = re.compile(re.escape(head) + r"([0-9][0-9A-Za-z._-]*?)" + re.escape(tail) + r"\b")
    try:
        page = client.get_text(folder + "/")
    except NetworkError:
        return []
    return sorted(set(pattern.findall(page)))


def _probe(client: HttpClient, ref: UpstreamRef, current: str) -> list[str]:
    return [
        candidate
        for candidate in _candidates_after(current)
        if client.exists(ref.url.replace(current, candidate))
    ]


def upstream_versions(
    client: HttpClient, endpoints: Endpoints, ref: UpstreamRef, current: str
) -> list[str]:
    """Return the versions upstream offers for ``ref`` (unsorted; may include pre-releases).

    The generic ``url`` kind lists the source's folder (an HTTP index page) for file names
    of the same pattern, and probes the next versions in the URL when the listing finds none.

    Raises:
        NetworkError: the service cannot be reached or answers badly.
    """
    lookup = _LOOKUPS.get(ref.kind)
    if lookup is not None:
        return lookup(client, endpoints, ref)
    if current not in ref.url:
        return []
    listed = [v for v in _listing(client, ref, current) if conda_version(v) is not None]
    return listed or _probe(client, ref, current)
