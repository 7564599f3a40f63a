"""The pin functions of meta.yaml jinja: each call recorded, a placeholder rendered for it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from smithy.errors import JinjaError
from smithy.recipe.jinja_sandbox import trusted
from smithy.recipe.pins import PinError, apply_pin_expressions
from smithy.records import record

# Pins are resolved after the YAML is read (they need every output's version and host
# requirements); the template emits these markers, which are plain YAML scalar text: the
# request's number between the two characters.
PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "\ue000", "\ue001"
PLACEHOLDER = re.compile(f"{PLACEHOLDER_OPEN}(\\d+){PLACEHOLDER_CLOSE}")


@record
class PinRequest:
    """One ``pin_subpackage``/``pin_compatible`` call, resolved once the outputs are known."""

    function: str
    name: str
    min_pin: str | None = "x.x.x.x.x.x"
    max_pin: str | None = "x"
    exact: bool = False
    lower_bound: str | None = None
    upper_bound: str | None = None


@dataclass(slots=True)
class PinRecorder:
    """Collects pin calls of one render and hands out their placeholders."""

    requests: list[PinRequest] = field(default_factory=list)

    def add(self, request: PinRequest) -> str:
        """Record ``request`` and return the marker standing for its result."""
        self.requests.append(request)
        return f"{PLACEHOLDER_OPEN}{len(self.requests) - 1}{PLACEHOLDER_CLOSE}"


# The request each pin call's arguments give, kept when they are text, booleans or None:
# values of those types are equal only when their str() is (True == 1 and 0.0 == -0.0 are
# not among them). Every variant of a multi-output recipe makes the same pin calls again
# (ctng-compilers: 9,042 calls, a few hundred distinct), and checking and building the request
# cost several times the look-up.
_requests: dict[tuple[object, ...], PinRequest] = {}
_REQUESTS_SIZE = 4096
_PLAIN_ARGUMENTS = frozenset({str, bool, type(None)})


def pin_function(function: str, recorder: PinRecorder) -> Callable[..., str]:
    """The template's ``function`` (``pin_subpackage``): records each call in ``recorder``."""

    def pin(
        name: object,
        min_pin: object = "x.x.x.x.x.x",
        max_pin: object = "x",
        exact: object = False,
        lower_bound: object = None,
        upper_bound: object = None,
        **_ignored: object,  # permit_undefined_jinja and friends are conda-build internals
    ) -> str:
        key = (function, name, min_pin, max_pin, exact, lower_bound, upper_bound)
        plain = _PLAIN_ARGUMENTS.issuperset(map(type, key))
        if plain and (known := _requests.get(key)) is not None:
            return recorder.add(known)
        request = _pin_request(function, *key[1:])
        if plain:
            if len(_requests) >= _REQUESTS_SIZE:
                _requests.clear()
            _requests[key] = request
        return recorder.add(request)

    pin.__name__ = function
    return trusted(pin)


def _pin_request(
    function: str,
    name: object,
    min_pin: object,
    max_pin: object,
    exact: object,
    lower_bound: object,
    upper_bound: object,
) -> PinRequest:
    """The request a pin call makes, its arguments checked.

    Raises:
        JinjaError: no package name, a bound that is no text, a bad pin expression.
    """
    if not isinstance(name, str) or not name.strip():
        raise JinjaError(f"{function}() takes a package name")
    texts = {"min_pin": min_pin, "max_pin": max_pin}
    texts |= {"lower_bound": lower_bound, "upper_bound": upper_bound}
    for key, value in texts.items():
        if value is not None and not isinstance(value, (str, int, float)):
            raise JinjaError(f"{function}() {key} must be a string")
    try:  # check the pin expressions now, where the error still has its line
        apply_pin_expressions("1", _opt(min_pin), _opt(max_pin))
    except PinError as exc:
        raise JinjaError(f"{function}('{name}'): {exc}") from None
    return PinRequest(
        function, name.strip(), _opt(min_pin), _opt(max_pin), bool(exact),
        _opt(lower_bound), _opt(upper_bound),
    )  # fmt: skip


def pin_compatible_function(recorder: PinRecorder) -> Callable[..., str]:
    """The template's ``pin_compatible``, its arguments in conda-build's order."""
    pin = pin_function("pin_compatible", recorder)

    def pin_compatible(
        name: object,
        lower_bound: object = None,
        upper_bound: object = None,
        min_pin: object = "x.x.x.x.x.x",
        max_pin: object = "x",
        exact: object = False,
        **ignored: object,
    ) -> str:
        return pin(name, min_pin, max_pin, exact, lower_bound, upper_bound, **ignored)

    return trusted(pin_compatible)


def _opt(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
