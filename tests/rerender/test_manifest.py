"""Tests of smithy's manifest of generated files: round trip, determinism, errors, staleness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy.rerender.manifest import (
    MANIFEST_PATH,
    ManifestError,
    build_manifest,
    manifest_bytes,
    manifest_file,
    parse_manifest,
    read_manifest,
    sha256_hex,
)
from smithy.rerender.model import EXECUTABLE, PlannedFile

FILES = {
    "README.md": PlannedFile(b"# readme\n"),
    ".scripts/build_steps.sh": PlannedFile(b"#!/bin/bash\n", EXECUTABLE),
    ".ci_support/linux_64_.yaml": PlannedFile(b"a: [1]\n"),
    MANIFEST_PATH: PlannedFile(b"{}"),
}


def make() -> bytes:
    manifest = build_manifest(FILES, smithy_version="0.1.0", pinning="embedded 2026.08.01")
    return manifest_bytes(manifest)


def test_round_trip(tmp_path: Path) -> None:
    manifest = build_manifest(FILES, smithy_version="0.1.0", pinning="embedded 2026.08.01")
    (tmp_path / ".smithy").mkdir()
    (tmp_path / MANIFEST_PATH).write_bytes(manifest_file(manifest).content)
    assert read_manifest(tmp_path) == manifest
    assert manifest.paths == (".ci_support/linux_64_.yaml", ".scripts/build_steps.sh", "README.md")
    assert manifest.sha256_of("README.md") == sha256_hex(b"# readme\n")
    assert manifest.sha256_of("nope") is None
    assert manifest.entries[1].mode == EXECUTABLE


def test_json_is_deterministic_sorted_and_excludes_itself() -> None:
    text = make()
    reordered = dict(reversed(list(FILES.items())))
    again = manifest_bytes(
        build_manifest(reordered, smithy_version="0.1.0", pinning="embedded 2026.08.01")
    )
    assert text == again
    assert text.endswith(b"}\n")
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["format"] == 1
    assert data["pinning"] == "embedded 2026.08.01"
    paths = [entry["path"] for entry in data["files"]]
    assert paths == sorted(paths)
    assert MANIFEST_PATH not in paths
    assert {entry["mode"] for entry in data["files"]} == {"0644", "0755"}


def test_missing_manifest_is_none(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "no 'files' list"),
        ('{"format": 99, "files": []}', "format 99 is not supported"),
        ('{"format": 1, "files": [3]}', "not an object"),
        ('{"format": 1, "files": [{"path": "a"}]}', "needs a 'path' and a 'sha256'"),
        ('{"format": 1, "files": [{"path": "../x", "sha256": "0"}]}', "leaves the feedstock"),
        ('{"format": 1, "files": [{"path": "x", "sha256": "0", "mode": "rwx"}]}', "not octal"),
    ],
)
def test_bad_manifest_is_a_smithy_error(text: str, message: str) -> None:
    with pytest.raises(ManifestError, match=message) as caught:
        parse_manifest(text)
    assert caught.value.span is not None
    assert caught.value.span.path == MANIFEST_PATH
