"""Process-wide limits set from the environment before a command runs.

``SMITHY_MAX_FILE_MB`` caps each recipe, config and pinning file smithy reads (default 4; 0
turns it off);
``SMITHY_MAX_MEMORY_MB`` caps the address space of the process where the platform allows it
(default 8192; 0 turns it off), set by the console script only. ``smithy build`` runs compilers
in child processes that inherit the cap, so it runs without one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from smithy.api import MAX_BYTES_VARIABLE, SmithyError, Span, set_max_bytes

MEMORY_VARIABLE = "SMITHY_MAX_MEMORY_MB"
DEFAULT_MEMORY_MB = 8192
DEFAULT_FILE_MB = 4
_MB = 1024 * 1024
_applied = {"memory_mb": 0}
_UNCAPPED_COMMANDS = frozenset({"build"})


class LimitSettingError(SmithyError):
    """A limit variable holds something other than a number of megabytes."""


def _megabytes(environ: Mapping[str, str], name: str, default: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise LimitSettingError(f"expected a number of megabytes, got {text!r}", Span(name))
    return value


def _cap_memory(megabytes: float) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows has no setrlimit
        return
    wanted = int(megabytes * _MB)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    _applied["memory_mb"] = int(megabytes)


def apply_file_cap(environ: Mapping[str, str]) -> None:
    """Set the size cap for input files from ``SMITHY_MAX_FILE_MB``.

    Raises:
        LimitSettingError: the variable is not a non-negative number.
    """
    set_max_bytes(int(_megabytes(environ, MAX_BYTES_VARIABLE, DEFAULT_FILE_MB) * _MB))


def apply_memory_ceiling(environ: Mapping[str, str], args: Sequence[str]) -> None:
    """Cap this process's address space from ``SMITHY_MAX_MEMORY_MB``.

    Only the console script calls this: the cap is process-wide and inherited by children, so
    a program that calls ``smithy.cli.main`` in-process (tests, tools) keeps its own limits.

    Raises:
        LimitSettingError: the variable is not a non-negative number.
    """
    memory_mb = _megabytes(environ, MEMORY_VARIABLE, DEFAULT_MEMORY_MB)
    command = next((arg for arg in args if not arg.startswith("-")), "")
    if memory_mb > 0 and command not in _UNCAPPED_COMMANDS:
        _cap_memory(memory_mb)


def memory_message() -> str:
    """The one line printed when the memory ceiling stops a command."""
    limit = _applied["memory_mb"]
    if not limit:
        return "error: out of memory"
    return (
        f"error: out of memory: smithy's ceiling of {limit} MB was reached "
        f"(set {MEMORY_VARIABLE} to raise it, 0 to remove it)"
    )
