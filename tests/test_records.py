"""``record`` value classes: equal and hashed by value, read-only for mypy, fast to make."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from mypy import api as mypy_api

from smithy.errors import Span
from smithy.recipe.model import Dependency, RenderedOutput, Requirements


def test_spans_and_dependencies_compare_and_hash_by_value() -> None:
    # Memo keys and sets hold these: equal values must be one key, different ones two.
    assert {Span("meta.yaml", 3, 1), Span("meta.yaml", 3, 1)} == {Span("meta.yaml", 3, 1)}
    assert len({Span("meta.yaml", 3), Span("meta.yaml", 4)}) == 2
    first = Dependency("numpy >=1.26", Span("meta.yaml", 9))
    same = Dependency("numpy >=1.26", Span("meta.yaml", 9))
    assert first == same and hash(first) == hash(same)
    assert {Requirements(host=(first,)): 1}[Requirements(host=(same,))] == 1
    assert first != Dependency("numpy >=1.26", Span("meta.yaml", 10))


def test_records_are_slotted_dataclasses_that_survive_pickle() -> None:
    span = Span("recipe/meta.yaml", 4, 2)
    output = RenderedOutput(
        "x", "1.0", 0, span, requirements=Requirements(run=(Dependency("y", span),))
    )
    assert not hasattr(span, "__dict__")
    assert dataclasses.replace(span, line=5) == Span("recipe/meta.yaml", 5, 2)
    assert pickle.loads(pickle.dumps(output)) == output  # fleet workers send results back


def test_mypy_rejects_assigning_to_a_record_field(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from smithy.errors import Span\n"
        "span = Span('meta.yaml', 1)\n"
        "span.line = 2\n"
        "print(Span('meta.yaml', line=3, column=4))\n"
    )
    out, _, status = mypy_api.run(
        [str(snippet), "--no-incremental", "--follow-imports=silent", "--cache-dir=/dev/null"]
    )
    assert status == 1
    assert 'snippet.py:3: error: Property "line" defined in "Span" is read-only' in out
    assert "snippet.py:4" not in out
