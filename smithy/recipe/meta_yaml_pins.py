"""Resolve the pin placeholders a meta.yaml render leaves, once outputs and hosts are known."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from smithy.errors import JinjaError, Span
from smithy.recipe.jinja_pins import PLACEHOLDER, PinRequest
from smithy.recipe.pins import PinError, bare_version, pin_compatible_spec, pin_subpackage_spec
from smithy.records import record


@record
class OutputIdentity:
    """What ``pin_subpackage`` needs to know about an output of the recipe."""

    version: str
    build_number: int
    build_string: str | None


# Stands for a pin the variant decides, in a build shared by variants (``defer_variant``).
VARIANT_PIN_MARK, _VARIANT_PIN_END = "\ue002", "\ue003"
VARIANT_PIN = re.compile(f"{VARIANT_PIN_MARK}(\\d+){_VARIANT_PIN_END}")


class PinResolver:
    """Replaces placeholders with pin specs; ``pin_compatible`` reads the given host specs.

    With ``defer_variant``, a ``pin_compatible`` that would read the variant (its package is
    in host without a version) gives a :data:`VARIANT_PIN` marker instead, and ``deferred``
    lists what each marker stands for: the build then holds for every variant, and
    :meth:`variant_pins` gives one variant's values.
    """

    def __init__(
        self,
        requests: Sequence[PinRequest],
        outputs: Mapping[str, OutputIdentity],
        variant: Mapping[str, str],
        path: str,
        *,
        defer_variant: bool = False,
    ) -> None:
        self.requests = requests
        self.outputs = outputs
        self.variant = variant
        self.path = path
        # (request index, host specs, line) per VARIANT_PIN marker, in the order first met.
        self.deferred: list[tuple[int, tuple[str, ...], int]] | None = [] if defer_variant else None
        self._specs: dict[tuple[int, tuple[str, ...]], str] = {}
        self._texts: dict[tuple[str, tuple[str, ...]], str] = {}
        # While tracked (meta_yaml_output_memo): the placeholder numbers met, and whether a
        # text resolved to a deferred pin's marker.
        self._used: set[int] | None = None
        self._marked = [False]

    def track(self) -> tuple[set[int], list[bool]]:
        """Start noting placeholder numbers met and whether a marker was given (see above)."""
        self._used, self._marked = set(), [False]
        return self._used, self._marked

    def untrack(self) -> None:
        """Stop noting (the sets handed out by :meth:`track` keep what was noted)."""
        self._used = None

    def resolve(self, text: str, host: Sequence[str] = (), line: int = 0) -> str:
        """Return ``text`` with every placeholder replaced by its pin spec."""
        if "\ue000" not in text:
            return text
        used = self._used
        if used is not None:
            used.update(map(int, PLACEHOLDER.findall(text)))
        # The same text comes back for the outputs and again for the plain data.
        key = (text, tuple(host))
        found = self._texts.get(key)
        if found is None:
            found = PLACEHOLDER.sub(lambda match: self._spec(match, host, line), text)
            self._texts[key] = found
        if used is not None and VARIANT_PIN_MARK in found:
            self._marked[0] = True
        return found

    def for_host(self, host: Sequence[str]) -> Callable[[str], str] | None:
        """Return a one-argument resolver bound to ``host`` (for whole-document conversion).

        None when the render made no pin call: every text then stays as it is.
        """
        if not self.requests:
            return None
        return lambda text: self.resolve(text, host)

    def _spec(self, match: re.Match[str], host: Sequence[str], line: int) -> str:
        index = int(match.group(1))
        if index >= len(self.requests):  # recipe text that merely looks like a placeholder
            return match.group(0)
        key = (index, tuple(host))
        found = self._specs.get(key)
        if found is None:
            found = self._specs[key] = self._compute(index, host, line)
        return found

    def variant_pins(self, deferred: Sequence[tuple[int, tuple[str, ...], int]]) -> list[str]:
        """Return the spec of each deferred pin for this resolver's variant, in order.

        Raises:
            JinjaError: a pin cannot be computed (the first failing one, as a full build).
        """
        return [self._compute(index, host, line) for index, host, line in deferred]

    def _compute(self, index: int, host: Sequence[str], line: int) -> str:
        request = self.requests[index]
        if (
            self.deferred is not None
            and request.function != "pin_subpackage"
            and _host_pinned(request.name, host) is None
        ):
            self.deferred.append((index, tuple(host), line))
            return f"{VARIANT_PIN_MARK}{len(self.deferred) - 1}{_VARIANT_PIN_END}"
        try:
            if request.function == "pin_subpackage":
                return self._subpackage(request)
            return pin_compatible_spec(
                request.name,
                self._host_version(request.name, host),
                min_pin=request.min_pin,
                max_pin=request.max_pin,
                lower_bound=request.lower_bound,
                upper_bound=request.upper_bound,
                exact=request.exact,
            )
        except PinError as exc:
            message = f"{request.function}('{request.name}'): {exc}"
            raise JinjaError(message, Span(self.path, line)) from None

    def _subpackage(self, request: PinRequest) -> str:
        identity = self.outputs.get(request.name)
        if identity is None or not identity.version:
            # Not an output of this recipe: conda-build's render pass leaves the bare name.
            return request.name
        if request.upper_bound or request.lower_bound:
            lower = request.lower_bound or identity.version
            upper = f",<{request.upper_bound}" if request.upper_bound else ""
            return f"{request.name} >={lower}{upper}"
        # The real build string hashes the variant; "*_<number>" matches it for that number.
        build_id = identity.build_string or f"*_{identity.build_number}"
        return pin_subpackage_spec(
            request.name,
            identity.version,
            min_pin=request.min_pin,
            max_pin=request.max_pin,
            exact=request.exact,
            build_id=build_id,
        )

    def _host_version(self, name: str, host: Sequence[str]) -> str | None:
        found = _host_pinned(name, host)
        if found:
            return found
        # A bare host name gets the variant's version, as conda-build inserts it before solving.
        value = self.variant.get(name, self.variant.get(name.replace("-", "_")))
        return bare_version(value) if value else None


def _host_pinned(name: str, host: Sequence[str]) -> str | None:
    """The version of ``name``'s first host spec when it names one, else None."""
    for spec in host:
        words = spec.split(None, 1)
        if not words or words[0].rsplit("::", 1)[-1] != name:
            continue
        return bare_version(words[1]) if len(words) > 1 else None
    return None
