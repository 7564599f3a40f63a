"""The node tree every smithy YAML reader receives: scalars keep their source text and spans."""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

MERGE_TAG = "tag:yaml.org,2002:merge"


# NamedTuples: built once per node of every file read, they cost a third of a frozen dataclass.
class Scalar(NamedTuple):
    """A scalar exactly as written: never resolved to a number or boolean here.

    Attributes:
        value: the text after unquoting and folding.
        style: ``""`` for a plain scalar, else ``'``, ``"``, ``|`` or ``>``.
        tag: ``""`` unless the file wrote one (``!!str``); :data:`MERGE_TAG` for a ``<<`` key.
        line: 1-based line (with the caller's line offset).
        column: 1-based column.
    """

    value: str
    style: str
    tag: str
    line: int
    column: int

    @property
    def plain(self) -> bool:
        """Whether the scalar is unquoted and untagged (the only kind YAML resolves)."""
        return not self.style and not self.tag


class Sequence(NamedTuple):
    """A sequence; ``size`` counts every value reachable through it, aliases expanded."""

    items: tuple[Node, ...]
    tag: str
    line: int
    column: int
    size: int


class Mapping(NamedTuple):
    """A mapping as written: duplicate keys and ``<<`` merge keys are left to the reader."""

    pairs: tuple[tuple[Node, Node], ...]
    tag: str
    line: int
    column: int
    size: int


Node: TypeAlias = Scalar | Sequence | Mapping


def node_size(node: Node) -> int:
    """Values reachable through ``node``, itself included, aliases expanded."""
    return 1 if type(node) is Scalar else node.size  # type: ignore[union-attr]
