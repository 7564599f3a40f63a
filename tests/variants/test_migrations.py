from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smithy.errors import PinningError, SmithyError, Span, VariantError
from smithy.platforms import selector_namespace
from smithy.variants.migrations import (
    Migration,
    apply_migrations,
    find_feedstock_migrations,
    load_migration,
    parse_migration_text,
    select_migrations,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "migrations"


def parse(text: str, platform: str = "linux-64", env: dict[str, str] | None = None) -> Any:
    return parse_migration_text(
        dedent(text), namespace=selector_namespace(platform), env=env or {}, path="m.yaml"
    )


def load(name: str, platform: str = "linux-64") -> Migration:
    return load_migration(DATA / name, namespace=selector_namespace(platform), env={})


def base_spec(platform: str = "linux-64") -> dict[str, Any]:
    spec = dict(parse((DATA / "base.yaml").read_text(), platform))
    spec.pop("migrator_ts")
    return spec


# -- parsing ---------------------------------------------------------------------------------


def test_values_stay_strings_and_timestamp_becomes_float() -> None:
    parsed = parse("migrator_ts: 1700000000\nx:\n  - 1.10\n  - true\n  - null\n  - 010\n")
    assert parsed == {"migrator_ts": 1700000000.0, "x": ["1.10", "true", "null", "010"]}


def test_missing_timestamp_defaults_to_minus_one() -> None:
    assert parse("x:\n  - 1\n")["migrator_ts"] == -1.0
    assert parse("")["migrator_ts"] == -1.0


def test_selectors_pick_lines_per_platform() -> None:
    text = "c_compiler:\n  - gcc  # [linux]\n  - clang  # [osx]\ncuda:\n  - 12  # [win]\n"
    assert parse(text, "linux-64") == {"c_compiler": ["gcc"], "migrator_ts": -1.0}
    assert parse(text, "osx-arm64")["c_compiler"] == ["clang"]
    assert parse(text, "win-64")["cuda"] == ["12"]


def test_selectors_read_the_given_environment() -> None:
    text = 'x:\n  - 1  # [os.environ.get("CF_CUDA_ENABLED", "False") == "True"]\n'
    assert "x" not in parse(text)
    assert parse(text, env={"CF_CUDA_ENABLED": "True"})["x"] == ["1"]


def test_environment_variables_are_selector_names_too() -> None:
    text = 'x:\n  - 1  # [BUILD_PLATFORM == "linux-aarch64"]\n  - 2\n'
    assert parse(text, env={"BUILD_PLATFORM": "linux-aarch64"})["x"] == ["1", "2"]
    assert parse(text, env={"BUILD_PLATFORM": "linux-64"})["x"] == ["2"]


def test_names_missing_from_the_namespace_read_as_false() -> None:
    text = "x:\n  - 1  # [not_a_variant_key]\n  - 2  # [not not_a_variant_key]\n"
    assert parse(text)["x"] == ["2"]


def test_empty_values_are_trimmed_recursively() -> None:
    text = """\
        __migrator:
          ordering:
            python: []
          commit_message:
        x: []
        y: ''
        z: {}
        zip_keys:
          - []
        kept:
          - ''
        """
    assert parse(text) == {"kept": [""], "migrator_ts": -1.0}


def test_repeated_key_keeps_the_last_value() -> None:
    assert parse("x:\n  - 1\nx:\n  - 2\n")["x"] == ["2"]


def test_broken_yaml_names_file_and_line() -> None:
    with pytest.raises(PinningError) as info:
        parse("x:\n  - 1\n y: [\n")
    assert info.value.span is not None
    assert info.value.span.path == "m.yaml"
    assert info.value.span.line >= 2


def test_non_mapping_is_an_error() -> None:
    with pytest.raises(PinningError, match="must be a mapping"):
        parse("- 1\n- 2\n")


def test_bad_timestamp_points_at_its_line() -> None:
    with pytest.raises(PinningError, match="migrator_ts must be a number") as info:
        parse("x:\n  - 1\nmigrator_ts: soon\n")
    assert info.value.span is not None
    assert info.value.span.line == 3


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab:-[]{}#\n '\"!&*|>.1_"), max_size=60))
def test_random_text_raises_only_smithy_errors(text: str) -> None:
    with contextlib.suppress(SmithyError):
        parse_migration_text(text, namespace=selector_namespace("linux-64"), env={}, path="m")


# -- loading ---------------------------------------------------------------------------------


def test_load_migration_reads_the_control_block() -> None:
    migration = load("python313.yaml")
    assert migration.name == "python313"
    assert migration.migrator_ts == 1724712607.0
    assert migration.migration_number == 1
    assert migration.operation == "key_add"
    assert migration.use_local is False
    assert migration.spec["python"] == ["3.13.* *_cp313"]


def test_load_migration_defaults() -> None:
    migration = load("no_timestamp.yaml")
    assert (migration.migrator_ts, migration.migration_number, migration.operation) == (
        -1.0,
        None,
        None,
    )
    assert load("local_tweak.yaml").use_local is True


def test_bad_migration_number_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("migrator_ts: 1\n__migrator:\n  migration_number: two\n", encoding="utf-8")
    with pytest.raises(PinningError, match="migration_number") as caught:
        load_migration(path, namespace=selector_namespace("linux-64"), env={})
    assert caught.value.span == Span(str(path), 3, 3)


# (no flow list: at a line's end conda-build reads "[a]" as a selector)
@pytest.mark.parametrize("block", ["\n  - a\n  - b", "text", "'1'"])
def test_a_migrator_that_is_no_mapping_is_refused_at_its_line(tmp_path: Path, block: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"migrator_ts: 1\nzlib:\n  - '2'\n__migrator: {block}\n", encoding="utf-8")
    with pytest.raises(PinningError, match="__migrator must be a mapping") as caught:
        load_migration(path, namespace=selector_namespace("linux-64"), env={})
    assert caught.value.span == Span(str(path), 4, 1)
    with pytest.raises(PinningError, match="__migrator must be a mapping") as caught:
        select_migrations([path], tmp_path)
    assert caught.value.span == Span(str(path), 4, 1)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("use_local: maybe", "use_local must be true or false, not 'maybe'"),
        ("use_local: {a: 1}", "use_local must be true or false"),
        ("operation: {a: 1}", "operation must be a name"),
    ],
)
def test_a_control_value_of_the_wrong_kind_is_refused_not_defaulted(
    tmp_path: Path, block: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"__migrator:\n  kind: version\n  {block}\nmigrator_ts: 1\n", encoding="utf-8")
    where = Span(str(path), 3, 3)
    with pytest.raises(PinningError, match=message) as caught:
        load_migration(path, namespace=selector_namespace("linux-64"), env={})
    assert caught.value.span == where
    if "use_local" in block:  # read to choose between the feedstock's and the pinning's copy
        with pytest.raises(PinningError, match=message) as caught:
            select_migrations([path], tmp_path)
        assert caught.value.span == where


def test_use_local_false_in_any_case_reads_as_false(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("__migrator:\n  use_local: False\nmigrator_ts: 1\n", encoding="utf-8")
    assert load_migration(path, namespace=selector_namespace("linux-64"), env={}).use_local is False


def test_missing_file_is_a_pinning_error(tmp_path: Path) -> None:
    with pytest.raises(PinningError, match="cannot read"):
        load_migration(tmp_path / "gone.yaml", namespace={}, env={})


# -- selection -------------------------------------------------------------------------------


def _feedstock(tmp_path: Path, files: dict[str, str]) -> list[Path]:
    folder = tmp_path / "feedstock" / ".ci_support" / "migrations"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return find_feedstock_migrations(tmp_path / "feedstock")


def _pinning(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "pinning" / "migrations"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_same_timestamp_and_number_uses_the_pinning_copy(tmp_path: Path) -> None:
    text = (DATA / "python313.yaml").read_text()
    feedstock = _feedstock(tmp_path, {"python313.yaml": text})
    pinning = _pinning(tmp_path, {"python313.yaml": text + "# edited upstream\n"})
    assert select_migrations(feedstock, pinning) == ([pinning / "python313.yaml"], [])


def test_use_local_and_missing_timestamp_keep_the_feedstock_copy(tmp_path: Path) -> None:
    feedstock = _feedstock(
        tmp_path,
        {
            "local_tweak.yaml": (DATA / "local_tweak.yaml").read_text(),
            "no_timestamp.yaml": (DATA / "no_timestamp.yaml").read_text(),
        },
    )
    pinning = _pinning(tmp_path, {"local_tweak.yaml": "migrator_ts: 1\nlibbar:\n  - 9\n"})
    assert select_migrations(feedstock, pinning) == (feedstock, [])


def test_finished_migrations_are_deleted(tmp_path: Path) -> None:
    feedstock = _feedstock(
        tmp_path,
        {
            "gone.yaml": "migrator_ts: 5\nx:\n  - 1\n",
            "retimed.yaml": "migrator_ts: 5\nx:\n  - 1\n",
        },
    )
    pinning = _pinning(tmp_path, {"retimed.yaml": "migrator_ts: 6\nx:\n  - 1\n"})
    assert select_migrations(feedstock, pinning) == ([], feedstock)


def test_timestamps_are_matched_as_written(tmp_path: Path) -> None:
    feedstock = _feedstock(tmp_path, {"m.yaml": "migrator_ts: 5.0\n"})
    pinning = _pinning(tmp_path, {"m.yaml": "migrator_ts: 5\n"})
    assert select_migrations(feedstock, pinning) == ([], feedstock)


@pytest.mark.parametrize(
    ("ours", "theirs", "upstream_used"),
    [
        ("  migration_number: 1\n", "  migration_number: 1\n", True),
        ("  kind: version\n", "  kind: version\n", True),
        ("  migration_number: 1\n", "  migration_number: 2\n", False),
        # conda-smithy compares the raw value with a default of 1: absent and "1" differ.
        ("  kind: version\n", "  migration_number: 1\n", False),
    ],
)
def test_migration_number_decides_between_copies(
    tmp_path: Path, ours: str, theirs: str, upstream_used: bool
) -> None:
    head = "migrator_ts: 7\n__migrator:\n"
    feedstock = _feedstock(tmp_path, {"m.yaml": head + ours})
    pinning = _pinning(tmp_path, {"m.yaml": head + theirs})
    expected = pinning / "m.yaml" if upstream_used else feedstock[0]
    assert select_migrations(feedstock, pinning) == ([expected], [])


def test_without_pinning_migrations_every_feedstock_file_is_used(tmp_path: Path) -> None:
    feedstock = _feedstock(tmp_path, {"b.yaml": "migrator_ts: 1\n", "a.yaml": "- not read\n"})
    assert select_migrations(feedstock, None) == (feedstock, [])
    assert select_migrations(feedstock, tmp_path / "missing") == (feedstock, [])


def test_selection_reports_unreadable_yaml(tmp_path: Path) -> None:
    feedstock = _feedstock(tmp_path, {"m.yaml": "migrator_ts: [\n"})
    with pytest.raises(PinningError):
        select_migrations(feedstock, _pinning(tmp_path, {}))


# -- applying --------------------------------------------------------------------------------


def test_migrations_apply_in_timestamp_order() -> None:
    migrations = [load(name) for name in ("drop_py310.yaml", "python313.yaml", "libfoo2.yaml")]
    result = apply_migrations(base_spec(), migrations)
    assert result["python"] == ["3.11.* *_cpython", "3.12.* *_cpython", "3.13.* *_cp313"]
    assert result["is_python_min"] == ["false", "false", "false"]
    assert result["libfoo"] == ["1.10"]
    assert result["pin_run_as_build"] == {"libfoo": {"max_pin": "x"}}
    assert "migrator_ts" not in result
    assert "__migrator" not in result


def test_order_given_does_not_matter() -> None:
    names = ["libfoo2.yaml", "python313.yaml", "drop_py310.yaml"]
    forward = apply_migrations(base_spec(), [load(name) for name in names])
    backward = apply_migrations(base_spec(), [load(name) for name in reversed(names)])
    assert forward == backward


def test_plain_specs_are_ordered_by_their_timestamp() -> None:
    bump = {"migrator_ts": 2.0, "libfoo": ["3"]}
    ordering = {"libfoo": ["1", "3", "2"]}  # a downgrade: 2 ranks above 3
    pin = {"migrator_ts": 1.0, "__migrator": {"ordering": ordering}, "libfoo": ["2"]}
    assert apply_migrations({"libfoo": ["1"]}, [bump, pin])["libfoo"] == ["3"]
    assert apply_migrations({"libfoo": ["1"]}, [pin, bump])["libfoo"] == ["3"]


def test_base_is_not_modified_and_platforms_differ() -> None:
    base = base_spec("osx-64")
    before = dict(base)
    result = apply_migrations(base, [load("python313.yaml", "osx-64")])
    assert base == before
    assert result["c_compiler"] == ["clang"]
    assert "docker_image" not in result


def test_failing_migration_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    shutil.copy(DATA / "python313.yaml", path)
    migration = load_migration(path, namespace=selector_namespace("linux-64"), env={})
    with pytest.raises(VariantError, match="cannot apply this migration") as info:
        # 2.7 is not in the migration's python ordering.
        apply_migrations({"python": ["2.7"]}, [migration])
    assert info.value.span is not None
    assert info.value.span.path == str(path)
