"""Random input to the graph file loader and the migration linter: only SmithyErrors escape."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from smithy.errors import SmithyError
from smithy.graph.serialize import loads_graph
from smithy.lint.migration_engine import lint_migration_files

TEXT = st.text(alphabet=st.sampled_from("{}[]\":,0123456789abc_ -\n#:'|>"), max_size=200)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_graph_loader_raises_only_smithy_errors(text: str) -> None:
    with contextlib.suppress(SmithyError):
        loads_graph(text)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(TEXT, TEXT.map(lambda t: "__migrator:\n  " + t), TEXT.map(lambda t: "python:\n" + t))
)
def test_migration_lint_raises_only_smithy_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_text(text, encoding="utf-8")
        with contextlib.suppress(SmithyError):
            lint_migration_files(
                [path], pinning_keys=frozenset({"python"}), pinning_zips=[["python", "x"]]
            )
