"""What a conversion produces: issues in the old recipe, differences between the renders."""

from __future__ import annotations

from dataclasses import dataclass

META = "meta.yaml"
RECIPE = "recipe.yaml"


@dataclass(frozen=True, slots=True)
class ConvertIssue:
    """Something in meta.yaml the converter cannot translate mechanically.

    Attributes:
        line: 1-based line in meta.yaml (0 when the whole file is meant).
        message: what was found.
        suggestion: what the user can do by hand.
    """

    line: int
    message: str
    suggestion: str


@dataclass(frozen=True, slots=True, order=True)
class Difference:
    """One field that renders differently from meta.yaml and from the converted recipe.yaml.

    Attributes:
        platform: target platform, or ``.ci_support`` for the CI matrix.
        output: package name, or the ``.ci_support`` file name.
        field: what differs (``requirements.host``, ``skip``, ``keys`` ...).
        before: the value from meta.yaml (``-`` when absent).
        after: the value from recipe.yaml (``-`` when absent).
    """

    platform: str
    output: str
    field: str
    before: str
    after: str
