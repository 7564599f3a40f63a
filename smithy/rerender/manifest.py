"""smithy's record of the files it generated in a feedstock: ``.smithy/manifest.json``.

The manifest lists every file the last rerender wrote (sorted, with its sha256 and mode),
the smithy version and the pinning used. The next rerender deletes a listed file it no
longer plans, and nothing else; a file edited by hand shows up as a checksum mismatch.
The JSON is deterministic: sorted keys, two-space indent, a final newline.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smithy.errors import SmithyError, Span
from smithy.records import record
from smithy.rerender.model import REGULAR, PlannedFile

MANIFEST_PATH = ".smithy/manifest.json"
MANIFEST_FORMAT = 1


class ManifestError(SmithyError):
    """``.smithy/manifest.json`` cannot be read."""


@record
class ManifestEntry:
    """One generated file: its path relative to the feedstock root, sha256 and mode bits."""

    path: str
    sha256: str
    mode: int = REGULAR


@record
class Manifest:
    """What one rerender generated.

    Attributes:
        smithy_version: version of smithy that wrote the files.
        pinning: ``"<source> <version>"`` of the pinning used.
        entries: the generated files, sorted by path (the manifest itself excluded).
    """

    smithy_version: str
    pinning: str
    entries: tuple[ManifestEntry, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        """The generated paths, sorted."""
        return tuple(entry.path for entry in self.entries)

    def sha256_of(self, path: str) -> str | None:
        """Return the recorded checksum of ``path``, None when it was not generated."""
        return next((e.sha256 for e in self.entries if e.path == path), None)


def sha256_hex(content: bytes) -> str:
    """Return the hex sha256 of ``content``."""
    return hashlib.sha256(content).hexdigest()


def build_manifest(
    files: Mapping[str, PlannedFile], *, smithy_version: str, pinning: str
) -> Manifest:
    """Return the manifest describing ``files`` (the manifest path itself is left out)."""
    entries = tuple(
        ManifestEntry(path=path, sha256=sha256_hex(planned.content), mode=planned.mode)
        for path, planned in sorted(files.items())
        if path != MANIFEST_PATH
    )
    return Manifest(smithy_version=smithy_version, pinning=pinning, entries=entries)


def manifest_bytes(manifest: Manifest) -> bytes:
    """Serialise ``manifest`` to its deterministic JSON form."""
    data = {
        "format": MANIFEST_FORMAT,
        "smithy_version": manifest.smithy_version,
        "pinning": manifest.pinning,
        "files": [
            {"path": e.path, "sha256": e.sha256, "mode": f"{e.mode:04o}"}
            for e in sorted(manifest.entries, key=lambda entry: entry.path)
        ],
    }
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def manifest_file(manifest: Manifest) -> PlannedFile:
    """Return the manifest as a file for a ``FeedstockPlan`` (at ``MANIFEST_PATH``)."""
    return PlannedFile(manifest_bytes(manifest))


def parse_manifest(text: str, *, display_path: str = MANIFEST_PATH) -> Manifest:
    """Parse manifest JSON text.

    Raises:
        ManifestError: not JSON, or not the shape smithy writes.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Span(display_path, exc.lineno, exc.colno)
        raise ManifestError(f"manifest is not valid JSON: {exc.msg}", where) from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ManifestError("manifest has no 'files' list", Span(display_path, 1))
    if data.get("format") != MANIFEST_FORMAT:
        raise ManifestError(
            f"manifest format {data.get('format')!r} is not supported (expected "
            f"{MANIFEST_FORMAT}); delete the file and rerender",
            Span(display_path, 1),
        )
    entries = tuple(_entry(item, display_path) for item in data["files"])
    return Manifest(
        smithy_version=str(data.get("smithy_version", "")),
        pinning=str(data.get("pinning", "")),
        entries=tuple(sorted(entries, key=lambda entry: entry.path)),
    )


def _entry(item: Any, display_path: str) -> ManifestEntry:
    if not isinstance(item, dict):
        raise ManifestError("manifest 'files' entry is not an object", Span(display_path))
    path, sha, mode = item.get("path"), item.get("sha256"), item.get("mode", "0644")
    if not isinstance(path, str) or not path or not isinstance(sha, str):
        raise ManifestError("manifest entry needs a 'path' and a 'sha256'", Span(display_path))
    if path.startswith("/") or ".." in path.split("/"):
        raise ManifestError(f"manifest path '{path}' leaves the feedstock", Span(display_path))
    try:
        bits = int(str(mode), 8)
    except ValueError:
        raise ManifestError(f"manifest mode '{mode}' is not octal", Span(display_path)) from None
    return ManifestEntry(path=path, sha256=sha, mode=bits)


def read_manifest(feedstock_dir: Path) -> Manifest | None:
    """Read ``<feedstock_dir>/.smithy/manifest.json``; None when the feedstock has none.

    Raises:
        ManifestError: the file exists but cannot be read or parsed.
    """
    path = feedstock_dir / MANIFEST_PATH
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read manifest: {exc}", Span(MANIFEST_PATH)) from None
    return parse_manifest(text)
