"""JSON Lines results: streamed to disk as tasks end, then rewritten sorted by feedstock name.

Records are written and flushed one by one, so a crash or Ctrl-C keeps everything finished so
far. Only byte offsets are kept in memory (not records): the coordinator stays small however
many feedstocks there are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from smithy.atomic.single_file import replace_file
from smithy.errors import SmithyError, Span
from smithy.fleet.model import DONE_STATUSES, STATUSES, Record, dump_record

_REQUIRED = ("name", "operation", "status")


def _check_record(data: object, path: Path, number: int) -> Record:
    where = Span(str(path), number)
    if not isinstance(data, dict):
        raise SmithyError("not a fleet result (expected a JSON object per line)", where)
    for key in _REQUIRED:
        if not isinstance(data.get(key), str):
            raise SmithyError(f"not a fleet result: '{key}' is missing or not a string", where)
    if data["status"] not in STATUSES:
        raise SmithyError(f"unknown status '{data['status']}'", where)
    return data


def iter_lines(path: Path) -> Iterator[tuple[Record, int, int]]:
    """Each record of a results file with its byte offset and line number.

    Raises:
        SmithyError: the file cannot be read, or a line is not a fleet record (``path:line``).
    """
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise SmithyError(f"cannot read results ({exc.strerror})", Span(str(path))) from None
    with stream:
        offset = 0
        for number, line in enumerate(stream, start=1):
            if line.strip():
                try:
                    data = json.loads(line)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise SmithyError(f"not JSON ({exc})", Span(str(path), number)) from None
                yield _check_record(data, path, number), offset, number
            offset += len(line)


def iter_records(paths: Sequence[Path]) -> Iterator[Record]:
    """Every record of ``paths``, file after file."""
    for path in paths:
        for record, _offset, _number in iter_lines(path):
            yield record


def done_hashes(path: Path) -> dict[str, tuple[str, int]]:
    """Map names to (input hash, offset) of records that need no redo (``ok``/``changed``)."""
    done: dict[str, tuple[str, int]] = {}
    for record, offset, _number in iter_lines(path):
        if record["status"] in DONE_STATUSES and isinstance(record.get("input_hash"), str):
            done[record["name"]] = (record["input_hash"], offset)
        else:
            done.pop(record["name"], None)
    return done


def _read_line(stream: IO[bytes], offset: int) -> bytes:
    stream.seek(offset)
    line = stream.readline()
    return line if line.endswith(b"\n") else line + b"\n"


class ResultsWriter:
    """Append records to ``path`` as they come; :meth:`finish` sorts them by name in place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._stream: IO[bytes] = path.open("wb")
        except OSError as exc:
            raise SmithyError(f"cannot write results ({exc.strerror})", Span(str(path))) from None
        self._offsets: dict[str, int] = {}

    def write(self, record: Record) -> None:
        """Append one record and flush it (a later crash keeps it)."""
        self.write_line(record["name"], (dump_record(record) + "\n").encode("utf-8"))

    def write_line(self, name: str, line: bytes) -> None:
        """Append one already-encoded record (copied from an earlier results file)."""
        self._offsets[name] = self._stream.tell()  # a redone feedstock: the last line wins
        self._stream.write(line)
        self._stream.flush()

    def finish(self) -> int:
        """Rewrite the file sorted by feedstock name (atomically); return how many records."""
        self._stream.close()
        write_sorted(self.path, [(name, self.path, at) for name, at in self._offsets.items()])
        return len(self._offsets)


def write_sorted(target: Path, entries: Sequence[tuple[str, Path, int]]) -> None:
    """Write the lines at (file, offset) of ``entries`` to ``target``, sorted by name."""
    streams: dict[Path, IO[bytes]] = {}

    def write(out: IO[bytes]) -> None:
        for _name, source, offset in sorted(entries):
            if source not in streams:
                streams[source] = source.open("rb")
            out.write(_read_line(streams[source], offset))

    try:
        replace_file(target, write)
    except OSError as exc:
        raise SmithyError(f"cannot write results ({exc.strerror})", Span(str(target))) from None
    finally:
        for stream in streams.values():
            stream.close()


def merge_results(paths: Sequence[Path], target: Path) -> int:
    """Join shard results into one file sorted by name; return how many records.

    Raises:
        SmithyError: a feedstock appears in two files (overlapping shards), or bad input.
    """
    seen: dict[str, Path] = {}
    entries: list[tuple[str, Path, int]] = []
    for path in paths:
        for record, offset, number in iter_lines(path):
            name = record["name"]
            if name in seen and seen[name] != path:
                message = f"'{name}' is also in {seen[name]}: shards must not overlap"
                raise SmithyError(message, Span(str(path), number))
            seen[name] = path
            entries.append((name, path, offset))
    latest = {name: (name, path, offset) for name, path, offset in entries}
    target.parent.mkdir(parents=True, exist_ok=True)
    write_sorted(target, list(latest.values()))
    return len(latest)
