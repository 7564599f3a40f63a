"""Local conda channels with synthetic records, written as rattler reads them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

Record = tuple[str, str, Sequence[str]]  # name, version, depends


def write_channel(
    root: Path, records: Sequence[Record], subdirs: Sequence[str] = ("linux-64",)
) -> Path:
    """A channel folder with each of ``subdirs`` holding ``records``, and an empty noarch."""
    for subdir in subdirs:
        _write(root, subdir, _packages(records, subdir))
    _write(root, "noarch", {})
    return root


def _packages(records: Sequence[Record], subdir: str) -> dict[str, dict[str, object]]:
    packages: dict[str, dict[str, object]] = {}
    for name, version, depends in records:
        packages[f"{name}-{version}-h0_0.tar.bz2"] = {
            "name": name,
            "version": version,
            "build": "h0_0",
            "build_number": 0,
            "depends": list(depends),
            "subdir": subdir,
            "md5": "0" * 32,
            "size": 1,
        }
    return packages


def _write(root: Path, subdir: str, packages: dict[str, dict[str, object]]) -> None:
    target = root / subdir / "repodata.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"info": {"subdir": subdir}, "packages": packages, "packages.conda": {}}
    target.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
