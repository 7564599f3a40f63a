"""Recognise which upstream service a source URL comes from (offline: no request is made)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

SourceKind = Literal["pypi", "github", "crates", "cran", "npm", "url"]
# The names conda-forge.yml's `bot: version_updates: sources` uses, mapped to smithy's kinds.
BOT_SOURCE_NAMES: dict[str, SourceKind] = {
    "pypi": "pypi",
    "github": "github",
    "githubreleases": "github",
    "crates": "crates",
    "cratesio": "crates",
    "cran": "cran",
    "npm": "npm",
    "rawurl": "url",
    "incrementalpharawurl": "url",
}

_PYPI_HOSTS = ("pypi.io", "pypi.org", "files.pythonhosted.org", "pypi.python.org")
_PYPI_SOURCE = re.compile(r"^/packages/source/[^/]/(?P<name>[^/]+)/")
_GITHUB_ARCHIVE = re.compile(
    r"^/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?:archive/(?:refs/tags/)?(?P<archive>.+?)"
    r"(?:\.tar\.gz|\.tar\.bz2|\.tar\.xz|\.zip|\.tgz)$|releases/download/(?P<tag>[^/]+)/)"
)
_CRATES_API = re.compile(r"^/api/v1/crates/(?P<name>[^/]+)/[^/]+/download$")
_CRATES_STATIC = re.compile(r"^/crates/(?P<name>[^/]+)/[^/]+\.crate$")
_CRAN = re.compile(
    r"/src/contrib/(?:Archive/[^/]+/)?(?P<name>[A-Za-z][A-Za-z0-9.]*)_[^/]+\.tar\.gz$"
)
_NPM = re.compile(r"^/(?P<name>(?:@[^/]+/)?[^/@]+)/-/[^/]+\.tgz$")
_CRAN_HOSTS = ("cran.r-project.org", "cloud.r-project.org")


@dataclass(frozen=True, slots=True)
class UpstreamRef:
    """Where to look for new versions of a source.

    Attributes:
        kind: the service.
        name: the package name there (``owner/repo`` for GitHub).
        url: the source URL, rendered with the current version.
        tag_prefix: GitHub only: what the tag adds before the version (``v`` in ``v1.2``).
    """

    kind: SourceKind
    name: str
    url: str
    tag_prefix: str = ""


def _pypi(path: str, version: str) -> str | None:
    match = _PYPI_SOURCE.match(path)
    if match:
        return match["name"]
    if not path.startswith("/packages/"):
        return None
    # files.pythonhosted.org/packages/ab/cd/<hash>/<name>-<version>.tar.gz
    filename = path.rsplit("/", 1)[-1]
    marker = f"-{version}"
    return filename.split(marker, 1)[0] if version and marker in filename else None


def _github(path: str, version: str) -> tuple[str, str] | None:
    match = _GITHUB_ARCHIVE.match(path)
    if not match:
        return None
    name = f"{match['owner']}/{match['repo']}"
    tag = match["archive"] or match["tag"] or ""
    prefix = tag.split(version, 1)[0] if version and version in tag else ""
    return name, prefix


def _on(kind: str, host: str, netloc: str, extra: Mapping[str, str], known: Iterable[str]) -> bool:
    return host in known or (bool(extra.get(kind)) and netloc == extra[kind])


def classify(url: str, version: str, extra_hosts: Mapping[str, str] | None = None) -> UpstreamRef:
    """Return the upstream service of ``url``; kind ``url`` when it is none of the known ones.

    Args:
        url: a source URL with the current version filled in.
        version: the current version (finds names and tag prefixes inside the URL).
        extra_hosts: ``{kind: host[:port]}`` of configured mirrors whose URLs count as that
            kind too (``Endpoints.netlocs()``).
    """
    parts = urlsplit(url)
    host, netloc, path = (parts.hostname or "").lower(), parts.netloc.lower(), unquote(parts.path)
    extra = extra_hosts or {}
    if _on("pypi", host, netloc, extra, _PYPI_HOSTS):
        name = _pypi(path, version)
        if name:
            return UpstreamRef("pypi", name, url)
    if _on("github", host, netloc, extra, ("github.com",)):
        found = _github(path, version)
        if found:
            return UpstreamRef("github", found[0], url, tag_prefix=found[1])
    if _on("crates", host, netloc, extra, ("crates.io", "static.crates.io")):
        match = _CRATES_API.match(path) or _CRATES_STATIC.match(path)
        if match:
            return UpstreamRef("crates", match["name"], url)
    cran = _CRAN.search(path)
    if cran and (_on("cran", host, netloc, extra, _CRAN_HOSTS) or "cran" in host):
        return UpstreamRef("cran", cran["name"], url)
    if _on("npm", host, netloc, extra, ("registry.npmjs.org",)):
        match = _NPM.match(path)
        if match:
            return UpstreamRef("npm", match["name"], url)
    return UpstreamRef("url", host, url)


def is_recognised(ref: UpstreamRef) -> bool:
    """Whether a service-specific source kind (not the generic URL fallback) matched."""
    return ref.kind != "url"
