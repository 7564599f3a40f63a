"""The graph's parse cache: feedstock records stored under a key of recipe and config hashes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from smithy import __version__
from smithy.atomic.single_file import replace_file
from smithy.errors import SmithyError
from smithy.graph.model import FeedstockRecord
from smithy.user_cache import smithy_cache_dir

# Bump when FeedstockRecord or the way it is computed changes: old entries then never match.
# 2: job counts and used keys follow the rerender's job configs; feedstock migrations apply.
CACHE_FORMAT = "2"
_CONFIG_FILES = ("conda-forge.yml", "recipe/conda-forge.yml")


def _feed_file(digest: hashlib._Hash, label: str, path: Path) -> None:
    digest.update(label.encode())
    digest.update(b"\0")
    try:
        digest.update(path.read_bytes())
    except OSError:
        digest.update(b"<unreadable>")
    digest.update(b"\0")


def _recipe_dir(folder: Path) -> Path:
    return folder / "recipe" if (folder / "recipe").is_dir() else folder


def default_cache_dir(environ: Mapping[str, str]) -> Path | None:
    """Return ``graph`` in smithy's user cache folder; None (no cache) when there is none.

    That is ``$XDG_CACHE_HOME/smithy/graph`` when that is absolute, else
    ``~/.cache/smithy/graph`` on Linux.
    """
    base = smithy_cache_dir(environ)
    return base / "graph" if base is not None else None


def record_key(folder: Path, *, platforms: tuple[str, ...], pinning_digest: str) -> str:
    """Return the cache key of a feedstock: a hash of everything its record depends on.

    That is the recipe folder (every file, since recipes may read files next to them), the
    feedstock config, the names of ``.ci_support`` files (they give the platforms), the
    feedstock's migration files, the requested platforms, the pinning and smithy's version.
    """
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}\0{__version__}\0{pinning_digest}\0".encode())
    digest.update(("\0".join(platforms) + "\0").encode())
    recipe_dir = _recipe_dir(folder)
    for path in sorted(recipe_dir.rglob("*")):
        if path.is_file() and ".git" not in path.parts:
            _feed_file(digest, path.relative_to(recipe_dir).as_posix(), path)
    for name in _CONFIG_FILES:
        if (folder / name).is_file():
            _feed_file(digest, name, folder / name)
    support = folder / ".ci_support"
    if support.is_dir():
        names = sorted(path.name for path in support.glob("*.yaml"))
        digest.update(("\0".join(names) + "\0").encode())
        for path in sorted((support / "migrations").glob("*.yaml")):
            _feed_file(digest, f"migrations/{path.name}", path)
    return digest.hexdigest()


def pinning_digest(cbc: Path) -> str:
    """Return a hash of the pinning file that renders read."""
    try:
        return hashlib.sha256(cbc.read_bytes()).hexdigest()
    except OSError as exc:
        raise SmithyError(f"cannot read the pinning {cbc}: {exc.strerror or exc}") from None


class RecordCache:
    """Feedstock records on disk, one JSON file per key; a missing or bad entry is a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / "records" / key[:2] / f"{key}.json"

    def get(self, key: str, name: str, path: Path) -> FeedstockRecord | None:
        """Return the record stored under ``key``, None when there is none."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            record = FeedstockRecord.from_json(name, data)
        except (OSError, ValueError, SmithyError):
            return None
        # The same recipe may live in another folder: the record names where it is now.
        return record if record.path == str(path) else _moved(record, path)

    def put(self, key: str, record: FeedstockRecord) -> None:
        """Store ``record`` under ``key`` (atomically: concurrent runs never see half a file)."""
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, json.dumps(record.to_json(), sort_keys=True).encode("utf-8"))
        except OSError as exc:
            raise SmithyError(
                f"cannot write the graph cache in {self.root}: {exc.strerror or exc}"
            ) from None


def _moved(record: FeedstockRecord, path: Path) -> FeedstockRecord:
    data = record.to_json()
    data["path"] = str(path)
    return FeedstockRecord.from_json(record.name, data)
