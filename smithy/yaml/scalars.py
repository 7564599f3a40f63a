"""Typed values for plain scalars, by the YAML 1.1 rules PyYAML (conda-smithy) applies."""

from __future__ import annotations

from typing import Any

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from smithy.yaml.nodes import Scalar

CORE = "tag:yaml.org,2002:"
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_CONSTRUCTORS = {
    CORE + "bool": _CONSTRUCTOR.construct_yaml_bool,
    CORE + "int": _CONSTRUCTOR.construct_yaml_int,
    CORE + "float": _CONSTRUCTOR.construct_yaml_float,
}


def yaml11_tag(scalar: Scalar) -> str:
    """The tag YAML 1.1 gives ``scalar``: its own, ``str`` when quoted, else by its text."""
    if scalar.tag:
        return scalar.tag
    if scalar.style:
        return CORE + "str"
    return str(_RESOLVER.resolve(ScalarNode, scalar.value, (True, False)))


def yaml11_value(scalar: Scalar, tag: str) -> Any:
    """The value of ``scalar`` under core ``tag`` (``bool``, ``int``, ``float``, ``null``).

    Raises:
        ValueError: the text is not a value of that tag (``!!int abc``).
    """
    if tag == CORE + "null":
        return None
    construct = _CONSTRUCTORS.get(tag)
    if construct is None:
        return scalar.value
    try:
        return construct(ScalarNode(tag, scalar.value))
    except (ConstructorError, ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"'{scalar.value}' is not a valid {tag.removeprefix(CORE)}") from exc
