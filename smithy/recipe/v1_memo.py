"""Reuse a recipe.yaml output's render across the variants that give it the same values.

A recipe with 20 outputs renders each of them for every variant of the matrix (gdal: 294
variants), yet most outputs read few of the variant's keys: ``libgdal-core`` reads no python,
so its render is the same for every python. rattler-build itself renders an output once per
distinct set of the variables it uses; this memo gets there by recording what a render reads.

While a memoised part renders, the scope records every lookup whose value it depends on
(``Scope.reads``): each free name of a ``${{ }}`` template (jinja resolves them all up front),
each name an ``if:``/``skip`` condition reads, each variant key a recipe function reads
(``compiler('c')`` reads ``c_compiler`` and ``c_compiler_version``) and the outputs' pins when
``pin_subpackage`` is called. Everything else a render depends on is the same for every variant
of one platform and goes into the scope key (:func:`scope_key`). A later render reuses an entry
only when the scope key and the part's own key agree and every recorded lookup has the same
value in its scope (values compared by ``v1_lookups.fingerprint``, so ``1``, ``true`` and
``"1"`` stay apart; a value without a fingerprint is never reused).

The memo lives in the render session (one ``render_matrix``): nothing outlives a rerender.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from smithy.recipe.model import RawRecipe, RenderContext, RenderedRecipe
from smithy.recipe.v1_lookups import LookupValues, is_data

if TYPE_CHECKING:
    from smithy.recipe.v1_expressions import Scope
    from smithy.recipe.v1_lookups import Lookup

# Entries per session; a guard against pathological matrices, not a target.
_MAX_ENTRIES = 65536
_MAX_KEY_SETS = 64  # platforms x variant key sets of one session: a handful
_T = TypeVar("_T")
Current = Callable[["Lookup"], object]


class Entry(NamedTuple):
    """One memoised render.

    Attributes:
        value: what the render returned.
        used: variant keys the render counted as used (``Scope.used``).
        lookups: what the render read, to be recorded again by an enclosing recording.
        serial: a number unique in the memo, standing for ``value`` in other keys.
    """

    value: object
    used: frozenset[str]
    lookups: frozenset[Lookup]
    serial: int


_Groups = dict[tuple["Lookup", ...], dict[tuple[object, ...], Entry]]


class KeySets(NamedTuple):
    """The key sets of a render's variant (~500 keys: built once per session, not per render).

    Attributes:
        variant: the variant's keys.
        variant_keys: those and every key a variant file knows (what counts as used).
        unset: known keys neither the variant nor the platform names define (read undefined).
        first, first_names: what the condition names of a variant of the same keys (in the
            same order: the cache key) are made from (``v1_functions.condition_names_like``).
    """

    variant: frozenset[str]
    variant_keys: frozenset[str]
    unset: frozenset[str]
    first: Mapping[str, str]  # the first variant of these keys (in this order) a render had
    first_names: Mapping[str, Any]  # its condition names (``v1_functions.condition_names``)


@dataclass(slots=True)
class OutputMemo:
    """Memoised recipe.yaml renders of one session, by key and by the values they read."""

    _scopes: dict[tuple[object, ...], int] = field(default_factory=dict)
    # Nodes whose id() is part of a key stay alive with the memo, so no id is ever reused.
    _nodes: dict[int, object] = field(default_factory=dict)
    _entries: dict[tuple[object, ...], _Groups] = field(default_factory=dict)
    size: int = 0
    # Values computed from entries (by serial) and the scope: an output with its used keys.
    derived: dict[tuple[object, ...], object] = field(default_factory=dict)
    _key_sets: dict[tuple[object, ...], KeySets] = field(default_factory=dict)

    def key_sets(self, context: RenderContext, compute: Callable[[], KeySets]) -> KeySets:
        """``compute()``, kept for renders of the same platforms, known keys and variant keys.

        Key: all the sets are made of (the variant's keys in order: a different order is
        only another entry).
        """
        key = (context.platform, context.build_platform, context.known_variables, *context.variant)
        found = self._key_sets.get(key)
        if found is None:
            if len(self._key_sets) >= _MAX_KEY_SETS:
                self._key_sets.clear()
            found = self._key_sets[key] = compute()
        return found

    def scope_id(self, key: tuple[object, ...]) -> int:
        """A small number for a scope key (hashing it once per render, not once per output)."""
        return self._scopes.setdefault(key, len(self._scopes))

    def node_id(self, node: object) -> int:
        """The id of ``node``, kept valid for the memo's life."""
        self._nodes[id(node)] = node
        return id(node)

    def derive(self, key: tuple[object, ...], value: object) -> object:
        """Keep ``value`` under ``key`` in :attr:`derived` (unless full); returns it."""
        if len(self.derived) < _MAX_ENTRIES:
            self.derived[key] = value
        return value

    def find(self, key: tuple[object, ...], current: Current) -> Entry | None:
        """The entry under ``key`` whose lookups all have their ``current`` values now."""
        groups = self._entries.get(key)
        if groups is not None:
            for lookups, by_values in groups.items():
                found = by_values.get(tuple(map(current, lookups)))
                if found is not None:
                    return found
        return None

    def store(
        self,
        key: tuple[object, ...],
        lookups: Iterable[Lookup],
        current: Current,
        value: object,
        used: Iterable[str],
    ) -> Entry | None:
        """Remember a render; None when a lookup's value cannot be compared (or memo full)."""
        order = tuple(sorted(set(lookups)))
        values = tuple(map(current, order))
        if self.size >= _MAX_ENTRIES or any(item is None for item in values):
            return None
        self.size += 1
        entry = Entry(value, frozenset(used), frozenset(order), self.size)
        self._entries.setdefault(key, {}).setdefault(order, {})[values] = entry
        return entry


class MemoRun:
    """One render's use of the session's :class:`OutputMemo`.

    Args:
        memo: the session's memo.
        raw: the recipe.
        context: what it renders against.
        initial: the value of a lookup before the render defines its context or pins its
            outputs (what a whole render is compared by).
    """

    def __init__(
        self,
        memo: OutputMemo,
        raw: RawRecipe,
        context: RenderContext,
        initial: Current,
        variant_keys: frozenset[str],
    ) -> None:
        self.memo, self.variant = memo, context.variant
        self.initial = LookupValues(initial).__getitem__  # asked for again by each render
        # All a render depends on besides the values it reads. The context's names, which
        # shadow variant keys, are the recipe text's; the variant's key set decides which
        # `use_keys` apply; known keys the variant lacks read as undefined.
        key = (
            raw,
            context.platform,
            context.build_platform,
            variant_keys,  # the variant's: KeySets.variant
            context.known_variables,
            tuple(sorted(context.env.items())),
        )
        self.scope_id = memo.scope_id(key)
        self._scope: Scope | None = None

    @property
    def scope(self) -> Scope:
        """The scope of the render (see :meth:`bind`)."""
        if self._scope is None:
            raise RuntimeError("MemoRun.bind() was not called")  # a bug: exit 4
        return self._scope

    def bind(self, scope: Scope) -> None:
        """Record the lookups of the render in ``scope`` from now on."""
        self._scope = scope
        scope.reads = set()

    def recipe(self, render: Callable[[], RenderedRecipe]) -> RenderedRecipe:
        """The whole render (``render`` binds its scope), or a variant's that read the same."""
        key = (self.scope_id, "recipe")
        found = self.memo.find(key, self.initial)
        if found is not None:
            recipe = cast(RenderedRecipe, found.value)
            return dataclasses.replace(recipe, variant=self.variant)
        recipe = render()
        self.memo.store(key, self._varying(self.scope.reads or ()), self.initial, recipe, ())
        return recipe

    def _varying(self, lookups: Iterable[Lookup]) -> list[Lookup]:
        """The ``lookups`` whose :attr:`initial` value can differ between renders of this scope.

        Before a render defines anything, a name reads the variant's value if the variant has
        the key, else the platform's name or nothing, and a pin is unset: only the variant's
        own keys differ between variants of one scope (its key holds the platform and the
        variant's key set). The others need not be compared again.
        """
        variant = self.variant
        return [lookup for lookup in lookups if lookup[0] != "pin" and lookup[1] in variant]

    def part(
        self, key: tuple[object, ...], render: Callable[[], _T], *, pins_render: bool = False
    ) -> tuple[_T, int | None]:
        """Return ``render()`` (or an equal earlier render's) and its serial (None: not kept).

        The keys a reused render counted as used are counted again, and its lookups recorded
        in the enclosing recording. The scope must not change while ``render`` runs. While the
        outputs are pinned (``pins_render``), a pin's value known to the scope may be from
        before: a render that read a pin is not kept.
        """
        memo, scope = self.memo, self.scope
        full = (self.scope_id, *key)
        found = memo.find(full, scope.current())
        if found is not None:
            self._replay(found)
            return cast(_T, found.value), found.serial
        value, used, lookups = self._recording(render)
        if pins_render and any(source == "pin" for source, _ in lookups):
            return value, None
        entry = memo.store(full, lookups, scope.current(), value, used)
        return value, None if entry is None else entry.serial

    def context(
        self, evaluate: Callable[[], dict[str, Any]], define: Callable[[str, Any], None]
    ) -> dict[str, Any]:
        """The ``context`` values (``evaluate`` defines each), or a variant's that read the same.

        Evaluating the context changes what names read, so it is compared by the values before
        (``initial``), as a whole render is; a reused context is defined again, in order.
        """
        key = (self.scope_id, "context")
        found = self.memo.find(key, self.initial)
        if found is not None:
            self._replay(found)
            values = cast(dict[str, Any], found.value)
            for name, value in values.items():
                define(name, value)
            return values
        values, used, lookups = self._recording(evaluate)
        if all(is_data(value) for value in values.values()):  # not `cc: ${{ compiler }}`
            self.memo.store(key, self._varying(lookups), self.initial, values, used)
        return values

    def _replay(self, found: Entry) -> None:
        """Count a reused render's uses and record its lookups, as rendering it would."""
        self.scope.used.update(found.used)
        self.scope.read(found.lookups)

    def _recording(self, render: Callable[[], _T]) -> tuple[_T, set[str], set[Lookup]]:
        """``render()``, the keys it used and its lookups (the outer recording gets them too)."""
        scope = self.scope
        outer_used, outer_reads = scope.used, scope.reads
        scope.used, scope.reads = set(), set()
        try:
            value = render()
        finally:
            used, lookups = scope.used, scope.reads
            scope.used, scope.reads = outer_used, outer_reads
            outer_used.update(used)
            scope.read(lookups)
        return value, used, lookups

    def node_id(self, node: object) -> int:
        """The id of a tree node, kept valid for the session (see :meth:`OutputMemo.node_id`)."""
        return self.memo.node_id(node)

    def derived(self, key: tuple[object, ...], compute: Callable[[], _T]) -> _T:
        """``compute()`` kept under ``key`` (serials of entries and values) for the session."""
        full = (self.scope_id, *key)
        found = self.memo.derived.get(full)
        if found is None:
            found = self.memo.derive(full, compute())
        return cast(_T, found)
