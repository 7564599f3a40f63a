"""Layer variant configs the way conda-build's ``combine_specs`` does: later files win."""

from __future__ import annotations

from smithy.errors import Span, VariantError
from smithy.variants.model import EMPTY, VariantConfig, check_zip_group

_Group = list[str]


def _zip_groups(configs: tuple[VariantConfig, ...]) -> tuple[list[_Group], list[Span | None]]:
    """Union of every config's groups; a group overlapping earlier files' groups joins them.

    conda-build keeps overlapping groups side by side, which makes a key move with two
    groups at once and expands into nonsense. Joining them says what both files ask for:
    all those keys move together. Groups of one file are not joined, so ``check_zip_keys``
    still reports a key put in two groups by the same file.
    """
    groups: list[_Group] = []
    spans: list[Span | None] = []
    for config in configs:
        earlier = len(groups)
        for index, group in enumerate(config.zip_keys):
            span = config.zip_origins[index] if index < len(config.zip_origins) else None
            hits = [i for i in range(earlier) if set(groups[i]) & set(group)]
            if not hits:
                groups.append(list(group))
                spans.append(span)
                continue
            target = groups[hits[0]]
            for other in [*(groups[i] for i in hits[1:]), list(group)]:
                target.extend(key for key in other if key not in target)
            for i in reversed(hits[1:]):
                del groups[i], spans[i]
                earlier -= 1
    return groups, spans


def _unique(
    values: tuple[str, ...], spans: tuple[Span, ...]
) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    seen: dict[str, Span | None] = {}
    for position, value in enumerate(values):
        seen.setdefault(value, spans[position] if position < len(spans) else None)
    return tuple(seen), tuple(span for span in seen.values() if span is not None)


class _Layers:
    """The values merged so far; ``add`` lays one more config on top."""

    def __init__(self, groups: list[_Group], extend: frozenset[str]) -> None:
        self.groups = groups
        self.extend = extend
        self.values: dict[str, tuple[str, ...]] = {}
        self.origins: dict[str, tuple[Span, ...]] = {}

    def add(self, config: VariantConfig) -> None:
        done: set[str] = set()
        for key, new in config.values.items():
            if key in done:
                continue
            spans = config.origins.get(key, ())
            group = next((g for g in self.groups if key in g), None)
            if key in self.extend and key in self.values:
                merged = _unique(self.values[key] + new, self.origins.get(key, ()) + spans)
                self._set(key, *merged)
            elif group is None or key not in self.values:
                self._set(key, new, spans)
            else:
                given = [k for k in group if k in config.values]
                done.update(given)
                self._add_zipped(config, given, group)

    def _add_zipped(self, config: VariantConfig, given: list[str], group: _Group) -> None:
        """Lay the keys of one zip group that ``config`` sets over the current values.

        Without their current partners, they must keep the partners' length, or pick a
        subset of their current values: conda-build then filters the expanded variants down
        to those values, carrying the partners along, which is done here up front.
        """
        missing = [k for k in group if k in self.values and k not in config.values]
        lengths = {len(config.values[k]) for k in given} | {len(self.values[k]) for k in missing}
        if not missing or len(lengths) == 1:
            for key in given:
                self._set(key, config.values[key], config.origins.get(key, ()))
            return
        chosen = {key: set(config.values[key]) for key in given if key in self.values}
        for key, wanted in chosen.items():
            if not wanted <= set(self.values[key]):
                sizes = ", ".join(f"{k}={len(self.values[k])}" for k in missing)
                spans = config.origins.get(key, ())
                raise VariantError(
                    f"'{key}' is zipped with {', '.join(missing)} ({sizes}) but is given "
                    f"{len(config.values[key])} values, some of them new; give "
                    f"{', '.join(missing)} too with as many values, or only values "
                    f"'{key}' already has",
                    spans[0] if spans else None,
                )
        rows = [*chosen, *missing]
        check_zip_group(self._snapshot(), tuple(rows))
        keep = [
            row
            for row in range(len(self.values[rows[0]]))
            if all(self.values[key][row] in wanted for key, wanted in chosen.items())
        ]
        for key in rows:
            values, origins = self.values[key], self.origins.get(key, ())
            self._set(
                key,
                tuple(values[row] for row in keep),
                tuple(origins[row] for row in keep if row < len(origins)),
            )
        for key in given:
            if key not in chosen:  # new to the group: taken as given
                self._set(key, config.values[key], config.origins.get(key, ()))

    def _set(self, key: str, values: tuple[str, ...], spans: tuple[Span, ...]) -> None:
        self.values[key] = values
        self.origins[key] = spans

    def _snapshot(self) -> VariantConfig:
        return VariantConfig(values=dict(self.values), origins=dict(self.origins))


def _joined(*lists: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for items in lists for item in items))


def merge_variant_configs(*configs: VariantConfig) -> VariantConfig:
    """Merge ``configs``, later ones taking precedence (pinning first, recipe files last).

    * A key's values are replaced by a later config's values, keeping the key's first
      position. A zipped key given without its zip partners must keep their length, or pick
      a subset of its current values (the partners are cut to the same positions); anything
      else is a ``VariantError``, as in conda-build.
    * Keys named in ``extend_keys`` are extended instead (duplicates dropped), and so are
      ``ignore_version`` and ``ignore_build_only_deps``. ``pin_run_as_build`` is merged per
      package, a later entry replacing the whole entry of that package.
    * ``zip_keys`` groups are united; see ``_zip_groups`` for groups that overlap.

    Raises:
        VariantError: a zipped key is overridden in a way that cannot be lined up.
    """
    chosen = tuple(config for config in configs if config is not EMPTY)
    if not chosen:
        return EMPTY
    if len(chosen) == 1:
        return chosen[0]
    # Variant files are loaded once and shared (load_variant_file caches them), so the same
    # objects meet again for every recipe linted or rendered against one pinning.
    key = tuple(map(id, chosen))
    found = _merged.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], chosen, strict=True)):
        return found[1]
    merged = _merge(chosen)
    if len(_merged) >= _MERGED_CACHE_SIZE:
        _merged.clear()
    _merged[key] = (chosen, merged)  # holding the inputs keeps their ids unique
    return merged


_MERGED_CACHE_SIZE = 256
_merged: dict[tuple[int, ...], tuple[tuple[VariantConfig, ...], VariantConfig]] = {}


def _merge(chosen: tuple[VariantConfig, ...]) -> VariantConfig:
    groups, spans = _zip_groups(chosen)
    extend = frozenset().union(*(config.extend_keys for config in chosen))
    layers = _Layers(groups, extend)
    pins: dict[str, dict[str, str]] = {}
    for config in chosen:
        layers.add(config)
        pins.update({name: dict(pin) for name, pin in config.pin_run_as_build.items()})
    return VariantConfig(
        values=layers.values,
        zip_keys=tuple(tuple(group) for group in groups),
        pin_run_as_build=pins,
        origins=layers.origins,
        extend_keys=extend,
        ignore_version=_joined(*(config.ignore_version for config in chosen)),
        ignore_build_only_deps=_joined(*(c.ignore_build_only_deps for c in chosen)),
        zip_origins=tuple(spans),
    )
