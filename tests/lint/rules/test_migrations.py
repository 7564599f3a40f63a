"""SMY950-SMY963: migration files, linted as ``smithy migration lint`` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.lint.migration_engine import lint_migration_files
from tests.lint.rules.cases import Case, case_id

HEAD = "__migrator:\n  kind: version\n  migration_number: 1\n"
GOOD = HEAD + "libffi:\n  - '3.5'\nmigrator_ts: 1724712607\n"
KEY_ADD = (
    "__migrator:\n  kind: version\n  operation: key_add\n  primary_key: python\n"
    "  ordering:\n    python:\n      - '3.12'\n"
    "python:\n  - '3.12'\n  - '3.13'\nmigrator_ts: 1\n"
)
# Two python values on Windows, one is_python_min: the zip breaks there only.
ZIPPED = "python:\n  - '3.12'\n  - '3.13'  # [win]\nmigrator_ts: 1\nis_python_min:\n  - 'true'\n"
# Two python values on Windows, one is_python_min: the zip breaks there only.
ZIPPED = "python:\n  - '3.12'\n  - '3.13'  # [win]\nmigrator_ts: 1\nis_python_min:\n  - 'true'\n"
PINNING_KEYS = frozenset({"libffi", "python", "is_python_min"})
ZIPS = (("python", "is_python_min"),)

CASES = [
    *(Case(code, GOOD, ()) for code in (f"SMY{n}" for n in range(950, 964))),
    Case("SMY950", "libffi:\n  - '3.5'\nmigrator_ts: 1\n", (0,)),
    # Not a mapping: rerender refuses the file ("__migrator must be a mapping"); lint passed it.
    Case("SMY950", "__migrator:\nlibffi:\n  - '3.5'\nmigrator_ts: 1\n", (1,), label="empty"),
    Case("SMY950", "__migrator: [kind]\nmigrator_ts: 1\n", (1,), label="list"),
    Case("SMY950", GOOD + "__migrator:\n", (7,), label="repeated empty"),
    Case("SMY951", HEAD + "  build_number: 2\nmigrator_ts: 1\n", (4,)),
    Case("SMY952", HEAD + "  pr_limt: 5\nmigrator_ts: 1\n", (4,)),
    Case("SMY953", "__migrator:\n  kind: arch\nmigrator_ts: 1\n", (2,)),
    Case("SMY954", HEAD + "  operation: key_swap\nmigrator_ts: 1\n", (4,)),
    # A list is unhashable: the membership test crashed migration lint (exit 4).
    Case("SMY954", HEAD + "  operation: [key_add]\nmigrator_ts: 1\n", (4,), label="list"),
    Case("SMY955", HEAD + "  operation: key_remove\nmigrator_ts: 1\n", (4,)),
    Case("SMY956", KEY_ADD.replace("  ordering:\n    python:\n      - '3.12'\n", ""), (3,)),
    Case("SMY957", KEY_ADD, (5,)),
    Case("SMY957", KEY_ADD.replace("- '3.12'\n", "- '3.12'\n      - '3.13'\n", 1), (), label="all"),
    Case("SMY958", HEAD + "migrator_ts: soon\n", (4,)),
    Case("SMY959", HEAD + "libffi: '3.5'\nmigrator_ts: 1\n", (4,)),
    Case("SMY960", HEAD + "libffi:\n  - '3.5'  # [linux and (]\nmigrator_ts: 1\n", (5,)),
    # __migrator settings rerender refuses: lint said "all good".
    Case("SMY960", HEAD.replace(": 1", ": .nan") + "migrator_ts: 1\n", (3,), label="number"),
    Case("SMY960", HEAD + "  use_local: maybe\nmigrator_ts: 1\n", (4,), label="use_local"),
    Case("SMY961", HEAD + ZIPPED, (4,)),
    Case("SMY962", HEAD + "libfii:\n  - '3.5'\nmigrator_ts: 1\n", (4,)),
    Case("SMY963", GOOD, (6,), files={"a.yaml": GOOD}),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_migration_rule(tmp_path: Path, case: Case) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(case.recipe, encoding="utf-8")
    others = [tmp_path / name for name in case.files]
    for other in others:
        other.write_text(case.files[other.name], encoding="utf-8")
    result = lint_migration_files(
        [path, *others], select=[case.code], pinning_keys=PINNING_KEYS, pinning_zips=ZIPS
    )
    lines = tuple(f.line for f in result.findings if f.path == str(path))
    assert lines == case.lines
    assert all(f.code == case.code for f in result.findings)
