"""One conda-forge.yml key's description: its kind, allowed values and help text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Literal

from smithy.records import record

Kind = Literal[
    "str",
    "int",
    "bool",
    "enum",
    "list",
    "map",
    "scalars",
    "block",
    "platforms",
    "provider",
    "workflow",
    "cleanup",
]


@record  # ~140 made at import (the conda-forge.yml key table)
class Field:
    """How one key is checked, converted and described.

    Attributes:
        kind: the value's shape (see ``Kind``).
        doc: one or two sentences for editors.
        nullable: null is a meaningful value (otherwise null is a wrong type for scalars and
            means "not set" for lists, maps and blocks).
        choices: allowed values of an ``enum`` (or of list items through ``item``).
        deprecated: advice shown when the key is used; non-empty marks the key deprecated.
        migrated: the loader's legacy step reports this key itself (no generic notice).
        children: the keys of a ``block``.
        extra: a ``block`` keeps keys it does not know instead of reporting them.
        attr: the dataclass attribute when it differs from the key.
        item: the value of ``list`` items, ``platforms`` entries and ``workflow`` values.
        keys: the allowed keys of a ``platforms`` map.
        single: a ``list`` also takes one bare value.
        numeric: a ``str``/``enum`` also takes a YAML number (``min_py_ver: 27``).
        pattern: a regular expression a ``str`` must match (checked by the JSON Schema; the
            loader refuses a mismatch where ``must_be`` is set, and its legacy step checks
            ``swapfile_size``).
        must_be: what a value is, said when it does not match ``pattern``; set for values
            pasted into CI scripts, where a mismatch stops the load (not a warning).
        boolean: an ``enum`` also takes true or false (``bot.automerge``).
    """

    kind: Kind
    doc: str = ""
    nullable: bool = False
    choices: tuple[str, ...] = ()
    deprecated: str = ""
    migrated: bool = False
    children: Mapping[str, Field] = field(default_factory=dict)
    extra: bool = False
    attr: str = ""
    item: Field | None = None
    keys: tuple[str, ...] = ()
    single: bool = False
    numeric: bool = False
    pattern: str = ""
    must_be: str = ""
    boolean: bool = False
