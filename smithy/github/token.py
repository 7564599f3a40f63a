"""Find the GitHub token (environment or a private file) and keep it out of every printout."""

from __future__ import annotations

import os
import re
import stat
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from smithy.errors import Span
from smithy.github.errors import TokenError

ENV_NAMES = ("GITHUB_TOKEN", "GH_TOKEN")
_REDACTED = "***"
# GitHub's token formats (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_): masked in anything a
# server sends back, whoever's token it is.
_TOKEN_LIKE = re.compile(r"\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}")


def mask_token_like(text: str) -> str:
    """Return ``text`` with anything shaped like a GitHub token cut to its prefix and ``***``."""
    return _TOKEN_LIKE.sub(lambda found: found.group(1) + _REDACTED, text)


def redact_url(url: str) -> str:
    """Return ``url`` without its user-info (``https://user:TOKEN@host`` -> ``https://host``)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return _REDACTED if "@" in url else url
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class Secret:
    """A token that shows as ``***`` in ``str``, ``repr`` and f-strings; ``reveal()`` gives it.

    Tracebacks, debug output and log records only ever see the redacted form.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the token itself; only the HTTP layer should call this."""
        return self._value

    def scrub(self, text: str) -> str:
        """Return ``text`` with every occurrence of the token replaced by ``***``."""
        return text.replace(self._value, _REDACTED) if self._value else text

    def __repr__(self) -> str:
        return f"Secret({_REDACTED!r})"

    def __str__(self) -> str:
        return _REDACTED

    def __format__(self, spec: str) -> str:
        return _REDACTED

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


def read_token_file(path: Path) -> Secret:
    """Read a one-line token from a file only its owner can read (mode 600).

    Raises:
        TokenError: missing, not a regular file, readable by others, empty or several words.
    """
    span = Span(str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TokenError("token file not found", span) from None
    except OSError as exc:
        raise TokenError(f"cannot read token file: {exc.strerror}", span) from None
    if not stat.S_ISREG(info.st_mode):
        raise TokenError("token file is not a regular file", span)
    # POSIX permission bits only; Windows has no equivalent we can check this way.
    if os.name != "nt" and info.st_mode & 0o077:
        mode = oct(stat.S_IMODE(info.st_mode))[2:]
        raise TokenError(
            f"token file is readable by others (mode {mode}); run 'chmod 600 {path}'", span
        )
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise TokenError("cannot read token file as UTF-8 text", span) from None
    if not value:
        raise TokenError("token file is empty", span)
    if any(ch.isspace() for ch in value):
        raise TokenError("token file must hold one token on one line", span)
    return Secret(value)


def default_token_file(home: Path) -> Path:
    """Return the token file conda-smithy users already have: ``~/.conda-smithy/github.token``."""
    return home / ".conda-smithy" / "github.token"


def resolve_token(
    environ: Mapping[str, str],
    token_file: Path | None = None,
    *,
    required: bool = True,
    home: Path | None = None,
) -> Secret | None:
    """Return the GitHub token from the first source that has one.

    The order: ``token_file`` if given, ``GITHUB_TOKEN``, ``GH_TOKEN``, then
    ``<home>/.conda-smithy/github.token`` when ``home`` is given and that file exists.

    Args:
        environ: the process environment (passed in; core code never reads ``os.environ``).
        token_file: a file holding only the token; it must not be readable by group or others.
        required: raise when no token is found; when False return None (anonymous access).
        home: the user's home folder, for conda-smithy's token file.

    Raises:
        TokenError: no token although one is required, or a token file is unusable.
    """
    if token_file is not None:
        return read_token_file(token_file)
    for name in ENV_NAMES:
        value = environ.get(name, "").strip()
        if value:
            return Secret(value)
    fallback = default_token_file(home) if home is not None else None
    if fallback is not None and fallback.exists():
        return read_token_file(fallback)
    if required:
        raise TokenError(
            "no GitHub token: set GITHUB_TOKEN or GH_TOKEN, pass --token-file, or write "
            "~/.conda-smithy/github.token (mode 600)"
        )
    return None
