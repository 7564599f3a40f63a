"""Resolve the pin placeholders a meta.yaml render leaves, once outputs and hosts are known."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from smithy.errors import JinjaError, Span
from smithy.recipe.jinja_functions import PLACEHOLDER, PinRequest
from smithy.recipe.pins import PinError, bare_version, pin_compatible_spec, pin_subpackage_spec


@dataclass(frozen=True, slots=True)
class OutputIdentity:
    """What ``pin_subpackage`` needs to know about an output of the recipe."""

    version: str
    build_number: int
    build_string: str | None


class PinResolver:
    """Replaces placeholders with pin specs; ``pin_compatible`` reads the given host specs."""

    def __init__(
        self,
        requests: Sequence[PinRequest],
        outputs: Mapping[str, OutputIdentity],
        variant: Mapping[str, str],
        path: str,
    ) -> None:
        self.requests = requests
        self.outputs = outputs
        self.variant = variant
        self.path = path
        self._specs: dict[tuple[int, tuple[str, ...]], str] = {}

    def resolve(self, text: str, host: Sequence[str] = (), line: int = 0) -> str:
        """Return ``text`` with every placeholder replaced by its pin spec."""
        if "\ue000" not in text:
            return text
        return PLACEHOLDER.sub(lambda match: self._spec(match, host, line), text)

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

    def _compute(self, index: int, host: Sequence[str], line: int) -> str:
        request = self.requests[index]
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
        for spec in host:
            words = spec.split(None, 1)
            if not words or words[0].rsplit("::", 1)[-1] != name:
                continue
            found = bare_version(words[1]) if len(words) > 1 else None
            if found:
                return found
            break
        # A bare host name gets the variant's version, as conda-build inserts it before solving.
        value = self.variant.get(name, self.variant.get(name.replace("-", "_")))
        return bare_version(value) if value else None
