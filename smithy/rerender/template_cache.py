"""Compiled CI templates kept on disk, so a fresh process does not compile them again.

Compiling smithy's ~30 feedstock templates (jinja parses each one, generates Python source and
compiles it) cost a fresh ``smithy rerender`` 0.1-0.2 s of CPU, more than the rest of a small
rerender's real work. jinja can load that compiled code from a *bytecode cache*; this one keeps
one file per template in ``<user cache>/smithy/templates/<tag>/``.

Safety, since a cache must never change what is written:

* ``<tag>`` hashes everything the compiled code depends on besides the template text: smithy's
  and jinja's versions, the Python version, the environment's options and its filter and test
  names. A cache left by another release or configuration sits in another folder, unread.
* Each file records the SHA-256 of the template text it was compiled from (a changed template
  is compiled again and the file replaced) and the SHA-256 of the code bytes; a file that is
  truncated, corrupt or unreadable is deleted and the template compiled as if no file were there.
* Files are written to a temporary name and renamed into place, so concurrent processes read
  either a whole file or none. A missing, read-only or unusable cache folder only means
  compiling as before: nothing here raises.

The code is loaded with :mod:`marshal`, as Python loads ``__pycache__`` files: whoever can write
the user's cache folder can already change what the user runs.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from smithy import __version__
from smithy.user_cache import (
    cache_subdir,
    decode_record,
    discard,
    encode_record,
    write_record_file,
)

_MAGIC = b"smithy-compiled-template 1\n"
_SUFFIX = ".code"


def template_cache_dir(environ: Mapping[str, str] | None) -> Path | None:
    """Return the folder for compiled templates, or None for no disk cache (no ``environ``)."""
    return cache_subdir(environ, "templates")


def cache_tag(options: Mapping[str, object], names: Iterable[str]) -> str:
    """Name the folder for code compiled by one environment: a hash of what shapes the code.

    Args:
        options: the environment's settings (block trimming, undefined class, ...).
        names: the environment's filter and test names (compiled code refers to them).
    """
    parts = [
        __version__,
        jinja2.__version__,
        sys.version,
        *(f"{key}={value!r}" for key, value in sorted(options.items())),
        *sorted(names),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def encode(code: CodeType, checksum: str) -> bytes:
    """The file for ``code`` compiled from the template text whose SHA-256 is ``checksum``."""
    return encode_record(_MAGIC, checksum.encode("ascii"), code)


def decode(data: bytes) -> tuple[str, CodeType] | None:
    """Return (template checksum, code) from a cache file, or None when it is not a whole one."""
    found = decode_record(_MAGIC, data)
    if found is None or not isinstance(found[1], CodeType):
        return None
    return found[0].decode("ascii"), found[1]


class CompiledTemplateCache(BytecodeCache):
    """jinja's bytecode cache in one folder, tolerant of anything the folder holds or refuses."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The file name for a template: its name and where it was loaded from."""
        return hashlib.sha256(f"{name}|{filename}".encode()).hexdigest()

    def get_source_checksum(self, source: str) -> str:
        """SHA-256 of the template text: a changed template never reuses old code."""
        return hashlib.sha256(source.encode("utf-8")).hexdigest()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}{_SUFFIX}"

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from its file when that is whole and compiled from the same text."""
        path = self._path(bucket)
        try:
            data = path.read_bytes()
        except OSError:  # no file yet, or an unreadable folder: compile
            return
        found = decode(data)
        if found is None:
            discard(path)  # corrupt or truncated: the code written after compiling replaces it
        elif found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Write the bucket's code; a folder that cannot be written is left as it is."""
        if bucket.code is None:
            return
        write_record_file(self._path(bucket), encode(bucket.code, bucket.checksum), _SUFFIX)
