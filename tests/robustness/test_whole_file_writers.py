"""The caches and results smithy rewrites alone: each failure policy, and no temporary left.

A directory where the file should go makes the final rename fail, even as root.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from jinja2.bccache import Bucket

from smithy.errors import SmithyError
from smithy.fleet.results import write_sorted
from smithy.fleet.service import write_graph
from smithy.graph.cache import RecordCache
from smithy.graph.model import FeedstockRecord
from smithy.graph.serialize import loads_graph
from smithy.rerender.template_cache import CompiledTemplateCache

CHECKSUM = hashlib.sha256(b"template text").hexdigest()
RECORD = FeedstockRecord(name="zlib", path="/feedstocks/zlib-feedstock", version="1.3")


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_graph_cache_stores_whole_records_and_reports_a_write_it_cannot_do(tmp_path: Path) -> None:
    cache = RecordCache(tmp_path)
    cache.put("ab12", RECORD)
    assert cache.get("ab12", "zlib", Path(RECORD.path)) == RECORD
    blocked = tmp_path / "records" / "cd" / "cd34.json"
    blocked.mkdir(parents=True)
    with pytest.raises(SmithyError, match="cannot write the graph cache"):
        cache.put("cd34", RECORD)
    assert _names(blocked.parent) == ["cd34.json"]


def test_template_cache_ignores_a_slot_it_cannot_write(tmp_path: Path) -> None:
    cache = CompiledTemplateCache(tmp_path)
    bucket = Bucket(None, "key", CHECKSUM)  # type: ignore[arg-type]
    bucket.code = compile("x = 1", "<t>", "exec")
    (tmp_path / "key.code").mkdir()
    cache.dump_bytecode(bucket)  # no error: the template is compiled again next time
    assert _names(tmp_path) == ["key.code"]
    (tmp_path / "key.code").rmdir()
    cache.dump_bytecode(bucket)
    loaded = Bucket(None, "key", CHECKSUM)  # type: ignore[arg-type]
    cache.load_bytecode(loaded)
    assert loaded.code == bucket.code


def test_fleet_results_are_rewritten_sorted_or_refused_with_the_path(tmp_path: Path) -> None:
    source = tmp_path / "shard.jsonl"
    source.write_bytes(b'{"name": "b"}\n{"name": "a"}\n')
    entries = [("b", source, 0), ("a", source, 14)]
    target = tmp_path / "results.jsonl"
    write_sorted(target, entries)
    assert target.read_bytes() == b'{"name": "a"}\n{"name": "b"}\n'
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    with pytest.raises(SmithyError, match="cannot write results") as caught:
        write_sorted(blocked, entries)
    assert caught.value.span is not None and caught.value.span.path == str(blocked)
    assert _names(tmp_path) == ["blocked", "results.jsonl", "shard.jsonl"]


def test_fleet_graph_json_is_written_whole_or_refused(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    record = {
        "name": "zlib-feedstock",
        "operation": "graph",
        "status": "ok",
        "graph": RECORD.to_json(),
    }
    results.write_text(json.dumps(record) + "\n", encoding="utf-8")
    write_graph([results], tmp_path / "graph.json")
    assert "zlib" in loads_graph((tmp_path / "graph.json").read_text(encoding="utf-8"))
    (tmp_path / "taken").mkdir()
    with pytest.raises(SmithyError, match="cannot write"):
        write_graph([results], tmp_path / "taken")
    assert _names(tmp_path) == ["graph.json", "results.jsonl", "taken"]
