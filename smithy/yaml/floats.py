"""Which plain scalars a YAML 1.2 reader (ruamel.yaml, rattler-build) takes as floats."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.yaml.nodes import Mapping, Node, Scalar, Sequence

# YAML 1.2 floats as ruamel.yaml resolves them: digits may be separated by "_" (so 1.1_0 is
# the number 1.10), an exponent alone makes a float (1e5), and .inf/.nan are floats too.
_FLOAT = re.compile(
    r"""
    [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    | [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
    | [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    | [-+]?\.(?:inf|Inf|INF)
    | \.(?:nan|NaN|NAN)
    """,
    re.VERBOSE,
)


def is_float(node: Scalar) -> bool:
    """Whether a YAML 1.2 reader reads ``node`` as a float (plain and untagged only)."""
    return not node.style and not node.tag and _FLOAT.fullmatch(node.value) is not None


def float_scalars(node: Node | None, key: str = "") -> Iterator[tuple[str, Scalar]]:
    """``(key path, scalar)`` for every float value below ``node``, in document order.

    The key path is written as conda-smithy names it: ``package.version``, ``a.b[2]``.
    Mapping keys themselves are not checked.
    """
    if node is None:
        return
    if isinstance(node, Scalar):
        if is_float(node):
            yield key, node
    elif isinstance(node, Sequence):
        for index, item in enumerate(node.items):
            yield from float_scalars(item, f"{key}[{index}]")
    elif isinstance(node, Mapping):
        for name, value in node.pairs:
            label = name.value if isinstance(name, Scalar) else "?"
            yield from float_scalars(value, f"{key}.{label}" if key else label)
