"""Classify real feedstocks' source URLs by upstream kind, offline (no request is made).

Run: python benchmarks/classify_sources.py [FOLDER]   (default /work/corpus/feedstocks)

For each feedstock the recipe is rendered on the main platforms with the embedded pinning, the
first source URL is classified as ``smithy bump`` would, and the table shows the kind found.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smithy.bump.check import LookupOptions, read_state, upstream_of
from smithy.bump.endpoints import Endpoints
from smithy.errors import SmithyError


def classify_one(folder: Path) -> tuple[str, str]:
    """Return (kind, detail) for one feedstock; kind is ``error`` when it cannot be read."""
    try:
        state = read_state(folder, LookupOptions(environ={}), every_platform=False)
        ref = upstream_of(state, Endpoints())
    except SmithyError as exc:
        return "error", str(exc)
    if ref.kind == "url" and state.current not in ref.url:
        return "unbumpable", f"version {state.current} not in {ref.url}"
    return ref.kind, f"{ref.name} ({state.current})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=Path("/work/corpus/feedstocks"))
    args = parser.parse_args()
    folders = sorted(p for p in args.folder.iterdir() if (p / "recipe").is_dir())
    kinds: Counter[str] = Counter()
    for folder in folders:
        kind, detail = classify_one(folder)
        kinds[kind] += 1
        print(f"{folder.name:<24} {kind:<11} {detail}")
    service = sum(kinds[k] for k in ("pypi", "github", "crates", "cran", "npm"))
    print()
    print(", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    services = "PyPI, GitHub, crates, CRAN, npm"
    print(f"{service} of {len(folders)} recognised by a service kind ({services})")
    print(
        f"{service + kinds['url']} of {len(folders)} bumpable (service kinds + plain URL fallback)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
