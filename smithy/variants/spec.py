"""Move between ``VariantConfig`` and the plain spec form the migration algebra works on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smithy.errors import Span, VariantError
from smithy.variants.algebra import PIN_RUN_AS_BUILD, ZIP_KEYS, Spec, variant_add
from smithy.variants.migrations import TIMESTAMP, Migration
from smithy.variants.model import VariantConfig


def to_spec(config: VariantConfig) -> dict[str, Any]:
    """Return ``config`` as a spec: key -> list of values, ``zip_keys``, ``pin_run_as_build``."""
    spec: dict[str, Any] = {key: list(values) for key, values in config.values.items()}
    if config.zip_keys:
        spec[ZIP_KEYS] = [list(group) for group in config.zip_keys]
    if config.pin_run_as_build:
        spec[PIN_RUN_AS_BUILD] = {name: dict(pin) for name, pin in config.pin_run_as_build.items()}
    return spec


def _text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _origins(
    key: str, values: tuple[str, ...], before: VariantConfig, origin: Span
) -> tuple[Span, ...]:
    # A value the migration kept keeps where it came from; a new one points at the migration.
    kept = before.origins.get(key, ())
    if values == before.values.get(key) and len(kept) == len(values) == len(set(values)):
        return tuple(kept)  # most keys: what the lookup below gives, without building it
    known = dict(zip(before.values.get(key, ()), before.origins.get(key, ()), strict=False))
    return tuple(known.get(value, origin) for value in values)


def from_spec(spec: Spec, before: VariantConfig, origin: Span) -> VariantConfig:
    """Return the spec as a ``VariantConfig``, keeping ``before``'s special lists and origins.

    Args:
        spec: the migrated spec.
        before: the config the spec was made from (for origins and conda-build's lists).
        origin: where values that are new in ``spec`` come from (the migration file).
    """
    values: dict[str, tuple[str, ...]] = {}
    for key, raw in spec.items():
        if key in (ZIP_KEYS, PIN_RUN_AS_BUILD) or key.startswith("__") or key == TIMESTAMP:
            continue
        items = raw if isinstance(raw, list) else [raw]
        if items:
            values[key] = tuple(map(_text, items))
    zip_keys = tuple(tuple(str(key) for key in group) for group in spec.get(ZIP_KEYS) or ())
    pins = {
        str(name): {str(k): _text(v) for k, v in pin.items()}
        for name, pin in (spec.get(PIN_RUN_AS_BUILD) or {}).items()
    }
    return VariantConfig(
        values=values,
        zip_keys=zip_keys,
        pin_run_as_build={
            str(k): {str(a): _text(b) for a, b in v.items()} for k, v in pins.items()
        },
        origins={key: _origins(key, vals, before, origin) for key, vals in values.items()},
        extend_keys=before.extend_keys,
        ignore_version=before.ignore_version,
        ignore_build_only_deps=before.ignore_build_only_deps,
        zip_origins=tuple(before.zip_span(group) for group in zip_keys),
    )


def _ordered(migrations: Sequence[Migration]) -> list[Migration]:
    # conda-smithy folds them oldest first; equal timestamps by file name.
    return sorted(migrations, key=lambda m: (m.migrator_ts, str(m.path)))


def migrate(config: VariantConfig, migrations: Sequence[Migration]) -> VariantConfig:
    """Fold ``migrations`` onto ``config`` in ``migrator_ts`` order, tracking value origins.

    Raises:
        VariantError: a migration cannot be combined; the error names its file.
    """
    current = config
    for migration in _ordered(migrations):
        body = {k: v for k, v in migration.spec.items() if k != TIMESTAMP}
        if not body:
            continue
        where = Span(str(migration.path))
        try:
            spec = variant_add(to_spec(current), body)
        except VariantError as exc:
            if exc.span is not None:
                raise
            raise VariantError(f"cannot apply this migration: {exc.message}", where) from None
        current = from_spec(spec, current, where)
    return current
