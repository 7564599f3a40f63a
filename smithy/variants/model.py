"""The loaded form of a variant file (``VariantConfig``) and its zip_keys consistency check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from smithy.errors import Span, VariantError
from smithy.records import record

# Keys that configure the variant space instead of being variant values (conda-build's names).
ZIP_KEYS = "zip_keys"
PIN_RUN_AS_BUILD = "pin_run_as_build"
LIST_SPECIAL_KEYS = ("extend_keys", "ignore_version", "ignore_build_only_deps")
SPECIAL_KEYS = frozenset({ZIP_KEYS, PIN_RUN_AS_BUILD, *LIST_SPECIAL_KEYS})


class UnquotedValue(str):
    """A variant value a v1 ``variants.yaml`` gives as a plain YAML int or bool (``- 2``).

    conda-smithy reads ``variants.yaml`` with a YAML 1.2 loader that keeps such values typed
    and writes them unquoted in ``.ci_support`` files (``- 2``, ``- true``), while the same
    text from a ``conda_build_config.yaml`` stays a string (``- '2'``). It compares, hashes
    and renders as its text everywhere else.
    """

    __slots__ = ()


@record
class VariantConfig:
    """Variant values for one platform, as read from one or more variant files.

    Every value is a string holding the YAML scalar's source text, as conda-build's
    ``BaseLoader`` reads it: ``15`` stays ``"15"``, ``2.10`` stays ``"2.10"`` (never
    ``2.1``), ``false``/``True`` stay ``"false"``/``"True"`` as written, ``None`` and ``null``
    are the strings ``"None"``/``"null"``, and an empty list item (``-``) is ``""``.
    (conda-smithy turns ``"true"``/``"false"`` into booleans only when it writes
    ``.ci_support`` files.) Keys left without values after selection are dropped.

    Attributes:
        values: key -> values in file order (special keys excluded).
        zip_keys: groups of keys whose values move together, in file order.
        pin_run_as_build: package -> {``min_pin``/``max_pin``/...: pin}.
        origins: key -> the span of each value (parallel to ``values[key]``).
        extend_keys: keys named by ``extend_keys``: merged by extension, never expanded.
        ignore_version: conda-build's ``ignore_version`` list.
        ignore_build_only_deps: conda-build's ``ignore_build_only_deps`` list.
        zip_origins: where each ``zip_keys`` group is declared (parallel to ``zip_keys``).
    """

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    zip_keys: tuple[tuple[str, ...], ...] = ()
    pin_run_as_build: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    origins: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)
    extend_keys: frozenset[str] = frozenset()
    ignore_version: tuple[str, ...] = ()
    ignore_build_only_deps: tuple[str, ...] = ()
    zip_origins: tuple[Span | None, ...] = ()

    def keys(self) -> frozenset[str]:
        """Return the variant keys that have values (special keys excluded)."""
        return frozenset(self.values)

    def zip_group_of(self, key: str) -> tuple[str, ...] | None:
        """Return the zip_keys group holding ``key``, or None when it is not zipped."""
        for group in self.zip_keys:
            if key in group:
                return group
        return None

    def zip_span(self, group: tuple[str, ...]) -> Span | None:
        """Return where ``group`` was declared, when known."""
        for candidate, span in zip(self.zip_keys, self.zip_origins, strict=False):
            if candidate == group:
                return span
        return None


EMPTY = VariantConfig()


def _group_text(group: tuple[str, ...]) -> str:
    return "[" + ", ".join(group) + "]"


def check_zip_group(config: VariantConfig, group: tuple[str, ...]) -> None:
    """Raise when the keys of ``group`` present in ``config`` differ in length.

    Keys absent from ``config`` (for instance defined on other platforms only) are left out
    of the comparison, as conda-build leaves them out.

    Raises:
        VariantError: with each present key's length and where the group is declared.
    """
    present = [key for key in group if key in config.values]
    lengths = {key: len(config.values[key]) for key in present}
    if len(set(lengths.values())) <= 1:
        return
    counts = ", ".join(f"{key}={count}" for key, count in lengths.items())
    message = f"zip_keys group {_group_text(group)} has different lengths: {counts}"
    span = config.zip_span(group)
    sources = {key: config.origins[key][0] for key in present if config.origins.get(key)}
    if len({origin.path for origin in sources.values()} | ({span.path} if span else set())) > 1:
        # Merged from several files: say where each key's values come from.
        message += "; values from " + ", ".join(f"{k} at {s}" for k, s in sources.items())
    raise VariantError(message, span)


def check_zip_keys(config: VariantConfig) -> None:
    """Check that no key is in two zip groups and that each group's keys have equal lengths.

    Raises:
        VariantError: naming the group (and the file and line it is declared at).
    """
    owner: dict[str, int] = {}
    for index, group in enumerate(config.zip_keys):
        for key in group:
            first = owner.setdefault(key, index)
            if first != index:
                raise VariantError(
                    f"zip_keys: '{key}' is in two groups, {_group_text(config.zip_keys[first])}"
                    f" and {_group_text(group)}; a key can be zipped in one group only",
                    config.zip_span(group),
                )
    for group in config.zip_keys:
        check_zip_group(config, group)
