"""The CFEP-9 variant algebra: fold a migration onto a variant spec the way conda-smithy does."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeAlias

from smithy.errors import VariantError
from smithy.versions import (
    Version,
    version_or_none,
)

Spec: TypeAlias = Mapping[str, Any]
"""A variant spec as read from a variant or migration file (all scalars are strings).

Ordinary keys map to a list of values; ``zip_keys`` is a list of key lists; ``pin_run_as_build``
maps package names to ``{max_pin: ...}`` dicts; ``__migrator`` is the migration's control block.
"""
Values: TypeAlias = list[Any]
ZipGroups: TypeAlias = list[list[str]]
Ordering: TypeAlias = Mapping[str, Sequence[Any]]

MIGRATOR = "__migrator"
ZIP_KEYS = "zip_keys"
PIN_RUN_AS_BUILD = "pin_run_as_build"
_BASE, _MIGRATION = "spec being migrated", "migration"  # the two sides, named in errors


def as_list(value: object) -> Values:
    """Return ``value`` as a list as conda-build's ``ensure_list`` does.

    None is empty, a string is one value, mappings give their keys, iterables their items.
    """
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)


@lru_cache(maxsize=4096)
def _parse_version(text: str) -> Version | None:
    # conda's VersionOrder strips whitespace itself; rattler does not.
    stripped = text.strip()
    return version_or_none(stripped) if stripped else None


class _SortKey:
    """How conda-smithy orders one value: by conda version when it parses, else by itself."""

    __slots__ = ("raw", "version")

    def __init__(self, raw: object) -> None:
        # conda-smithy makes "3.12.* *_cpython" comparable by turning it into "3.12.1.1_cpython".
        text = raw.replace(" ", ".").replace("*", "1") if isinstance(raw, str) else str(raw)
        self.version = _parse_version(text)
        self.raw: object = text if isinstance(raw, str) else raw

    def __lt__(self, other: _SortKey) -> bool:
        if self.version is not None and other.version is not None:
            return bool(self.version < other.version)
        if self.version is None and other.version is None:
            try:
                return bool(self.raw < other.raw)  # type: ignore[operator]
            except TypeError:
                pass
        raise VariantError(f"cannot order the values {self.raw!r} and {other.raw!r}")


def _ordinal(key: str, value: object, ordering: Sequence[Any]) -> int:
    try:
        return ordering.index(value)
    except ValueError:
        message = f"value {value!r} of {key!r} is missing from __migrator.ordering.{key}"
        raise VariantError(message) from None


def _sort_key(key: str, ordering: Sequence[Any] | None) -> Callable[[Any], Any]:
    if ordering is None:
        return _SortKey
    return lambda value: _ordinal(key, value, ordering)


def _sorted(items: Iterable[Any], key: Callable[[Any], Any] | None = None) -> list[Any]:
    try:
        return sorted(items, key=key)
    except TypeError as exc:
        raise VariantError(f"cannot order variant values ({exc})") from None


def _unique(items: Iterable[Any]) -> list[Any]:
    try:
        return list(dict.fromkeys(items))
    except TypeError as exc:
        raise VariantError(f"variant values must be strings ({exc})") from None


def variant_key_add(
    key: str, left: Sequence[Any], right: Sequence[Any], ordering: Sequence[Any] | None = None
) -> Values:
    """Merge two value lists of ``key``, keeping the higher version at each position.

    Without ``ordering`` values are compared position by position with conda version order
    (ties keep the left value) and the longer list's tail is appended. With ``ordering`` the
    union of both lists is ranked by position in ``ordering`` and the highest
    ``max(len(left), len(right))`` entries are kept, in ordering order.

    Raises:
        VariantError: a value is missing from ``ordering``, values cannot be compared, or the
            ordering merge is ambiguous because of duplicate values.
    """
    if ordering is None:
        common = min(len(left), len(right))
        pairs = zip(left, right, strict=False)
        merged = [b if _SortKey(a) < _SortKey(b) else a for a, b in pairs]
        return merged + list(left[common:]) + list(right[common:])
    ranks = sorted({_ordinal(key, value, ordering) for value in [*left, *right]})
    longer = max(len(left), len(right))
    if len(ranks) < longer:
        if len(ranks) == 1:
            # Only one distinct value on both sides: repeating it is the only sensible merge.
            return [(list(left) or list(right))[0]] * longer
        raise VariantError(f"ambiguous merge of {key!r}: duplicate values with an ordering")
    return [ordering[rank] for rank in ranks[len(ranks) - longer :]]


def zip_groups(spec: Spec) -> ZipGroups:
    """Return the ``zip_keys`` groups of ``spec`` as lists of key names (empty when absent).

    Raises:
        VariantError: ``zip_keys`` is not a list of lists of strings.
    """
    groups = spec.get(ZIP_KEYS)
    if groups is None:
        return []
    if isinstance(groups, list | tuple) and all(
        isinstance(group, list | tuple) and all(isinstance(k, str) for k in group)
        for group in groups
    ):
        return [list(group) for group in groups]
    raise VariantError("zip_keys must be a list of lists of variant keys")


def _by_size(group: frozenset[str]) -> tuple[int, list[str]]:
    return (-len(group), sorted(group))


def merge_zip_keys(left: ZipGroups, right: ZipGroups) -> ZipGroups:
    """Merge two ``zip_keys`` lists: a left group inside a right group is replaced by it.

    Larger groups are matched first; each group is sorted and the groups are ordered by size,
    then by their text, as conda-smithy writes them.
    """
    lefts = _unique(frozenset(group) for group in left)
    rights = _unique(frozenset(group) for group in right)
    merged: list[frozenset[str]] = []
    for r_group in sorted(rights, key=_by_size):
        for l_group in sorted(lefts, key=_by_size):
            if l_group <= r_group:
                lefts.remove(l_group)
                rights.remove(r_group)
                merged.append(r_group)
                break
    merged.extend(lefts)
    merged.extend(rights)
    return sorted((sorted(group) for group in merged), key=lambda g: (len(g), str(g)))


def _migrator(spec: Spec) -> Mapping[str, Any]:
    block = spec.get(MIGRATOR, {})
    if not isinstance(block, Mapping):
        raise VariantError("__migrator must be a mapping")
    return block


def _ordering(migrator: Mapping[str, Any]) -> dict[str, list[Any]]:
    ordering = migrator.get("ordering", {})
    if not isinstance(ordering, Mapping) or not all(
        isinstance(values, list) for values in ordering.values()
    ):
        raise VariantError("__migrator.ordering must map variant keys to lists of values")
    return {str(key): values for key, values in ordering.items()}


def _primary_keys(migrator: Mapping[str, Any]) -> list[str]:
    keys = as_list(migrator.get("primary_key"))
    if not all(isinstance(key, str) for key in keys):
        raise VariantError("__migrator.primary_key must be a variant key name")
    return keys


def _single_primary_key(migrator: Mapping[str, Any], operation: str) -> str:
    key = migrator.get("primary_key")
    if not isinstance(key, str):
        raise VariantError(f"__migrator.operation {operation} needs a primary_key (one key name)")
    return key


def _require(spec: Spec, key: str, side: str) -> Values:
    if key not in spec:
        raise VariantError(f"{key!r} is zipped with the migrated key but missing from the {side}")
    return as_list(spec[key])


def _broadcast_new_zip_keys(result: Spec, added: Sequence[str], length: int) -> dict[str, Any]:
    left = dict(result)
    for key in added:
        values = _require(left, key, _BASE)
        if len(values) != 1:
            raise VariantError(
                f"cannot zip {key!r} ({len(values)} values) into a group of length {length}: "
                "additional_zip_keys need exactly one value in the spec being migrated"
            )
        left[key] = values * length
    return left


def _group_for_key_add(
    v1: Spec, primary: str, additional: Sequence[str]
) -> tuple[list[str], list[str], ZipGroups | None]:
    """Return (zip group of ``primary``, keys newly zipped in, new zip_keys or None)."""
    groups = zip_groups(v1)
    group = [primary]
    for candidate in groups:
        if primary in candidate:
            group = candidate
    if not additional:
        return group, [], None
    added: list[str] = []
    for candidate in groups:
        if primary in candidate:
            existing = set(candidate)
            for key in additional:
                if key not in existing:
                    candidate.append(key)
                    added.append(key)
                    group = list(candidate)
            return group, _unique(added), groups
    group = [primary, *additional]
    return group, _unique(additional), [*groups, group]


def key_add(v1: Spec, v2: Spec) -> dict[str, Any]:
    """Apply a ``key_add`` migration: insert new values of the primary key and its zip partners.

    A value tuple already present is skipped; the tuples are re-sorted by the primary key's
    ``ordering`` (or version order); ``additional_zip_keys`` join or form the primary key's zip
    group, broadcasting their single existing value. Other keys with an ``ordering`` are merged
    with :func:`variant_key_add`.
    """
    migrator = _migrator(v2)
    primary = _single_primary_key(migrator, "key_add")
    ordering = _ordering(migrator)
    additional = as_list(migrator.get("additional_zip_keys"))
    if not all(isinstance(key, str) for key in additional):
        raise VariantError("__migrator.additional_zip_keys must be a list of variant keys")
    if primary not in v2:
        return dict(v1)
    if primary not in v1:
        raise VariantError(f"cannot add values to {primary!r}: the spec being migrated lacks it")
    result = dict(v1)
    group, added, new_zip_keys = _group_for_key_add(v1, primary, additional)
    if new_zip_keys is not None:
        result[ZIP_KEYS] = new_zip_keys
    position = group.index(primary)
    rank = _sort_key(primary, ordering.get(primary))
    for index in range(len(as_list(v2[primary]))):
        left = _broadcast_new_zip_keys(result, added, len(as_list(result[primary])))
        columns = [_require(v2, key, _MIGRATION) for key in group]
        if any(index >= len(column) for column in columns):
            raise VariantError(
                f"the migration gives fewer values for a key zipped with {primary!r}"
            )
        existing = list(zip(*(_require(left, key, _BASE) for key in group), strict=False))
        new = tuple(column[index] for column in columns)
        if new in existing:
            continue
        rows = _sorted(_sorted(_unique([*existing, new])), key=lambda row: rank(row[position]))
        for column_index, key in enumerate(group):
            result[key] = [row[column_index] for row in rows]
    for key in sorted(set(ordering) - set(added) - {primary}):
        if key not in v1 or key not in v2:
            side = _BASE if key not in v1 else _MIGRATION
            raise VariantError(f"{key!r} has an ordering but is missing from the {side}")
        result[key] = variant_key_add(key, as_list(v1[key]), as_list(v2[key]), ordering[key])
    return result


def key_remove(v1: Spec, v2: Spec) -> dict[str, Any]:
    """Apply a ``key_remove`` migration: drop one value of the primary key and its zip partners.

    The remaining values are de-duplicated and sorted (by ``ordering`` or version order); zipped
    keys follow the positions of the primary key's values.
    """
    migrator = _migrator(v2)
    primary = _single_primary_key(migrator, "key_remove")
    ordering = _ordering(migrator)
    if primary not in v2:
        return dict(v1)
    removed = as_list(v2[primary])
    if len(removed) != 1:
        raise VariantError(f"key_remove takes exactly one value of {primary!r}, got {len(removed)}")
    current = as_list(v1.get(primary))
    if primary not in v1 or removed[0] not in current:
        return dict(v1)
    remaining = _sorted(_unique(current), key=_sort_key(primary, ordering.get(primary)))
    remaining.remove(removed[0])
    positions = [current.index(value) for value in remaining]
    result = dict(v1)
    result[primary] = remaining
    for group in zip_groups(v1):
        if primary not in group:
            continue
        for key in _unique(group):
            if key == primary:
                continue
            values = _require(v1, key, _BASE)
            if any(position >= len(values) for position in positions):
                raise VariantError(f"{key!r} has fewer values than {primary!r} it is zipped with")
            result[key] = [values[position] for position in positions]
    return result


_OPERATIONS: dict[str, Callable[[Spec, Spec], dict[str, Any]]] = {
    "key_add": key_add,
    "key_remove": key_remove,
}


def _merge_primary_key(
    v1: Spec, v2: Spec, primary: str, ordering: Ordering, groups: ZipGroups
) -> tuple[dict[str, Values], set[str]]:
    """Merge ``primary`` and carry its zip partners' values at the positions it kept."""
    if primary not in v1:
        raise VariantError(f"cannot merge {primary!r}: the spec being migrated lacks it")
    left, right = as_list(v1[primary]), as_list(v2[primary])
    merged = variant_key_add(primary, left, right, ordering.get(primary))
    out: dict[str, Values] = {primary: merged}
    group = next((candidate for candidate in groups if primary in candidate), [])
    chosen = {index for index, value in enumerate(left + right) if value in merged}
    for key in _unique(group):
        if key != primary:
            both = _require(v1, key, _BASE) + _require(v2, key, _MIGRATION)
            out[key] = [value for index, value in enumerate(both) if index in chosen]
    return out, set(group)


def variant_add(v1: Spec, v2: Spec) -> dict[str, Any]:
    """Return ``v1 + v2``: the spec ``v1`` with the migration (or variant) ``v2`` applied.

    Follows conda-smithy's ``variant_add``: ``__migrator.operation`` selects :func:`key_add` or
    :func:`key_remove`; otherwise keys on one side are kept, ``pin_run_as_build`` is merged with
    ``v2`` winning, ``zip_keys`` are merged with :func:`merge_zip_keys`, the primary key is
    merged with its zip partners following it, and every other shared key goes through
    :func:`variant_key_add`. Neither input is modified.

    Raises:
        VariantError: the two specs cannot be combined (unknown operation, values that cannot
            be ordered, a zipped key missing, ...).
    """
    migrator = _migrator(v2)
    ordering = _ordering(migrator)
    primaries = _primary_keys(migrator)
    operation = migrator.get("operation")
    if operation:
        handler = _OPERATIONS.get(operation) if isinstance(operation, str) else None
        if handler is None:
            raise VariantError(f"unknown __migrator.operation {operation!r} (key_add, key_remove)")
        return handler(v1, v2)
    joint = [key for key in v1 if key in v2]
    special: dict[str, Any] = {}
    if PIN_RUN_AS_BUILD in joint:
        pins_left, pins_right = v1[PIN_RUN_AS_BUILD], v2[PIN_RUN_AS_BUILD]
        if not isinstance(pins_left, Mapping) or not isinstance(pins_right, Mapping):
            raise VariantError("pin_run_as_build must be a mapping")
        special[PIN_RUN_AS_BUILD] = {**pins_left, **pins_right}
    if ZIP_KEYS in joint:
        special[ZIP_KEYS] = merge_zip_keys(zip_groups(v1), zip_groups(v2))
    merged: dict[str, Any] = {}
    handled: set[str] = set()
    groups = zip_groups(v1) + zip_groups(v2)
    for primary in primaries:
        if primary in v2:
            values, group = _merge_primary_key(v1, v2, primary, ordering, groups)
            merged.update(values)
            handled |= group
    for key in joint:
        if key not in handled and key not in special:
            merged[key] = variant_key_add(
                key, as_list(v1[key]), as_list(v2[key]), ordering.get(key)
            )
    return {
        **{key: value for key, value in v1.items() if key not in v2},
        **{key: value for key, value in v2.items() if key not in v1 and key != MIGRATOR},
        **merged,
        **special,
    }
