"""rattler's ``Version`` and ``MatchSpec`` behind typed errors: where smithy parses them.

rattler raises its own exception classes, one per kind of malformed input; callers catch
:class:`BadVersion` or :class:`BadMatchSpec` here instead of a broad ``Exception``.
"""

from __future__ import annotations

from rattler import MatchSpec, Version
from rattler.exceptions import (
    InvalidChannelError,
    InvalidMatchSpecError,
    InvalidPackageNameError,
    InvalidVersionError,
    InvalidVersionSpecError,
    PackageNameMatcherParseError,
)

__all__ = [
    "BadMatchSpec",
    "BadVersion",
    "MatchSpec",
    "Version",
    "parse_match_spec",
    "parse_version",
    "version_or_none",
]

_MATCH_SPEC_ERRORS = (
    InvalidMatchSpecError,
    InvalidPackageNameError,
    InvalidVersionSpecError,
    InvalidChannelError,
    PackageNameMatcherParseError,
)


class BadVersion(ValueError):
    """A string is not a conda version; the message is rattler's reason."""


class BadMatchSpec(ValueError):
    """A string is not a conda match spec; the message is rattler's reason."""


def parse_version(text: str) -> Version:
    """Return ``text`` as a conda version.

    Raises:
        BadVersion: ``text`` is not one.
    """
    try:
        return Version(text)
    except InvalidVersionError as exc:
        raise BadVersion(str(exc)) from None


def version_or_none(text: str) -> Version | None:
    """Return ``text`` as a conda version, or None when it is not one."""
    try:
        return Version(text)
    except InvalidVersionError:
        return None


def parse_match_spec(text: str, *, strict: bool) -> MatchSpec:
    """Return ``text`` as a match spec (``strict``: rattler's strict parser).

    Raises:
        BadMatchSpec: ``text`` is not one.
    """
    try:
        return MatchSpec(text, strict=strict)
    except _MATCH_SPEC_ERRORS as exc:
        raise BadMatchSpec(str(exc)) from None
