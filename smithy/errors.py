"""The SmithyError tree, source spans and the exit codes the CLI maps them to."""

from __future__ import annotations

from enum import IntEnum

from smithy.records import record
from smithy.safe_text import visible


class ExitCode(IntEnum):
    """Process exit codes; only ``smithy.cli`` turns errors into these."""

    OK = 0
    FINDINGS = 1  # lint findings, --check drift, cycles found
    USAGE = 2  # bad command line (click's own code)
    INPUT = 3  # a SmithyError: bad recipe, config, pinning, ...
    INTERNAL = 4  # a bug in smithy
    INTERRUPTED = 130


@record  # frozen for mypy, not at run time: ~40,000 per big rerender (see smithy.records)
class Span:
    """A position in a source file; ``line`` and ``column`` are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        # Paths come from the user's tree: a newline or ESC in a folder name must not
        # break the one-line error or reach the terminal raw.
        parts = [visible(self.path)]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)


class SmithyError(Exception):
    """Root of every error caused by user input; printed as ``path:line:col: error: message``."""

    kind = "error"
    # Set on errors of files that cannot be read as text at all (OS error, too large, not
    # UTF-8): lint reports those as bad input, not as a finding about their content.
    unreadable = False

    def __init__(self, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span

    def __str__(self) -> str:
        # One line always: messages from YAML/jinja can carry newlines we must not print.
        message = visible(" ".join(self.message.split()))
        if self.span is None:
            return f"error: {message}"
        return f"{self.span}: error: {message}"


class RecipeParseError(SmithyError):
    """A recipe could not be read: bad YAML, bad jinja, missing required fields."""


class SelectorError(RecipeParseError):
    """A ``# [selector]`` or ``if:`` expression is malformed or uses something not allowed."""


class JinjaError(RecipeParseError):
    """Jinja in a recipe failed: syntax, undefined variable, forbidden access."""


class ConfigError(SmithyError):
    """``conda-forge.yml`` is invalid; ``key_path`` names the offending key."""

    def __init__(self, message: str, span: Span | None = None, key_path: str = "") -> None:
        super().__init__(message, span)
        self.key_path = key_path


class PinningError(SmithyError):
    """A pinning or variant file (``conda_build_config.yaml``, ``variants.yaml``) is invalid."""


class VariantError(PinningError):
    """Variant values cannot be combined, e.g. zip_keys groups of different lengths."""


class TemplateError(SmithyError):
    """A feedstock template failed to render."""


class GraphCycleError(SmithyError):
    """Feedstocks depend on each other in a cycle."""

    def __init__(self, message: str, cycle: tuple[str, ...], span: Span | None = None) -> None:
        super().__init__(message, span)
        self.cycle = cycle
