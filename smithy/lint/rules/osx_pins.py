"""The macOS pins of a recipe's variant file, compared the way conda-smithy compares them.

conda-smithy reads a variant file once for "macOS" (every value not limited to another OS),
so a key set per architecture becomes a list of two values, taken as ``[x86_64, arm64]``
(the higher one being arm64's); a key the file does not set is ``[11.0, 11.0]``, the
baseline. Values are compared pairwise when both lists have the same length, else a single
SDK is compared with every deployment target.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Sequence as Values
from pathlib import Path
from typing import ClassVar

from smithy.errors import SmithyError
from smithy.records import frozen_record
from smithy.variants.pinning import read_variant_text, variant_file_style
from smithy.versions import version_or_none

OSX_BASELINE = "11.0"
_BASELINE_PAIR = (OSX_BASELINE, OSX_BASELINE)
_KEYS = ("c_stdlib_version", "MACOSX_SDK_VERSION")


@frozen_record
class OsxPins:
    """One variant file's macOS values of ``c_stdlib_version`` and ``MACOSX_SDK_VERSION``.

    Attributes:
        stdlib: the deployment targets, or None when the file does not set them.
        sdk: the SDK versions, or None when the file does not set them.
    """

    stdlib: tuple[str, ...] | None
    sdk: tuple[str, ...] | None


class _OsxNamespace(Mapping[str, object]):
    """Selector names for "macOS, any architecture", as conda-smithy filters them.

    Names that mention linux or win (``linux64``, ``win32``) are false, ``osx`` and ``unix``
    true, and any other name (``arm64``, ``x86_64``, ``aarch64``, variant keys) true.
    """

    _KNOWN: ClassVar[dict[str, object]] = {"osx": True, "unix": True}

    def __getitem__(self, name: str) -> object:
        if name in self._KNOWN:
            return self._KNOWN[name]
        return "linux" not in name and "win" not in name

    def __contains__(self, name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._KNOWN)

    def __len__(self) -> int:
        return len(self._KNOWN)


_NAMESPACE = _OsxNamespace()


def _read_pins(text: str, path: Path) -> dict[str, tuple[str, ...]]:
    style = variant_file_style(path)
    values = read_variant_text(text, str(path), _NAMESPACE, env={}, style=style).values
    return {key: values[key] for key in _KEYS if key in values}


def osx_pins(text: str | None, path: Path) -> OsxPins:
    """The macOS pins of the variant file ``text`` read from ``path`` (none when unreadable).

    Selectors and ``if:`` conditions see ``osx`` and ``unix`` true, names mentioning linux
    or win (``linux64``) false and any other name (``arm64``, ``x86_64``, variant keys)
    true, so the values of both architectures are kept in file order.
    """
    if text is None:
        return OsxPins(None, None)  # the render reports an unreadable variant file
    try:
        pins = _read_pins(text, path)
    except SmithyError:  # a YamlError too
        return OsxPins(None, None)  # the render reports an unreadable variant file
    return OsxPins(pins.get("c_stdlib_version"), pins.get("MACOSX_SDK_VERSION"))


def _below(value: str, floor: str) -> bool:
    parsed, lowest = version_or_none(value), version_or_none(floor)
    return parsed is not None and lowest is not None and parsed < lowest  # else nothing to compare


def _by_architecture(values: Values[str]) -> tuple[str, ...]:
    """Two values in the order ``[x86_64, arm64]``: the higher one is taken as arm64's."""
    if len(values) == 2 and _below(values[1], values[0]):
        return (values[1], values[0])
    return tuple(values)


def stdlib_below_baseline(pins: OsxPins) -> str | None:
    """The first deployment target below the baseline, or None."""
    if pins.stdlib is None:
        return None
    stdlib = _by_architecture(pins.stdlib)
    if len(stdlib) == len(_BASELINE_PAIR):
        pairs = list(zip(stdlib, _BASELINE_PAIR, strict=True))
    elif len(stdlib) == 1:
        pairs = [(stdlib[0], OSX_BASELINE)]
    else:
        pairs = []
    return next((value for value, floor in pairs if _below(value, floor)), None)


def sdk_below_stdlib(pins: OsxPins) -> str | None:
    """The first SDK version below the deployment target it builds for, or None."""
    sdk = _by_architecture(pins.sdk or _BASELINE_PAIR)
    stdlib = _by_architecture(pins.stdlib or _BASELINE_PAIR)
    if len(sdk) == len(stdlib):
        return next((s for s, target in zip(sdk, stdlib, strict=True) if _below(s, target)), None)
    if len(sdk) == 1 and all(_below(sdk[0], target) for target in stdlib):
        return sdk[0]
    return None
