"""Which feedstocks a run covers: discovery, deterministic shards and input hashes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from smithy import __version__
from smithy.errors import SmithyError
from smithy.graph.discover import discover_feedstocks
from smithy.pinning.model import PinningSource

_CONFIG_NAMES = ("conda-forge.yml", "recipe/conda-forge.yml")
_ROOT_RECIPES = ("recipe.yaml", "meta.yaml", "conda_build_config.yaml", "variants.yaml")
_SHARD = re.compile(r"(\d+)/(\d+)")


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based): the feedstocks whose name hashes to it."""

    index: int = 1
    count: int = 1

    def holds(self, name: str) -> bool:
        """Whether feedstock ``name`` belongs to this shard (same answer on every machine)."""
        if self.count == 1:
            return True
        digest = hashlib.sha256(name.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


def parse_shard(text: str) -> Shard:
    """Read ``I/N`` (``2/8``: the second of eight shards).

    Raises:
        SmithyError: not ``I/N`` with 1 <= I <= N.
    """
    match = _SHARD.fullmatch(text.strip())
    if match is None:
        raise SmithyError(f"--shard must look like I/N (e.g. 2/8), not '{text}'")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise SmithyError(f"--shard {text}: I must be between 1 and N")
    return Shard(index, count)


def find_feedstocks(args: Sequence[Path], shard: Shard) -> list[Path]:
    """The feedstock folders of ``shard`` named by ``args``, sorted by folder name.

    Each argument is a feedstock, a folder of feedstocks or a file listing them.

    Raises:
        SmithyError: an argument names nothing usable, or two folders share a name.
    """
    found = discover_feedstocks(args)
    paths = sorted((feedstock.path for feedstock in found), key=lambda path: path.name)
    return [path for path in paths if shard.holds(path.name)]


def _feed(digest: hashlib._Hash, label: str, path: Path) -> None:
    digest.update(label.encode("utf-8") + b"\0")
    try:
        digest.update(path.read_bytes())
    except OSError:
        digest.update(b"<unreadable>")
    digest.update(b"\0")


def _files(folder: Path) -> Iterator[Path]:
    return (path for path in sorted(folder.rglob("*")) if path.is_file())


def pinning_hash(pinning: PinningSource) -> str:
    """Hash of the pinning file and its migrations: a new pinning redoes every feedstock."""
    digest = hashlib.sha256()
    _feed(digest, "conda_build_config.yaml", pinning.cbc)
    if pinning.migrations_dir is not None:
        for path in _files(pinning.migrations_dir):
            _feed(digest, path.relative_to(pinning.migrations_dir).as_posix(), path)
    return digest.hexdigest()


def input_hash(feedstock: Path, *, operation: str, pinning: str, extra: Iterable[str] = ()) -> str:
    """Hash of what a feedstock's result depends on: recipe folder, conda-forge.yml, pinning.

    The operation, its options (``extra``) and smithy's version are part of it: a result of
    another operation or smithy release is never reused.
    """
    digest = hashlib.sha256()
    digest.update("\0".join([__version__, operation, pinning, *extra, ""]).encode())
    recipe = feedstock / "recipe"
    if recipe.is_dir():
        for path in _files(recipe):
            _feed(digest, "recipe/" + path.relative_to(recipe).as_posix(), path)
    else:  # a bare recipe folder given as the feedstock
        for name in _ROOT_RECIPES:
            if (feedstock / name).is_file():
                _feed(digest, name, feedstock / name)
    for name in _CONFIG_NAMES:
        if (feedstock / name).is_file():
            _feed(digest, name, feedstock / name)
    return digest.hexdigest()
