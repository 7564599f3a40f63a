"""Version pin maths of conda-build's ``pin_subpackage`` and ``pin_compatible`` (``x.x`` pins)."""

from __future__ import annotations

import functools
import re

from smithy.versions import BadVersion, Version, parse_version

# A bare version (no operator, no build string), optionally ending in ``.*`` or ``*``.
_BARE_VERSION = re.compile(r"^=?=?([0-9A-Za-z_.+!]+?)(?:\.?\*)?$")


class PinError(ValueError):
    """A version or pin expression cannot be used; callers turn it into a JinjaError."""


def _parse(version: str) -> Version:
    try:
        return parse_version(version)
    except BadVersion as exc:
        raise PinError(f"invalid version {version!r}") from exc


def _flat_parts(version: str) -> tuple[list[str | int], int]:
    """Return the version's parts flattened, and the index conda-build treats as 'nested'."""
    segments = _parse(version).segments()
    flat: list[str | int] = [part for segment in segments for part in segment]
    # conda-build compares a flat index with the index of the last component; keeping that
    # quirk keeps pins like 9b -> <10a and 1.1.1k -> >=1.1.1k identical to conda-build's.
    return flat, len(segments) - 1


def _increment(part: str | int, alpha_next: bool) -> str:
    if isinstance(part, int):
        return f"{part + 1}{'a' if alpha_next else '.0a0'}"
    if len(part) == 1:
        return chr(ord(part) + 1)
    raise PinError(f"cannot compute an upper bound past {part!r}")


def _pin_count(expression: str | None) -> int | None:
    if not expression:
        return None
    if not re.fullmatch(r"x(\.x)*", expression):
        raise PinError(f"pin expression must look like 'x.x', got {expression!r}")
    return len(expression.split("."))


def _bound(flat: list[str | int], nesting: int, count: int, upper: bool) -> str:
    text = ""
    for index, part in enumerate(flat[:count]):
        shown: str | int = part
        if upper and index == count - 1:
            following = flat[min(count, len(flat) - 1)]
            shown = _increment(part, str(following).isalpha())
        text += str(shown)
        if index != nesting:
            text += "."
    return text.rstrip(".")


# Pure, and every variant of a big matrix asks for the same few pins again.
@functools.lru_cache(maxsize=4096)
def apply_pin_expressions(
    version: str, min_pin: str | None = "x.x.x.x.x.x", max_pin: str | None = "x"
) -> str:
    """Return the ``>=lower,<upper`` constraint conda-build derives from ``version`` and pins.

    Args:
        version: a concrete version such as ``1.2.3`` (a trailing ``.*`` is ignored).
        min_pin: how many parts the lower bound keeps (``x.x`` keeps two); falsy for none.
        max_pin: how many parts the upper bound keeps before bumping the last one.

    Returns:
        The constraint, e.g. ``>=1.2.3,<2.0a0``; empty when both pins are falsy.

    Raises:
        PinError: the version or a pin expression cannot be read.
    """
    stripped = version[:-2] if version.endswith(".*") else version.rstrip("*")
    lower_count, upper_count = _pin_count(min_pin), _pin_count(max_pin)
    flat, nesting = _flat_parts(stripped)
    if upper_count is not None and upper_count > len(flat):
        upper_count = len(flat)
    lower = _bound(flat, nesting, lower_count, upper=False) if lower_count else ""
    upper = _bound(flat, nesting, upper_count, upper=True) if upper_count else ""
    parts = []
    if lower:
        # A version below its own truncation is a pre-release: bound by the version itself.
        parts.append(f">={version}" if _parse(stripped) < _parse(lower) else f">={lower}")
    if upper:
        parts.append(f"<{upper}")
    return ",".join(parts)


def bare_version(spec_rest: str) -> str | None:
    """Return the version of a spec's version part when it names one version, else None.

    ``1.26.4`` -> ``1.26.4``; ``2.0.*`` -> ``2.0``; ``3.12.* *_cpython`` -> ``3.12``;
    ``>=1.20`` -> None.
    """
    words = spec_rest.split()
    if not words:
        return None
    match = _BARE_VERSION.match(words[0])
    return match.group(1) if match else None


def pin_subpackage_spec(
    name: str,
    version: str,
    *,
    min_pin: str | None = "x.x.x.x.x.x",
    max_pin: str | None = "x",
    exact: bool = False,
    build_id: str = "",
) -> str:
    """Return the spec ``pin_subpackage`` gives for an output of this recipe.

    ``exact`` pins version and build (``name 1.2.3 <build_id>``); otherwise the pin
    expressions give a range.
    """
    if exact:
        return " ".join(part for part in (name, version, build_id) if part)
    return f"{name} {apply_pin_expressions(version, min_pin, max_pin)}".strip()


def pin_compatible_spec(
    name: str,
    version: str | None,
    *,
    min_pin: str | None = "x.x.x.x.x.x",
    max_pin: str | None = "x",
    lower_bound: str | None = None,
    upper_bound: str | None = None,
    exact: bool = False,
) -> str:
    """Return the spec ``pin_compatible`` gives when the host environment has ``version``.

    Without any version (none in host, no ``lower_bound``) the spec is the bare name, as in
    conda-build's render pass that does not solve environments.
    """
    if exact and version:
        return f"{name} {version}"
    base = lower_bound or version
    if not base:
        return name
    if upper_bound:
        lower = f">={base}," if (min_pin or lower_bound) else ""
        return f"{name} {lower}<{upper_bound}"
    return f"{name} {apply_pin_expressions(base, min_pin, max_pin)}".strip()
