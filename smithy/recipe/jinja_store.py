"""Prepared meta.yaml templates kept on disk, so a fresh process does not compile them again.

Preparing a big recipe's template (parse the text three ways, generate and compile the Python
code: see ``jinja_selected``) costs a fresh ``smithy rerender`` 0.1-0.2 s of CPU. What it makes
is plain data plus one code object, so it is kept in ``<user cache>/smithy/recipes/<tag>/``, one
file per recipe text, and loaded with :mod:`marshal` (as Python loads ``__pycache__``).

Safety, since a cache must never change what is written:

* The file name is the SHA-256 of the recipe text, and the file repeats it: another text never
  reads it.
* ``<tag>`` hashes everything else the record depends on: smithy's, jinja's and Python's
  versions and the source of the modules that make it (the sandbox, the compile, the selector
  split, this file). A record made by other code sits in another folder, unread.
* Each file holds the SHA-256 of its payload; a truncated, corrupt or unreadable file is deleted
  and the template prepared as if there were none. Files are replaced whole
  (``atomic.single_file``), so concurrent processes read a whole file or none; a missing,
  read-only or unusable folder only means preparing as before: nothing here raises.
* At most ``_MAX_FILES`` files are kept per folder (the oldest go first), so a fleet run over
  thousands of recipes does not fill the disk; folders of other tags (older smithy releases)
  go once unused for two weeks (``user_cache.prune_other_tags``).

The folder is set for a block with :func:`recipe_template_cache`; outside one (library callers,
tests) nothing is read or written.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import jinja2

from smithy import __version__
from smithy.user_cache import (
    cache_subdir,
    decode_record,
    discard,
    encode_record,
    folder_for_block,
    sha256_hex,
    write_record_file,
)

_MAGIC = b"smithy-prepared-recipe 1\n"
_SUFFIX = ".rec"
_MAX_FILES = 256
# The modules whose code shapes a record (compile, sandbox code generation, selector split).
_SOURCES = (
    "smithy.recipe.jinja",
    "smithy.recipe.jinja_line_names",
    "smithy.recipe.jinja_sandbox",
    "smithy.recipe.jinja_selected",
    "smithy.recipe.jinja_store",
    "smithy.recipe.selector_lines",
    "smithy.recipe.selectors",
)

_FOLDER: ContextVar[Path | None] = ContextVar("smithy_recipe_template_folder", default=None)


def recipe_cache_dir(environ: Mapping[str, str] | None) -> Path | None:
    """The folder for prepared recipe templates; None (no disk cache) without ``environ``."""
    return cache_subdir(environ, "recipes")


def recipe_template_cache(folder: Path | None) -> contextlib.AbstractContextManager[None]:
    """Keep and reuse prepared recipe templates in ``folder`` during the block (None: don't)."""
    return folder_for_block(_FOLDER, folder)


@functools.cache
def _tag() -> str | None:
    """The folder name for records made by this code; None when a module's source is unknown."""
    parts = [__version__.encode(), jinja2.__version__.encode(), sys.version.encode()]
    for name in _SOURCES:
        file = getattr(sys.modules.get(name), "__file__", None)
        try:
            parts.append(Path(file).read_bytes() if file else b"")
        except OSError:
            return None
        if not parts[-1]:
            return None
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:20]


def _path(text: str) -> tuple[Path, bytes] | None:
    folder, tag = _FOLDER.get(), _tag()
    if folder is None or tag is None:
        return None
    checksum = sha256_hex(text.encode("utf-8", "surrogatepass"))
    return folder / tag / f"{checksum.decode('ascii')}{_SUFFIX}", checksum


def load(text: str) -> tuple[bool, object]:
    """(True, the record stored for ``text``), or (False, None) when there is none to use."""
    where = _path(text)
    if where is None:
        return False, None
    path, checksum = where
    try:
        data = path.read_bytes()
    except OSError:  # none yet, or an unreadable folder
        return False, None
    found = decode_record(_MAGIC, data)
    if found is not None and found[0] == checksum:
        return True, found[1]
    discard(path)  # corrupt or truncated: preparing again writes a whole one
    return False, None


def store(text: str, record: Any) -> None:  # Any: marshal's own notion of plain data
    """Keep ``record`` (marshal-able data) for ``text``; any failure leaves the cache as it was."""
    where = _path(text)
    if where is None:
        return
    path, checksum = where
    try:
        data = encode_record(_MAGIC, checksum, record)
    except ValueError:  # not plain data: nothing to keep
        return
    if write_record_file(path, data, _SUFFIX):
        _prune(path.parent)


def _prune(folder: Path) -> None:
    """Delete the oldest records beyond ``_MAX_FILES`` (only after a write: a new recipe)."""
    try:
        records = [
            (entry.stat().st_mtime_ns, entry.name)
            for entry in os.scandir(folder)
            if entry.name.endswith(_SUFFIX)  # not another process's file being written
        ]
    except OSError:  # another process pruned the same file first, or the folder went
        return
    records.sort()
    for _, name in records[: max(0, len(records) - _MAX_FILES)]:
        discard(folder / name)
