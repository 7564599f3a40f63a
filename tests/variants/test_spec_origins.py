"""Where each value of a migrated config comes from (``from_spec``'s origins)."""

from __future__ import annotations

from smithy.errors import Span
from smithy.variants.model import VariantConfig
from smithy.variants.spec import from_spec

PIN, MIGRATION = Span("pin.yaml", 3), Span("migrations/m.yaml")
OTHER = Span("pin.yaml", 4)


def _before(values: tuple[str, ...], origins: tuple[Span, ...]) -> VariantConfig:
    return VariantConfig(values={"k": values}, origins={"k": origins})


def test_unchanged_values_keep_their_origins() -> None:
    migrated = from_spec({"k": ["1", "2"]}, _before(("1", "2"), (PIN, OTHER)), MIGRATION)
    assert migrated.origins["k"] == (PIN, OTHER)


def test_new_values_point_at_the_migration_and_kept_ones_keep_theirs() -> None:
    migrated = from_spec({"k": ["2", "3"]}, _before(("1", "2"), (PIN, OTHER)), MIGRATION)
    assert migrated.origins["k"] == (OTHER, MIGRATION)
    reordered = from_spec({"k": ["2", "1"]}, _before(("1", "2"), (PIN, OTHER)), MIGRATION)
    assert reordered.origins["k"] == (OTHER, PIN)


def test_a_repeated_value_takes_the_origin_of_its_last_occurrence() -> None:
    # The value -> origin lookup keeps the last span of a repeated value; an unchanged key
    # answers the same (not its own parallel list).
    migrated = from_spec({"k": ["1", "1"]}, _before(("1", "1"), (PIN, OTHER)), MIGRATION)
    assert migrated.origins["k"] == (OTHER, OTHER)


def test_values_without_origins_point_at_the_migration() -> None:
    migrated = from_spec({"k": ["1", "2"]}, _before(("1", "2"), (PIN,)), MIGRATION)
    assert migrated.origins["k"] == (PIN, MIGRATION)
